"""Reserving a seat for a client, giving it up, and waiting lists for full groups.

The last seat cannot be sold twice: a reservation first writes to its group's row,
which locks it (a row lock on PostgreSQL, the write lock on SQLite), and only then
counts the seats taken, so concurrent reservations for one group take turns.
A client is seated only where every rule the planner applies lets them in, so the
next planning run can keep the group as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from scheduler.contract import Reason
from scheduler.contract.errors import NotFound
from scheduler.services.matching import Profile, Recommendation, Seat, recommend, suitability
from scheduler.services.offering import OfferedGroup, load_offering
from scheduler.storage.enrollments import EnrollmentError, end_enrollment
from scheduler.storage.models import (
    AuditEntry,
    ClientRow,
    EnrollmentRow,
    GroupRow,
    PlanningSettings,
    TravelOverride,
    WaitlistEntry,
)

__all__ = [
    "GroupFull",
    "UnknownClient",
    "Unsuitable",
    "cancel_seat",
    "client_profile",
    "client_seats",
    "join_waitlist",
    "recommend_for_client",
    "reserve_seat",
    "seat_faults",
    "waiting",
]


class UnknownClient(NotFound):
    """The client named in the request is not in the database."""


class GroupFull(EnrollmentError):
    """Every seat of the group is taken: the client may join its waiting list (a conflict)."""


class Unsuitable(EnrollmentError):
    """The group breaks one of the planner's rules for this client (a conflict); `reasons` say which."""

    def __init__(self, message: str, reasons: list[Reason]) -> None:
        super().__init__(message)
        self.reasons = reasons


@dataclass(frozen=True)
class Reservation:
    enrollment_id: int
    group_id: str
    client_id: str
    from_date: date
    free_seats: int


def client_profile(session: Session, client: ClientRow) -> Profile:
    """A stored client as a matching profile, with their known travel times."""
    overrides = {
        hub: int(m)
        for hub, m in session.execute(
            select(TravelOverride.hub_id, TravelOverride.minutes).where(
                TravelOverride.kind == "client", TravelOverride.source == client.id
            )
        )
    }
    return Profile(
        languages=client.languages,
        lat=client.home_lat,
        lon=client.home_lon,
        travel_mode=client.travel_mode,
        max_travel_minutes=client.max_travel_minutes,
        available=client.available,
        interests=client.interests,
        audiences=client.audiences,
        needs_accessible=client.needs_accessible,
        remote_ok=client.remote_ok,
        max_groups_per_week=client.max_groups_per_week,
        travel_overrides=overrides,
    )


def client_seats(session: Session, client_id: str) -> list[Seat]:
    """The running groups the client holds an active seat in."""
    rows = session.execute(
        select(GroupRow.id, GroupRow.day, GroupRow.start, GroupRow.end)
        .join(EnrollmentRow, EnrollmentRow.group_id == GroupRow.id)
        .where(EnrollmentRow.client_id == client_id, EnrollmentRow.status == "active", GroupRow.status == "running")
    )
    return [Seat(*row) for row in rows]


def seat_faults(session: Session, client: ClientRow, group: OfferedGroup) -> dict[str, str]:
    """The rule families (capacity included) that keep the client out of the group, with why."""
    seats = [s for s in client_seats(session, client.id) if s.group_id != group.id]
    return suitability(client_profile(session, client), group, seats).fails


def _locked_group(session: Session, group_id: str, today: date) -> OfferedGroup:
    """Lock the group against other seat changes, then read it with its seats taken now."""
    lock = update(GroupRow).where(GroupRow.id == group_id).values(status=GroupRow.status)
    touched = cast(CursorResult[Any], session.execute(lock))  # an UPDATE answers with a cursor result
    offered = load_offering(session, today, only=group_id)
    if not touched.rowcount or not offered:
        raise NotFound(f"no running group {group_id!r}")
    return offered[0]


def _client(session: Session, client_id: str) -> ClientRow:
    client = session.get(ClientRow, client_id)
    if client is None:
        raise UnknownClient(f"no client {client_id!r}")
    return client


def recommend_for_client(session: Session, client_id: str, today: date, limit: int = 5) -> Recommendation:
    """The groups that suit a stored client now, given the seats they already hold."""
    client = _client(session, client_id)
    return recommend(
        client_profile(session, client), load_offering(session, today), client_seats(session, client.id), limit
    )


def reserve_seat(session: Session, group_id: str, client_id: str, actor: str, today: date) -> Reservation:
    """Seat the client in the group from its next session (or the term start)."""
    group = _locked_group(session, group_id, today)
    client = _client(session, client_id)
    if any(s.group_id == group_id for s in client_seats(session, client_id)):
        raise EnrollmentError(f"client {client_id!r} already has a seat in group {group_id!r}")
    fails = seat_faults(session, client, group)
    if "capacity" in fails:
        raise GroupFull(f"group {group_id!r} is full ({group.capacity} seats): add the client to its waiting list")
    if fails:
        reasons = [Reason(code=code, detail=why) for code, why in fails.items()]
        raise Unsuitable(
            f"group {group_id!r} does not suit client {client_id!r}: " + "; ".join(fails.values()), reasons
        )
    frame = session.get(PlanningSettings, 1)
    start = max(today, frame.term_start) if frame else today
    seat = EnrollmentRow(client_id=client_id, group_id=group_id, from_date=start)
    client.in_service = True
    session.add(seat)
    for entry in session.scalars(
        select(WaitlistEntry).where(
            WaitlistEntry.group_id == group_id, WaitlistEntry.client_id == client_id, WaitlistEntry.status == "waiting"
        )
    ):
        entry.status = "seated"
    session.flush()
    session.add(
        AuditEntry(
            actor=actor,
            action="reserve",
            entity="enrollment",
            entity_id=str(seat.id),
            detail={"client": client_id, "group": group_id, "from": start.isoformat()},
        )
    )
    return Reservation(seat.id, group_id, client_id, start, group.free_seats - 1)


def cancel_seat(session: Session, group_id: str, client_id: str, actor: str, today: date) -> int:
    """Give up the client's seat (they keep waiting for another); returns the group's free seats now."""
    _locked_group(session, group_id, today)
    end_enrollment(session, client_id, group_id, "interrupted", today, actor, leaves_service=False)
    return load_offering(session, today, only=group_id)[0].free_seats


def join_waitlist(session: Session, group_id: str, client_id: str, actor: str, today: date) -> int:
    """Put the client on the group's waiting list; returns their place in the queue (1 is next)."""
    _locked_group(session, group_id, today)
    _client(session, client_id)
    if any(s.group_id == group_id for s in client_seats(session, client_id)):
        raise EnrollmentError(f"client {client_id!r} already has a seat in group {group_id!r}")
    queue = waiting(session, group_id)
    if client_id in queue:
        return queue.index(client_id) + 1
    session.add(WaitlistEntry(group_id=group_id, client_id=client_id))
    session.add(
        AuditEntry(actor=actor, action="waitlist", entity="group", entity_id=group_id, detail={"client": client_id})
    )
    return len(queue) + 1


def waiting(session: Session, group_id: str) -> list[str]:
    """The clients waiting for a seat in the group, first come first."""
    return list(
        session.scalars(
            select(WaitlistEntry.client_id)
            .where(WaitlistEntry.group_id == group_id, WaitlistEntry.status == "waiting")
            .order_by(WaitlistEntry.id)
        )
    )
