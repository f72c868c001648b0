"""A hybrid group's seats: a room for those present and a remote link for those who join from home.

The group's size limit counts everyone (the model's `max_size`, four while it has a single
leader: `offering.capacity` without a room); the room's places, less the leaders, count only
those present. A seat (`EnrollmentRow.remote`) or a pending offer (`OfferRow.remote`) taken
from home uses no place in the room.

A new seat of a stored client (`seats.take_seat`) is present when the client can come: their
trip is within their limit (and the room is accessible when they need it) and the room has a
place; else it is remote when the client can take part remotely (`remote_ok`); else it is
refused by the rule that keeps them out (`travel`, `accessibility`), or as full. A published
plan says who joins from home (`Group.remote_participants`), and its offers and seats keep it;
an accepted offer's seat keeps its offer's `remote`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.services.offering import OfferedGroup, capacity
from scheduler.services.trial_seats import trial_seats_held
from scheduler.storage.models import EnrollmentRow, GroupModelRow, GroupRow, OfferRow, RoomRow

__all__ = ["HybridSeats", "hybrid_seats", "hybrid_view"]


@dataclass(frozen=True)
class HybridSeats:
    """A hybrid group's places now: overall, and in the room."""

    capacity: int
    """Everyone: present and remote."""
    room: int
    """Those present: the room's places less the leaders."""
    taken: int
    present: int
    """Seats and pending offers of those who come to the room."""

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def room_free(self) -> int:
        return max(min(self.room - self.present, self.free), 0)


def hybrid_seats(
    session: Session, group_id: str, ignore_seat: int | None = None, today: date | None = None
) -> HybridSeats | None:
    """The places of a hybrid group (None: the group is not hybrid); `ignore_seat` is a seat being moved. With
    `today`, the trial visits booked on a coming session hold places in the room too (`trial_seats`)."""
    row = session.execute(
        select(GroupModelRow.max_size, GroupRow.leaders, GroupRow.modality, RoomRow.capacity)
        .join(GroupModelRow, GroupModelRow.id == GroupRow.template_id)
        .outerjoin(RoomRow, RoomRow.id == GroupRow.room_id)
        .where(GroupRow.id == group_id)
    ).first()
    if row is None or row.modality != "hybrid":
        return None
    leaders = len(row.leaders)
    taken = present = 0
    seats = select(EnrollmentRow.remote, func.count()).where(
        EnrollmentRow.group_id == group_id, EnrollmentRow.status == "active"
    )
    if ignore_seat is not None:
        seats = seats.where(EnrollmentRow.id != ignore_seat)
    offers = select(OfferRow.remote, func.count()).where(OfferRow.group_id == group_id, OfferRow.status == "pending")
    for query in (seats.group_by(EnrollmentRow.remote), offers.group_by(OfferRow.remote)):
        for remote, n in session.execute(query):
            taken += int(n)
            present += 0 if remote else int(n)
    if today is not None:
        trials = trial_seats_held(session, today, group_id).get(group_id, 0)
        taken, present = taken + trials, present + trials
    room = max((row.capacity or 0) - leaders, 0)
    return HybridSeats(capacity(row.max_size, None, leaders), room, taken, present)


def hybrid_view(session: Session, groups: list[OfferedGroup], today: date) -> tuple[list[OfferedGroup], dict[str, int]]:
    """The groups with each hybrid group's seats counted overall (its size limit), and the hybrid groups' free
    places in their rooms, for the recommendations (`matching.recommend`'s `rooms`)."""
    shown, rooms = [], {}
    for group in groups:
        places = hybrid_seats(session, group.id, today=today) if group.modality == "hybrid" else None
        if places is not None:
            group = group.model_copy(update={"capacity": places.capacity, "free_seats": places.free})
            rooms[group.id] = places.room_free
        shown.append(group)
    return shown, rooms
