"""Attendance: who was at one session of a group, marked by its leader, and absences in a row.

A session is named by its date in the group's weekly rhythm (as `SessionChange.day`; a moved
session keeps that date as its key). Its participants are the clients with a seat in the group
on that date: a seat that had begun and had not ended before it (an ended seat still counts for
the sessions up to its last day). A leader marks each `present`, `excused` (absent with notice)
or `absent` (without notice); marking again overwrites, and the answer is always the whole
session. A cancelled session takes no attendance, and a session not yet held cannot be marked.
A client on a trial visit that day (`trial_seats.trial_visitors_on`) is listed after the participants,
marked as a trial visitor, and is marked like them.

When a client's last `ABSENCES_IN_A_ROW` marked sessions of a group, the latest being the one
just marked, are all `absent`, their counsellor is notified once per streak (`notices.notify`,
ref `group:first day of the streak:client`): a streak that goes on does not notify again, a new
streak after a present or excused session does. A client of the shared queue (no counsellor)
gets no notice: the streak shows as `absences` in the caseload's attention instead, to every
counsellor who looks at the queue. A `present` marked later deletes no notice.

Leaders call a participant by their seat's number (`seat`) and alias; client ids are for
coordinators and counsellors (`api.routers.attendance` decides who sees what).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from scheduler.contract.errors import FieldError, Forbidden, Invalid
from scheduler.contract.followup import ABSENCES_IN_A_ROW, ATTENDANCE_STATUSES
from scheduler.services.admission import group_admission
from scheduler.services.notices import notify
from scheduler.services.term_sessions import TermSession, group_sessions
from scheduler.services.trial_seats import trial_visitors_on
from scheduler.storage.locks import lock_seat_holders
from scheduler.storage.models import AttendanceRow, AuditEntry, ClientRow, EnrollmentRow, GroupRow

__all__ = [
    "Mark",
    "Marked",
    "NotLeader",
    "Participant",
    "SessionAttendance",
    "absence_streaks",
    "check_leads",
    "check_markable",
    "client_attendance",
    "mark_attendance",
    "read_attendance",
    "seats_on",
    "session_on",
]


class NotLeader(Forbidden):
    """The staff member leads neither the group nor, as a substitute, this session (a 403)."""


@dataclass(frozen=True)
class Mark:
    """One line of a marking: the participant, by client id or by seat number, and their status."""

    status: str
    client_id: str | None = None
    seat: int | None = None


@dataclass(frozen=True)
class Participant:
    """A client with a seat on the session's date, and what was marked for them (None: not yet)."""

    seat: int
    client_id: str
    alias: str | None
    counsellor_id: str | None
    status: str | None
    marked_by: str | None
    marked_at: datetime | None
    trial: bool = False
    """A trial visitor of this one session (`seat` is then their number on the list, not a seat)."""


@dataclass(frozen=True)
class SessionAttendance:
    group_id: str
    term: TermSession
    participants: list[Participant]

    @property
    def day(self) -> date:
        """The session's key: its date in the weekly rhythm."""
        return self.term.planned


def session_on(session: Session, group_id: str, day: date) -> TermSession:
    """The group's session of that rhythm date; NotFound for an unknown group, Invalid naming `day` otherwise."""
    for term in group_sessions(session, group_id):
        if term.planned == day:
            return term
    raise Invalid.of("day", f"group {group_id!r} has no session on {day.isoformat()} (its weekly rhythm's dates)")


def check_leads(session: Session, group_id: str, term: TermSession, staff_id: str | None) -> None:
    """A leader of the session: one of the group's leaders, or a substitute named for that day."""
    group = session.get(GroupRow, group_id)
    leaders = set(term.leaders) | set(group.leaders if group is not None else ())
    if staff_id is None or staff_id not in leaders:
        raise NotLeader(f"you do not lead group {group_id!r} on {term.planned.isoformat()}")


def seats_on(session: Session, group_id: str, day: date) -> list[EnrollmentRow]:
    """The seats of the group that cover the day, one per client (the latest), in seat order."""
    covers = and_(
        EnrollmentRow.group_id == group_id,
        EnrollmentRow.from_date <= day,
        or_(
            and_(EnrollmentRow.status == "active", or_(EnrollmentRow.to_date.is_(None), EnrollmentRow.to_date >= day)),
            and_(EnrollmentRow.status != "active", EnrollmentRow.to_date >= day),
        ),
    )
    latest: dict[str, EnrollmentRow] = {}
    for seat in session.scalars(select(EnrollmentRow).where(covers).order_by(EnrollmentRow.id)):
        latest[seat.client_id] = seat
    return sorted(latest.values(), key=lambda s: (s.from_date, s.id))


def read_attendance(session: Session, group_id: str, day: date) -> SessionAttendance:
    """The session's participants and what was marked for each (the session may be future or cancelled)."""
    term = session_on(session, group_id, day)
    seats = seats_on(session, group_id, day)
    clients = {
        c.id: c for c in session.scalars(select(ClientRow).where(ClientRow.id.in_([s.client_id for s in seats])))
    }
    marked = {
        row.client_id: row
        for row in session.scalars(
            select(AttendanceRow).where(AttendanceRow.group_id == group_id, AttendanceRow.day == day)
        )
    }
    participants = []
    for seat in seats:
        client, row = clients[seat.client_id], marked.get(seat.client_id)
        participants.append(
            Participant(
                seat.id,
                client.id,
                client.alias,
                client.counsellor_id,
                row.status if row else None,
                row.marked_by if row else None,
                row.marked_at if row else None,
            )
        )
    for visitor in trial_visitors_on(session, group_id, day):  # a client trying the group on this session
        row = marked.get(visitor.client_id)
        if visitor.client_id not in clients:
            participants.append(
                Participant(
                    visitor.seat,
                    visitor.client_id,
                    visitor.alias,
                    visitor.counsellor_id,
                    row.status if row else None,
                    row.marked_by if row else None,
                    row.marked_at if row else None,
                    trial=True,
                )
            )
    return SessionAttendance(group_id, term, participants)


def check_markable(term: TermSession, today: date, what: str = "attendance") -> None:
    """A session takes its attendance (or a pop-up's head count) once held: not cancelled, not in the future;
    else Invalid naming `day`."""
    if not term.held:
        why = f" ({term.reason})" if term.reason else ""
        raise Invalid.of("day", f"the session of {term.planned.isoformat()} is cancelled{why}: it takes no {what}")
    if term.day > today:
        raise Invalid.of(
            "day",
            f"the session of {term.planned.isoformat()} is held on {term.day.isoformat()}: "
            f"{'mark' if what == 'attendance' else 'record'} its {what} on that day or later",
        )


def _resolve(marks: Sequence[Mark], found: SessionAttendance) -> list[tuple[str, str]]:
    """Each mark as (client, status); every fault at once, each naming its line (`body[2].client_id`)."""
    by_client = {p.client_id: p for p in found.participants}
    by_seat = {p.seat: p for p in found.participants}
    day = found.day.isoformat()
    faults, resolved, seen = [], [], set()
    for i, mark in enumerate(marks):
        field = f"body[{i}].seat" if mark.client_id is None else f"body[{i}].client_id"
        who = (
            by_seat.get(mark.seat)
            if mark.client_id is None and mark.seat is not None
            else by_client.get(mark.client_id or "")
        )
        if (mark.client_id is None) == (mark.seat is None):
            faults.append(FieldError(f"body[{i}]", "name the participant by client_id or by seat (one of them)"))
        elif who is None:
            named = f"client {mark.client_id!r}" if mark.client_id is not None else f"seat {mark.seat}"
            faults.append(FieldError(field, f"{named} has no seat in group {found.group_id!r} on {day}"))
        elif who.client_id in seen:
            faults.append(FieldError(field, "this participant is listed twice: list each participant once"))
        elif mark.status not in ATTENDANCE_STATUSES:
            faults.append(FieldError(f"body[{i}].status", f"the status is one of {', '.join(ATTENDANCE_STATUSES)}"))
        else:
            seen.add(who.client_id)
            resolved.append((who.client_id, mark.status))
    if faults:
        raise Invalid("; ".join(f"{f.field}: {f.message}" for f in faults), faults)
    return resolved


def mark_attendance(
    session: Session, group_id: str, day: date, marks: Sequence[Mark], actor: str, today: date, now: datetime
) -> SessionAttendance:
    """Mark the listed participants (overwriting earlier marks), notify counsellors of absences in a row,
    and answer the whole session. Nothing is committed here. The group's row is locked first, so two
    markings of one group (and a seat change of it) take turns: the second overwrites the first."""
    lock_seat_holders(session, (), (group_id,))
    admission = group_admission(session, group_id)
    if admission is not None and admission.popup:
        raise Invalid.of(
            "group_id",
            f"group {group_id!r} is an open pop-up session: it has no roster to mark; record its head count "
            f"instead (PUT /groups/{group_id}/sessions/{day.isoformat()}/head-count)",
        )
    found = read_attendance(session, group_id, day)
    check_markable(found.term, today)
    resolved = _resolve(marks, found)
    stored = {
        row.client_id: row
        for row in session.scalars(
            select(AttendanceRow).where(AttendanceRow.group_id == group_id, AttendanceRow.day == day)
        )
    }
    for client_id, status in resolved:
        row = stored.get(client_id)
        if row is None:
            row = AttendanceRow(group_id=group_id, day=day, client_id=client_id)
            session.add(row)
        row.status, row.marked_by, row.marked_at = status, actor[:200], now
    session.flush()
    counts = {status: sum(1 for _, s in resolved if s == status) for status in ATTENDANCE_STATUSES}
    session.add(
        AuditEntry(
            at=now,
            actor=actor[:200],
            action="attendance",
            entity="session",
            entity_id=f"{group_id}:{day.isoformat()}",
            detail={"marked": len(resolved), **counts},
        )
    )
    owners = {p.client_id: p.counsellor_id for p in found.participants}
    for client_id, status in resolved:
        if status == "absent":
            _notify_streak(session, group_id, day, client_id, owners[client_id], now)
    return read_attendance(session, group_id, day)


def _streak(statuses: Iterable[tuple[date, str]]) -> list[date]:
    """The days of the run of `absent` at the end of the marked sessions (given latest first)."""
    run = []
    for day, status in statuses:
        if status != "absent":
            break
        run.append(day)
    return run


def _notify_streak(
    session: Session, group_id: str, day: date, client_id: str, counsellor_id: str | None, now: datetime
) -> None:
    rows = session.execute(
        select(AttendanceRow.day, AttendanceRow.status)
        .where(AttendanceRow.group_id == group_id, AttendanceRow.client_id == client_id, AttendanceRow.day <= day)
        .order_by(AttendanceRow.day.desc())
    )
    run = _streak((d, s) for d, s in rows)
    if len(run) < ABSENCES_IN_A_ROW or counsellor_id is None:
        return
    first = run[-1]
    notify(
        session,
        "absences",
        f"{group_id}:{first.isoformat()}:{client_id}",
        counsellor_id=counsellor_id,
        client_id=client_id,
        group_id=group_id,
        day=day,
        args={"count": len(run)},
        now=now,
    )


def absence_streaks(session: Session, client_ids: Iterable[str]) -> dict[str, dict[str, int]]:
    """Per client, the groups of their active seats where their latest marked sessions are at least
    `ABSENCES_IN_A_ROW` absences in a row, with the run's length."""
    ids = list(client_ids)
    seated = {
        (client_id, group_id)
        for client_id, group_id in session.execute(
            select(EnrollmentRow.client_id, EnrollmentRow.group_id).where(
                EnrollmentRow.client_id.in_(ids), EnrollmentRow.status == "active"
            )
        )
    }
    marks: dict[tuple[str, str], list[tuple[date, str]]] = {}
    for client_id, group_id, day, status in session.execute(
        select(AttendanceRow.client_id, AttendanceRow.group_id, AttendanceRow.day, AttendanceRow.status)
        .where(AttendanceRow.client_id.in_(ids))
        .order_by(AttendanceRow.day.desc())
    ):
        marks.setdefault((client_id, group_id), []).append((day, status))
    found: dict[str, dict[str, int]] = {}
    for (client_id, group_id), statuses in marks.items():
        run = len(_streak(statuses))
        if (client_id, group_id) in seated and run >= ABSENCES_IN_A_ROW:
            found.setdefault(client_id, {})[group_id] = run
    return found


@dataclass(frozen=True)
class Marked:
    group_id: str
    day: date
    status: str
    marked_at: datetime


def client_attendance(session: Session, client_id: str) -> list[Marked]:
    """Every session marked for the client, in date order (the caller checked they may see the client)."""
    rows = session.scalars(
        select(AttendanceRow)
        .where(AttendanceRow.client_id == client_id)
        .order_by(AttendanceRow.day, AttendanceRow.group_id)
    )
    return [Marked(r.group_id, r.day, r.status, r.marked_at) for r in rows]
