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

__all__ = ["SessionDate", "group_weeks", "public_holidays", "session_dates", "term_end"]


@dataclass(frozen=True)
class SessionDate:
    """A date of the weekday in the term, and why no session is held then (None: it is held)."""

    day: date
    cancelled_because: str | None = None


def term_end(start: date, weeks: int) -> date:
    """The last day (a Sunday) of a term of whole weeks."""
    return start + timedelta(weeks=weeks, days=-1)


def group_weeks(
    day: str, season_start: date, season_weeks: int, start_date: date | None, sessions: int | None
) -> tuple[date, int]:
    """A group's own term: its first session date and how many weeks it runs.

    From `start_date` (the season's first `day` when left out) for `sessions` weeks (to the
    season's end when left out). A public holiday or a closure inside the term skips that
    week's session without moving the end (the weekly rhythm's EXDATE)."""
    first = start_date or season_start + timedelta(days=DAYS.index(day))
    left = max(0, (term_end(season_start, season_weeks) - first).days // 7 + 1)
    return first, left if sessions is None else sessions


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
