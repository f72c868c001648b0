"""The sessions a staff member leads, as their attendance page lists them: recent and coming ones.

A leader leads a group's sessions (the group's `leaders`) and, as a substitute, the sessions a
coordinator gave them (`SessionChange.leaders`). Each session comes with how many participants
it has (its trial visitors too) and how many are marked, so the page shows what is still to mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.services.attendance import seats_on
from scheduler.services.term_sessions import TermSession, groups_sessions, scheduled_groups
from scheduler.services.trial_seats import trial_visitors_on
from scheduler.storage.models import AttendanceRow, GroupModelRow, GroupRow, HubRow

__all__ = ["LedGroup", "LedSession", "led_sessions"]


@dataclass(frozen=True)
class LedSession:
    term: TermSession
    substitute: bool
    """Led as a substitute (not one of the group's own leaders)."""
    participants: int
    marked: int


@dataclass(frozen=True)
class LedGroup:
    group: GroupRow
    name: dict[str, str]
    hub: str | None
    recent: list[LedSession]
    """Sessions on or before today, the latest first."""
    coming: list[LedSession]
    """Sessions after today, the next first."""


def _led(session: Session, group: GroupRow, term: TermSession, staff_id: str, marked: dict[date, int]) -> LedSession:
    return LedSession(
        term,
        staff_id not in group.leaders,
        len(seats_on(session, group.id, term.planned)) + len(trial_visitors_on(session, group.id, term.planned)),
        marked.get(term.planned, 0),
    )


def led_sessions(session: Session, staff_id: str, today: date, recent: int = 3, coming: int = 2) -> list[LedGroup]:
    """The staff member's groups (their own, and those where they substitute) with recent and coming sessions."""
    groups = scheduled_groups(session)
    terms = groups_sessions(session, groups)
    found = []
    for group in sorted(groups, key=lambda g: g.id):
        own = staff_id in group.leaders
        mine = [t for t in terms[group.id] if own or staff_id in t.leaders]
        if not mine:
            continue
        marked: dict[date, int] = {
            day: int(count)
            for day, count in session.execute(
                select(AttendanceRow.day, func.count())
                .where(AttendanceRow.group_id == group.id)
                .group_by(AttendanceRow.day)
            )
        }
        past = [t for t in mine if t.day <= today][::-1][:recent]
        later = [t for t in mine if t.day > today][:coming]
        model = session.get(GroupModelRow, group.template_id)
        hub = session.get(HubRow, group.hub_id) if group.hub_id else None
        found.append(
            LedGroup(
                group,
                dict(model.name) if model is not None else {},
                hub.name if hub is not None else None,
                [_led(session, group, t, staff_id, marked) for t in past],
                [_led(session, group, t, staff_id, marked) for t in later],
            )
        )
    return found
