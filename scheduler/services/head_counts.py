"""Head counts: how many came to one session of an open pop-up group (no roster, so a leader counts heads).

A pop-up (`admission.GroupAdmission.popup`) takes no seats, so its sessions have no participant
list to mark; its leader records a head count instead. The same people may as for attendance
(`attendance.check_leads`: the group's leaders, that day's substitute; coordinators through the
API), on the same sessions (`attendance.session_on`, `attendance.check_markable`: a held session,
on its day or later). Recording again overwrites; each recording is audited. A head count is
at most the room's places (less the leaders), or `MAX_HEAD_COUNT` for a remote pop-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract.errors import Invalid, NotFound
from scheduler.services.admission import group_admission
from scheduler.services.attendance import check_markable, session_on
from scheduler.services.term_sessions import TermSession
from scheduler.storage.locks import lock_seat_holders
from scheduler.storage.models import AuditEntry, GroupRow, HeadCount, RoomRow

__all__ = ["MAX_HEAD_COUNT", "SessionHeadCount", "head_count_limit", "read_head_count", "record_head_count"]

MAX_HEAD_COUNT = 500
"""The most a head count may say when no room bounds it (a room seats at most 500)."""


@dataclass(frozen=True)
class SessionHeadCount:
    """One pop-up session and its head count (None: not recorded yet)."""

    group_id: str
    term: TermSession
    head_count: int | None
    limit: int
    """The most it may say: the room's places less the leaders."""
    marked_by: str | None
    marked_at: datetime | None

    @property
    def day(self) -> date:
        return self.term.planned


def _popup(session: Session, group_id: str) -> GroupRow:
    group = session.get(GroupRow, group_id)
    if group is None:
        raise NotFound(f"no group {group_id!r}")
    admission = group_admission(session, group_id)
    if admission is None or not admission.popup:
        raise Invalid.of(
            "group_id",
            f"group {group_id!r} has a roster: mark its attendance instead "
            "(PUT /groups/{id}/sessions/{day}/attendance); a head count is for an open pop-up session",
        )
    return group


def head_count_limit(session: Session, group: GroupRow) -> int:
    """The most a head count of the group may say: its room's places less its leaders."""
    room = session.get(RoomRow, group.room_id) if group.room_id else None
    return MAX_HEAD_COUNT if room is None else max(room.capacity - len(group.leaders), 0)


def read_head_count(session: Session, group_id: str, day: date) -> SessionHeadCount:
    """The pop-up session's head count; NotFound for an unknown group, Invalid for a rostered group (naming
    `group_id`) or a date not in its rhythm (naming `day`)."""
    group = _popup(session, group_id)
    term = session_on(session, group_id, day)
    row = session.scalar(select(HeadCount).where(HeadCount.group_id == group_id, HeadCount.day == day))
    return SessionHeadCount(
        group_id,
        term,
        row.head_count if row else None,
        head_count_limit(session, group),
        row.marked_by if row else None,
        row.marked_at if row else None,
    )


def record_head_count(
    session: Session, group_id: str, day: date, count: int, actor: str, today: date, now: datetime
) -> SessionHeadCount:
    """Record (or overwrite) how many came to the pop-up session; nothing is committed here. The group's row is
    locked first, so two recordings take turns and the second stands."""
    lock_seat_holders(session, (), (group_id,))
    found = read_head_count(session, group_id, day)
    check_markable(found.term, today, "head count")
    if not 0 <= count <= found.limit:
        raise Invalid.of("head_count", f"{count} people: give 0 to {found.limit} (the room's places less leaders)")
    row = session.get(HeadCount, (group_id, day))
    if row is None:
        row = HeadCount(group_id=group_id, day=day, head_count=count, marked_by=actor[:200], marked_at=now)
        session.add(row)
    row.head_count, row.marked_by, row.marked_at = count, actor[:200], now
    session.add(
        AuditEntry(
            at=now,
            actor=actor[:200],
            action="head_count",
            entity="session",
            entity_id=f"{group_id}:{day.isoformat()}",
            detail={"head_count": count, "before": found.head_count},
        )
    )
    session.flush()
    return read_head_count(session, group_id, day)
