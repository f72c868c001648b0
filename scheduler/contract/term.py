"""When a weekly group meets: its weekday in every week of the term, except Finnish
public holidays (the `holidays` package) and the county's closure dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from scheduler.contract.times import DAYS

__all__ = ["SessionDate", "public_holidays", "session_dates", "term_end"]


@dataclass(frozen=True)
class SessionDate:
    """A date of the weekday in the term, and why no session is held then (None: it is held)."""

    day: date
    cancelled_because: str | None = None


def term_end(start: date, weeks: int) -> date:
    """The last day (a Sunday) of a term of whole weeks."""
    return start + timedelta(weeks=weeks, days=-1)


@lru_cache(maxsize=16)
def public_holidays(year: int) -> dict[date, str]:
    """Finland's public holidays of a year, with their Finnish names."""
    return dict(holidays.country_holidays("FI", years=year, language="fi").items())


def session_dates(
    day: str,
    term_start: date,
    weeks: int,
    closures: Iterable[date] = (),
    closure_reasons: dict[date, str] | None = None,
) -> list[SessionDate]:
    """Every date of the weekday in the term, each with the reason it is skipped, if it is."""
    offset = DAYS.index(day)
    closed = {d: (closure_reasons or {}).get(d) or "closed" for d in closures}
    dates = []
    for week in range(weeks):
        when = term_start + timedelta(weeks=week, days=offset)
        why = public_holidays(when.year).get(when) or closed.get(when)
        dates.append(SessionDate(when, why))
    return dates
