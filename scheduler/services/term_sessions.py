"""A group's sessions over its own term, each with its status: held, cancelled (with the reason),
moved, or led by a substitute.

A group's term is its own (`group_term`): from its `start_date` for its `sessions` weeks, or,
when it does not say, from the season's first of its weekday to the season's end. The weekly
rhythm gives the dates (`scheduler.sessions`: public holidays and the county's closures are not
held); a coordinator's session changes (`SessionChange`) cancel one date, move it or give it a
substitute leader; a cancelled group holds nothing from the day it was called off. Pages strike
the cancelled dates through; calendar feeds turn the same list into EXDATEs and RECURRENCE-ID
overrides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract.errors import NotFound
from scheduler.contract.term import group_weeks, public_holidays, session_dates
from scheduler.contract.times import DAYS
from scheduler.storage.models import Closure, GroupRow, PlanningSettings, SessionChange

__all__ = [
    "Cause",
    "SessionStatus",
    "TermSession",
    "closing_day",
    "group_sessions",
    "group_term",
    "groups_sessions",
    "scheduled_groups",
    "sessions_on",
    "term_sessions",
]

SessionStatus = Literal["held", "cancelled", "moved", "substitute"]
Cause = Literal["holiday", "closure", "session", "group"]
"""Why a session is not held: a public holiday, a closure day, this one session called off, the whole group."""


@dataclass(frozen=True)
class TermSession:
    """One date of the weekly rhythm and what happens on it.

    `planned` is the date the rhythm gives (a calendar's RECURRENCE-ID); `day`, `start`, `end`,
    `hub_id`, `room_id` and `leaders` are where and when it is really held, and `changed_at`
    when a coordinator last changed this one session (None: as the rhythm says).
    """

    planned: date
    status: SessionStatus
    reason: str | None
    cause: Cause | None
    day: date
    start: str
    end: str
    hub_id: str | None
    room_id: str | None
    leaders: tuple[str, ...]
    changed_at: datetime | None = None

    @property
    def held(self) -> bool:
        return self.status != "cancelled"


def _as_changed(group: GroupRow, planned: date, change: SessionChange) -> TermSession:
    moved = bool(change.moved_to and change.moved_to != planned) or any(
        value is not None and value != own
        for value, own in (
            (change.start, group.start),
            (change.end, group.end),
            (change.hub_id, group.hub_id),
            (change.room_id, group.room_id),
        )
    )
    leaders = tuple(change.leaders) if change.leaders else tuple(group.leaders)
    status: SessionStatus = "moved" if moved else ("substitute" if leaders != tuple(group.leaders) else "held")
    hub_id = change.hub_id or group.hub_id
    return TermSession(
        planned,
        status,
        change.reason,
        None,
        change.moved_to or planned,
        change.start or group.start,
        change.end or group.end,
        hub_id,
        change.room_id or group.room_id,
        leaders,
        change.updated_at,
    )


def group_term(
    day: str, season_start: date, season_weeks: int, start_date: date | None, sessions: int | None
) -> tuple[date, int]:
    """A group's own term in whole weeks: the Monday of its first session's week, and how many weeks it runs.

    The first session is the group's weekday on or after `start_date` (the season's first when left
    out); it runs `sessions` weeks, or to the season's end (`scheduler.contract.term.group_weeks`).
    A group with neither has the season itself: the season's Monday and weeks."""
    if start_date is None and sessions is None:
        return season_start, season_weeks
    first, weeks = group_weeks(day, season_start, season_weeks, start_date, sessions)
    first += timedelta(days=(DAYS.index(day) - first.weekday()) % 7)
    return first - timedelta(days=first.weekday()), weeks


def closing_day(first: date, closes_after: int) -> date:
    """A closed group's last day for joiners: its `closes_after`-th weekly date from its first (a week whose
    session falls on a holiday or a closure counts, as the term's end does not move for it; the reading
    the checker, the solver and the seats share). A joiner may start then, not after."""
    return first + timedelta(weeks=closes_after - 1)


def term_sessions(
    group: GroupRow, term_start: date, weeks: int, closures: Mapping[date, str], changes: Iterable[SessionChange] = ()
) -> list[TermSession]:
    """Every date of the group's weekday in its own term (`group_term` within the season that starts on
    `term_start` and runs `weeks`) with its status, in date order."""
    by_day = {c.day: c for c in changes}
    monday, own_weeks = group_term(group.day, term_start, weeks, group.start_date, group.sessions)
    sessions = []
    for dated in session_dates(group.day, monday, own_weeks, closures, dict(closures)):
        planned, change = dated.day, by_day.get(dated.day)
        plain = TermSession(
            planned,
            "held",
            None,
            None,
            planned,
            group.start,
            group.end,
            group.hub_id,
            group.room_id,
            tuple(group.leaders),
        )
        if dated.cancelled_because is not None:
            cause: Cause = "holiday" if planned in public_holidays(planned.year) else "closure"
            sessions.append(_cancelled(plain, dated.cancelled_because, cause))
        elif group.status == "cancelled" and group.cancelled_on is not None and planned >= group.cancelled_on:
            sessions.append(_cancelled(plain, group.cancel_reason, "group"))
        elif change is not None and change.cancelled:
            sessions.append(_cancelled(plain, change.reason, "session", change.updated_at))
        elif change is not None:
            sessions.append(_as_changed(group, planned, change))
        else:
            sessions.append(plain)
    return sessions


def _cancelled(plain: TermSession, reason: str | None, cause: Cause, at: datetime | None = None) -> TermSession:
    return TermSession(
        plain.planned,
        "cancelled",
        reason,
        cause,
        plain.day,
        plain.start,
        plain.end,
        plain.hub_id,
        plain.room_id,
        plain.leaders,
        at,
    )


def groups_sessions(session: Session, groups: Iterable[GroupRow]) -> dict[str, list[TermSession]]:
    """Each group's sessions over its own term with their status (none before a term is set), the
    closures and session changes read once for all of them."""
    groups = list(groups)
    frame = session.get(PlanningSettings, 1)
    if frame is None:
        return {group.id: [] for group in groups}
    closures = {c.day: c.reason or "closed" for c in session.scalars(select(Closure))}
    changes: dict[str, list[SessionChange]] = {}
    ids = [group.id for group in groups]
    for change in session.scalars(select(SessionChange).where(SessionChange.group_id.in_(ids))):
        changes.setdefault(change.group_id, []).append(change)
    return {
        group.id: term_sessions(group, frame.term_start, frame.term_weeks, closures, changes.get(group.id, ()))
        for group in groups
    }


def scheduled_groups(session: Session) -> list[GroupRow]:
    """The groups that have sessions in the term: running ones, and cancelled ones until they were called off."""
    return list(session.scalars(select(GroupRow).where(GroupRow.status.in_(("running", "cancelled")))))


def group_sessions(session: Session, group_id: str) -> list[TermSession]:
    """The group's sessions over the term with their status; NotFound for an unknown group."""
    group = session.get(GroupRow, group_id)
    if group is None:
        raise NotFound(f"no group {group_id!r}")
    return groups_sessions(session, [group])[group.id]


def sessions_on(session: Session, day: date) -> list[tuple[str, TermSession]]:
    """Every session held on the date, with its group's id (a session moved to the date counts
    there, one moved away does not)."""
    return [
        (group_id, held)
        for group_id, sessions in groups_sessions(session, scheduled_groups(session)).items()
        for held in sessions
        if held.held and held.day == day
    ]
