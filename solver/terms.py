"""Each group its own term (`group_term`) and when a closed group stops taking joiners (`closed`).

A new group starts on its weekday's first date on or after `problem.first_seat_day` and
runs its model's `sessions`, capped by the weeks the season has left. A model that does
not say how many sessions runs to the season's end; its groups then carry a start date
only when the first seat day moves them past the season's first week, so a problem
without the new features is planned and written exactly as before.

A closed model's group that is already running (an input group, not new) takes no new
participants once its `closes_after`-th weekly session is before the first seat day.
"""

from __future__ import annotations

from datetime import date, timedelta

from scheduler.contract import Group, Problem, Template
from scheduler.contract.term import group_weeks, term_end

__all__ = ["closed_to_joiners", "group_dates", "own_term"]


def own_term(problem: Problem, template: Template, day: str) -> tuple[date | None, int | None]:
    """(start_date, sessions) of a new group of the template on the day; (None, None): the whole season."""
    season, first_day = problem.term, problem.first_seat_day
    default, _ = group_weeks(day, season.start, season.weeks, None, None)
    first = default
    if first < first_day:
        first += timedelta(weeks=-(-(first_day - first).days // 7))
    end = term_end(season.start, season.weeks)
    if first > end:  # no week left: written as the season's default (it takes no new seats anyway)
        return None, None
    left = (end - first).days // 7 + 1
    sessions = None if template.sessions is None else min(template.sessions, left)
    return (None if first == default and sessions is None else first), sessions


def group_dates(problem: Problem, day: str, start_date: date | None, sessions: int | None) -> tuple[date, date]:
    """The first and last session date of a group's own term."""
    first, weeks = group_weeks(day, problem.term.start, problem.term.weeks, start_date, sessions)
    return first, first + timedelta(weeks=max(weeks, 1) - 1)


def closed_to_joiners(problem: Problem, group: Group, template: Template) -> bool:
    """Whether a running group of a closed model no longer takes joiners (`closed`)."""
    if template.admission != "closed" or group.new:
        return False
    first, _ = group_weeks(group.day, problem.term.start, problem.term.weeks, group.start_date, group.sessions)
    return first + timedelta(weeks=template.closes_after - 1) < problem.first_seat_day
