"""Session changes calendar subscribers must see: one session cancelled, moved or led by a
substitute, and a whole group cancelled.

Each change raises the group's `sequence` (`scheduler.storage.groups.mark_changed`), so
calendar programs show it. A moved session or a substitute may not take a room another
session holds then, and its leaders keep the leader rule and their own time
(`scheduler.services.leader_rules`: the team, languages, availability, other sessions that
day with the drive between hubs, weekly minutes).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract import minutes
from scheduler.contract.errors import Conflict, FieldError, Invalid, NotFound
from scheduler.contract.term import term_end
from scheduler.services.leader_rules import Breach, Slot, session_breaches, weekday_of
from scheduler.services.notice_events import notify_session_change
from scheduler.services.term_sessions import TermSession, group_sessions, sessions_on
from scheduler.storage.enrollments import withdraw_pending
from scheduler.storage.groups import mark_changed
from scheduler.storage.models import (
    AuditEntry,
    EnrollmentRow,
    GroupRow,
    HubRow,
    PlanningSettings,
    RoomRow,
    SessionChange,
    StaffRow,
)

__all__ = [
    "ChangeError",
    "GroupNotRunning",
    "cancel_group",
    "cancel_session",
    "change_session",
    "find_session",
    "restore_session",
]

WEEKDAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


class ChangeError(Invalid):
    """A change that cannot be made: `field` names what is wrong, the message says why."""

    def __init__(self, field: str, message: str, rule: str | None = None) -> None:
        super().__init__(f"{field}: {message}", [FieldError(field, message, rule)])
        self.field, self.message, self.rule = field, message, rule

    @classmethod
    def of_breaches(cls, breaches: list[Breach]) -> ChangeError:
        """Leader rules broken: the first names the field, every one is listed with its rule's key."""
        first = breaches[0]
        error = cls(first.field, first.message, first.rule)
        error.errors = tuple(FieldError(b.field, b.message, b.rule) for b in breaches)
        error.detail = "; ".join(f"{b.field}: {b.message} (rule {b.rule})" for b in breaches)
        return error


class GroupNotRunning(Conflict, ChangeError):
    """The group is not running (cancelled or closed), so its sessions no longer change: a conflict."""

    def __init__(self, group_id: str, status: str) -> None:
        message = f"group {group_id!r} is {status}: only a running group's sessions change"
        Conflict.__init__(self, message)
        self.field, self.message = "group", message


def _running_group(session: Session, group_id: str) -> GroupRow:
    row = session.get(GroupRow, group_id)
    if row is None:
        raise NotFound(f"no group {group_id!r}")
    if row.status != "running":
        raise GroupNotRunning(group_id, row.status)
    return row


def _session_day(session: Session, group: GroupRow, day: date) -> TermSession:
    dates = {s.planned: s for s in group_sessions(session, group.id)}
    if day not in dates:
        raise ChangeError(
            "day",
            f"{day} is not a session date of group {group.id!r} (it meets every "
            f"{WEEKDAYS.get(group.day, group.day)} in the term)",
        )
    if dates[day].cause in ("holiday", "closure"):
        raise ChangeError("day", f"no session is held on {day} anyway ({dates[day].reason})")
    return dates[day]


def find_session(session: Session, group_id: str, day: date) -> tuple[GroupRow, TermSession]:
    """A running group and its session planned on the day (as changed so far); NotFound, GroupNotRunning or
    ChangeError on `day` when there is none."""
    group = _running_group(session, group_id)
    return group, _session_day(session, group, day)


def _audit(session: Session, actor: str, action: str, group: GroupRow, detail: dict[str, Any]) -> None:
    session.add(
        AuditEntry(
            actor=actor[:200],
            action=action,
            entity="group",
            entity_id=group.id,
            detail={k: str(v) if isinstance(v, date) else v for k, v in detail.items()},
        )
    )


def _put_change(session: Session, group: GroupRow, day: date, **fields: Any) -> SessionChange:
    change = session.get(SessionChange, (group.id, day)) or SessionChange(group_id=group.id, day=day)
    for field, value in fields.items():
        setattr(change, field, value)
    change.updated_at = datetime.now(UTC)
    session.add(change)
    mark_changed(group, change.updated_at)
    session.flush()
    return change


def _as_now(session: Session, group: GroupRow, day: date) -> TermSession:
    """The session planned on the day as it stands after a change (flushed)."""
    return next(s for s in group_sessions(session, group.id) if s.planned == day)


def cancel_session(
    session: Session, group_id: str, day: date, reason: str | None, actor: str, now: datetime | None = None
) -> SessionChange:
    """One session of a running group is not held (say the leader fell ill). Its leaders and participants'
    counsellors get a notice when it was to start within the notice window from `now`."""
    group = _running_group(session, group_id)
    before = _session_day(session, group, day)
    change = _put_change(
        session,
        group,
        day,
        cancelled=True,
        reason=reason,
        moved_to=None,
        start=None,
        end=None,
        hub_id=None,
        room_id=None,
        leaders=None,
    )
    _audit(session, actor, "cancel_session", group, {"day": day, "reason": reason})
    if before.held:
        notify_session_change(session, group, "session_cancelled", before, None, reason, now)
    return change


def change_session(
    session: Session, group_id: str, day: date, changes: dict[str, Any], actor: str, now: datetime | None = None
) -> SessionChange:
    """One session moves (another date, time, hub or room) or gets a substitute leader; the rest stay. A move of a
    session whose old or new start is within the notice window from `now` is told to its leaders and participants'
    counsellors."""
    group = _running_group(session, group_id)
    before = _session_day(session, group, day)
    _check_change(session, group, changes)
    _check_clashes(session, group, day, changes)
    _check_leaders(session, group, day, changes)
    change = _put_change(session, group, day, cancelled=False, **changes)
    _audit(session, actor, "change_session", group, {"day": day, **changes})
    after = _as_now(session, group, day)
    if _place_or_time(before) != _place_or_time(after) or not before.held:
        notify_session_change(session, group, "session_moved", before, after, changes.get("reason"), now)
    return change


def _place_or_time(held: TermSession) -> tuple[Any, ...]:
    return (held.held, held.day, held.start, held.end, held.hub_id, held.room_id)


def _check_change(session: Session, group: GroupRow, changes: dict[str, Any]) -> None:
    start, end = changes.get("start") or group.start, changes.get("end") or group.end
    if minutes(end) <= minutes(start):
        raise ChangeError("end", f"the session ends ({end}) before or when it starts ({start})")
    hub_id, room_id = changes.get("hub_id"), changes.get("room_id")
    if hub_id is not None and session.get(HubRow, hub_id) is None:
        raise ChangeError("hub_id", f"no hub {hub_id!r}")
    if room_id is not None:
        room = session.get(RoomRow, room_id)
        if room is None or room.hub_id != (hub_id or group.hub_id):
            raise ChangeError("room_id", f"no room {room_id!r} in hub {hub_id or group.hub_id!r}")
    elif hub_id is not None and hub_id != group.hub_id:
        raise ChangeError("room_id", "a session moved to another hub needs a room of that hub")
    for leader in changes.get("leaders") or []:
        if session.get(StaffRow, leader) is None:
            raise ChangeError("leaders", f"no staff member {leader!r}")
    moved_to = changes.get("moved_to")
    if moved_to is not None:
        frame = session.get(PlanningSettings, 1)
        if frame is not None and not frame.term_start <= moved_to <= term_end(frame.term_start, frame.term_weeks):
            raise ChangeError("moved_to", f"{moved_to} is outside the term")


def _check_clashes(session: Session, group: GroupRow, day: date, changes: dict[str, Any]) -> None:
    """The changed session takes no room that another session holds at the same time."""
    when = changes.get("moved_to") or day
    start, end = minutes(changes.get("start") or group.start), minutes(changes.get("end") or group.end)
    room = changes.get("room_id") or group.room_id
    if room is None:
        return
    for other_id, other in sessions_on(session, when):
        if (other_id == group.id and other.planned == day) or not (
            minutes(other.start) < end and start < minutes(other.end)
        ):
            continue
        if other.room_id == room:
            raise ChangeError(
                "room_id", f"room {room!r} is taken on {when} {other.start}–{other.end} by group {other_id!r}"
            )


MOVES = ("moved_to", "start", "end", "hub_id")


def _check_leaders(session: Session, group: GroupRow, day: date, changes: dict[str, Any]) -> None:
    """The session as changed (this change over any earlier one) keeps the leader rules
    (`scheduler.services.leader_rules`); the breaches are a ChangeError on their field."""
    earlier = session.get(SessionChange, (group.id, day))

    def now(name: str, own: Any) -> Any:
        if changes.get(name) is not None:
            return changes[name]
        kept = getattr(earlier, name, None) if earlier is not None and not earlier.cancelled else None
        return kept if kept is not None else own

    on = now("moved_to", day)
    hub = now("hub_id", group.hub_id) if group.modality in ("in_person", "hybrid") else None
    slot = Slot(
        group.id, weekday_of(on), minutes(now("start", group.start)), minutes(now("end", group.end)), hub, on, day
    )
    leaders = [str(i) for i in now("leaders", group.leaders)]
    moved = any(changes.get(name) is not None for name in MOVES)
    breaches = session_breaches(session, group, slot, leaders, new_team="leaders" in changes, moved=moved)
    if breaches:
        raise ChangeError.of_breaches(breaches)


def restore_session(session: Session, group_id: str, day: date, actor: str) -> None:
    """The session is held as the weekly rhythm says after all."""
    group = _running_group(session, group_id)
    change = session.get(SessionChange, (group_id, day))
    if change is None:
        raise NotFound(f"the session of group {group_id!r} on {day} has no change to undo")
    session.delete(change)
    mark_changed(group)
    _audit(session, actor, "restore_session", group, {"day": day})
    session.flush()


def cancel_group(
    session: Session, group_id: str, on: date, reason: str | None, actor: str, now: datetime | None = None
) -> GroupRow:
    """The group is called off from `on`: its seats end then and its pending offers are withdrawn (the clients wait
    again); feeds show it cancelled.
    Each of its sessions from `on` within the notice window from `now` is told as cancelled (before the seats end,
    so the participants' counsellors hear of it)."""
    group = _running_group(session, group_id)
    coming = [s for s in group_sessions(session, group_id) if s.held and s.day >= on]
    group.status, group.cancelled_on, group.cancel_reason = "cancelled", on, reason
    mark_changed(group)
    for held in coming:
        notify_session_change(session, group, "session_cancelled", held, None, reason, now)
    seats = session.scalars(
        select(EnrollmentRow).where(EnrollmentRow.group_id == group_id, EnrollmentRow.status == "active")
    )
    ended = 0
    for seat in seats:
        seat.status, seat.to_date = "interrupted", max(on, seat.from_date)
        ended += 1
    withdrawn = withdraw_pending(session, actor, group_id=group_id)
    _audit(
        session,
        actor,
        "cancel_group",
        group,
        {"on": on, "reason": reason, "seats_ended": ended, "offers_withdrawn": withdrawn},
    )
    session.flush()
    return group
