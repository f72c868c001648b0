"""The service's one clock: what day it is in Finland, and the moment written on records.

Two readings, each for its own use:

- `today(zone)` is the calendar date on the wall in `zone`, Europe/Helsinki unless a
  planning frame names another: which sessions are still to come, from which day a
  published or reserved seat starts, how long a client has waited, which feed events
  are past. A late evening in Helsinki is already the next day in UTC, so never the UTC date.
- `now()` is the moment, timezone-aware in UTC: when a planning run ended.

`SystemClock` reads the computer's clock. `FixedClock` stands still at a chosen moment
(tests, demonstrations); `FixedClock.on(day)` is noon in Helsinki on that day. The
application gets one clock (`api.app.create_app(clock=...)`), the command line uses
`SYSTEM_CLOCK`; services take the clock, or the date read from it, as an argument.
Timestamps that storage writes by itself (a row's `created_at`, a group's `updated_at`)
are the database's record of when the row was written and stay on the system clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo

__all__ = ["HELSINKI", "SYSTEM_CLOCK", "Clock", "FixedClock", "SystemClock"]

HELSINKI = "Europe/Helsinki"
"""The county's timezone, and every planning frame's unless it names another."""


class Clock(Protocol):
    """Where the service reads the time from."""

    def now(self) -> datetime:
        """The moment, timezone-aware in UTC."""
        ...

    def today(self, zone: str = HELSINKI) -> date:
        """The date on the wall in the timezone (an IANA name; an unknown one raises ZoneInfoNotFoundError)."""
        ...


@dataclass(frozen=True)
class SystemClock:
    """The computer's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self, zone: str = HELSINKI) -> date:
        return datetime.now(ZoneInfo(zone)).date()


@dataclass(frozen=True)
class FixedClock:
    """A clock standing still at one moment (timezone-aware)."""

    moment: datetime

    def __post_init__(self) -> None:
        if self.moment.tzinfo is None:
            raise ValueError("a fixed clock's moment needs its timezone")

    @classmethod
    def on(cls, day: date, zone: str = HELSINKI) -> FixedClock:
        """Noon of the day in the timezone: the same date in every timezone of Europe."""
        return cls(datetime.combine(day, time(12), ZoneInfo(zone)))

    def now(self) -> datetime:
        return self.moment.astimezone(UTC)

    def today(self, zone: str = HELSINKI) -> date:
        return self.moment.astimezone(ZoneInfo(zone)).date()


SYSTEM_CLOCK: Clock = SystemClock()
"""The computer's clock, for the command line and as every default."""
