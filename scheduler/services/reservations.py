"""Reserving a seat for a client, giving it up, and waiting lists for full groups.

The last seat cannot be sold twice: a reservation makes its seat with
`seats.take_seat`, which locks the client and then the group before it counts the
seats taken and checks the rules, so concurrent reservations for one group (or for one
client) take turns. A client is seated only where every rule the planner applies lets
them in, so the next planning run can keep the group as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract.errors import NotFound
from scheduler.services.admission import OpenGroup, group_admission, new_joiners
from scheduler.services.matching import Recommendation, recommend
from scheduler.services.offering import load_offering
from scheduler.services.profiles import client_profile, client_seats
from scheduler.services.seats import GroupFull, SeatTaken, UnknownClient, Unsuitable, seat_faults, take_seat
from scheduler.storage.enrollments import end_enrollment, ending_of
from scheduler.storage.locks import lock_seat_holders
from scheduler.storage.models import AuditEntry, ClientRow, GroupRow, WaitlistEntry

__all__ = [
    "GroupFull",
    "OpenGroup",
    "SeatTaken",
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


@dataclass(frozen=True)
class Reservation:
    enrollment_id: int
    group_id: str
    client_id: str
    from_date: date
    free_seats: int
    remote: bool = False
    """A hybrid group's seat taken from home."""


def _running(session: Session, group_id: str) -> None:
    if session.scalar(select(GroupRow.id).where(GroupRow.id == group_id, GroupRow.status == "running")) is None:
        raise NotFound(f"no running group '{group_id}'")


def _client(session: Session, client_id: str) -> ClientRow:
    client = session.get(ClientRow, client_id)
    if client is None:
        raise UnknownClient(f"no client '{client_id}'")
    return client


def recommend_for_client(session: Session, client_id: str, today: date, limit: int = 5) -> Recommendation:
    """The groups that suit a stored client now, given the seats they already hold: closed groups past their
    closing session fail `closed`, open pop-ups take no seat and are left out (`admission`)."""
    client = _client(session, client_id)
    shut = new_joiners(session, today)
    return recommend(
        client_profile(session, client),
        shut.groups,
        client_seats(session, client.id),
        limit,
        shut.closed,
        shut.popups,
        shut.rooms,
    )


def reserve_seat(session: Session, group_id: str, client_id: str, actor: str, today: date) -> Reservation:
    """Seat the client in the group from its next session (or the term start); their wait for it ends."""
    seat = take_seat(session, client_id, group_id, today)
    _client(session, client_id).in_service = True
    for entry in session.scalars(
        select(WaitlistEntry).where(
            WaitlistEntry.group_id == group_id, WaitlistEntry.client_id == client_id, WaitlistEntry.status == "waiting"
        )
    ):
        entry.status = "seated"
    session.add(
        AuditEntry(
            actor=actor,
            action="reserve",
            entity="enrollment",
            entity_id=str(seat.id),
            detail={"client": client_id, "group": group_id, "from": seat.from_date.isoformat()},
        )
    )
    free = load_offering(session, today, only=group_id)[0].free_seats
    return Reservation(seat.id, group_id, client_id, seat.from_date, free, seat.remote)


def cancel_seat(
    session: Session,
    group_id: str,
    client_id: str,
    actor: str,
    today: date,
    reason: str | None = None,
    next_step: str | None = None,
    leaves_service: bool = False,
) -> int:
    """Give up the client's seat (they keep waiting for another, unless they leave the service), with why
    and where they go next when said; returns the group's free seats now."""
    lock_seat_holders(session, [client_id], [group_id])
    _running(session, group_id)
    end_enrollment(
        session,
        client_id,
        group_id,
        ending_of(reason) if reason else "interrupted",
        today,
        actor,
        leaves_service=leaves_service,
        reason=reason,
        next_step=next_step,
    )
    return load_offering(session, today, only=group_id)[0].free_seats


def join_waitlist(session: Session, group_id: str, client_id: str, actor: str, today: date) -> int:
    """Put the client on the group's waiting list; returns their place in the queue (1 is next). An open
    pop-up has no list (OpenGroup): anyone may just come."""
    lock_seat_holders(session, [client_id], [group_id])
    _running(session, group_id)
    _client(session, client_id)
    admission = group_admission(session, group_id)
    if admission is not None and admission.popup:
        raise OpenGroup(f"group '{group_id}' is an open pop-up session: anyone may just come, it has no waiting list")
    if any(s.group_id == group_id for s in client_seats(session, client_id)):
        raise SeatTaken(f"client '{client_id}' already has a seat in group '{group_id}'")
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
