"""Making a seat: the one place a client is seated in a group.

Every way a seat is made goes through here: a reservation (`reservations.reserve_seat`,
behind the reservation route and the counsellors' find page), the coordinators'
resource route (POST and PATCH /enrollments) and publishing a plan. `take_seat` makes
one seat; `seat_planned` writes a published plan's new seats.

Both lock before they read: the client's row, then the group's row
(`storage.locks.lock_seat_holders`, a fixed order, so seat changes never wait for each
other in a circle). Only then are the seats taken counted and the rules checked, so
of two requests for the last seat, or for one client in two groups of one slot, the
second waits for the first and is refused when the first got it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract import Reason
from scheduler.contract.errors import NotFound
from scheduler.contract.reasons import CLOSED
from scheduler.services.admission import OpenGroup, admissions, group_admission
from scheduler.services.hybrid import hybrid_seats
from scheduler.services.matching import Seat, Suitability, suitability
from scheduler.services.offering import OfferedGroup, load_offering
from scheduler.services.profiles import client_profile, client_seats
from scheduler.services.service_periods import seat_end
from scheduler.storage.enrollments import EnrollmentError
from scheduler.storage.locks import lock_seat_holders
from scheduler.storage.models import ClientRow, EnrollmentRow, OfferRow, PlanningSettings

__all__ = [
    "GroupFull",
    "OpenGroup",
    "SeatTaken",
    "UnknownClient",
    "Unsuitable",
    "seat_faults",
    "seat_planned",
    "seat_suitability",
    "take_seat",
]


class UnknownClient(NotFound):
    """The client named in the request is not in the database."""


class SeatTaken(EnrollmentError):
    """The client already holds an active seat in the group (a conflict)."""


class GroupFull(EnrollmentError):
    """Every seat of the group is taken: the client may join its waiting list (a conflict)."""


class Unsuitable(EnrollmentError):
    """The group breaks one of the planner's rules for this client (a conflict); `reasons` say which."""

    def __init__(self, message: str, reasons: list[Reason]) -> None:
        super().__init__(message)
        self.reasons = reasons


def seat_faults(
    session: Session,
    client: ClientRow,
    group: OfferedGroup,
    moving: EnrollmentRow | None = None,
    closed: str | None = None,
) -> dict[str, str]:
    """The rule families (capacity and admission included) that keep the client out of the group, with why.

    `moving` is a stored seat being changed into this one: the seat it holds now is not counted.
    `closed` says why the group takes no new joiner (`admission.GroupAdmission.refusal`), if so.
    """
    return seat_suitability(session, client, group, moving, closed).fails


def seat_suitability(
    session: Session,
    client: ClientRow,
    group: OfferedGroup,
    moving: EnrollmentRow | None = None,
    closed: str | None = None,
) -> Suitability:
    """`seat_faults` with what fits too (a hybrid group's `from_home`)."""
    freed: set[str] = set()  # the group whose seat the moving seat gives up, if it is the client's
    if moving is not None and moving.status == "active":
        if moving.group_id == group.id:
            group = group.model_copy(update={"free_seats": group.free_seats + 1})
        if moving.client_id == client.id:
            freed.add(moving.group_id)
    seats: list[Seat] = [
        s for s in client_seats(session, client.id) if s.group_id != group.id and s.group_id not in freed
    ]
    return suitability(client_profile(session, client), group, seats, closed)


def _refuse_second_seat(session: Session, client_id: str, group_id: str, moving: EnrollmentRow | None) -> None:
    query = select(EnrollmentRow.id).where(
        EnrollmentRow.client_id == client_id, EnrollmentRow.group_id == group_id, EnrollmentRow.status == "active"
    )
    other = session.scalars(query.where(EnrollmentRow.id != moving.id) if moving is not None else query).first()
    if other is not None:
        raise SeatTaken(
            f"client '{client_id}' already has an active seat in group '{group_id}' "
            f"(enrollment {other}): change that seat instead"
        )
    offer = session.scalars(
        select(OfferRow.id).where(
            OfferRow.client_id == client_id, OfferRow.group_id == group_id, OfferRow.status == "pending"
        )
    ).first()
    if offer is not None:
        raise SeatTaken(
            f"client '{client_id}' holds a pending offer of a seat in group '{group_id}' (offer {offer}): "
            f"accept the offer instead (POST /offers/{offer}/accept)"
        )


def _running(session: Session, group_id: str, today: date) -> OfferedGroup:
    offered = load_offering(session, today, only=group_id)
    if not offered:
        raise NotFound(f"no running group '{group_id}'")
    return offered[0]


def _refuse_unsuitable(
    session: Session,
    client: ClientRow,
    group: OfferedGroup,
    moving: EnrollmentRow | None,
    closed: Reason | None,
    remote: bool | None,
    today: date,
) -> bool:
    """Refuse a seat the rules do not allow; else whether it is taken from home (a hybrid group's remote seat).

    `remote` given (a plan's or an offer's): the seat is taken so; None: present when the client can come
    to the room and it has a place, else from home when they can take part remotely."""
    group_id = group.id
    # the offering shows no bookable seat in a group past its admission (`admission_open`); the seats are judged
    # here by its size and what is held, and its admission by `closed`
    group = group.model_copy(update={"free_seats": max(group.capacity - group.taken, 0)})
    same = moving is not None and moving.status == "active" and moving.group_id == group_id
    hybrid = hybrid_seats(session, group_id, moving.id if same and moving is not None else None, today)
    if hybrid is not None:
        # the size limit counts everyone (`seat_suitability` frees a moving seat again); the room those present
        free = hybrid.free - (1 if same else 0)
        group = group.model_copy(update={"capacity": hybrid.capacity, "free_seats": max(free, 0)})
    found = seat_suitability(session, client, group, moving, closed.detail if closed is not None else None)
    fails = found.fails
    if "capacity" in fails:
        raise GroupFull(f"group '{group_id}' is full ({group.capacity} seats): add the client to its waiting list")
    if fails:
        raise Unsuitable(
            f"group '{group_id}' does not suit client '{client.id}': "
            + "; ".join(f"{code}: {why}" for code, why in fails.items()),
            [closed if code == CLOSED and closed else Reason(code=code, detail=why) for code, why in fails.items()],
        )
    if hybrid is None:
        return False
    if remote is None:
        remote = found.remote or (hybrid.room_free == 0 and client.remote_ok)
    if remote and not client.remote_ok:
        why = "a seat from home needs a client who can take part remotely (remote_ok)"
        raise Unsuitable(
            f"group '{group_id}' does not suit client '{client.id}': remote: {why}", [Reason(code="remote", detail=why)]
        )
    if not remote and hybrid.room_free == 0:
        raise GroupFull(
            f"the room of group '{group_id}' is full ({hybrid.room} places for those present): "
            "add the client to its waiting list"
        )
    return remote


def _first_day(session: Session, today: date) -> date:
    """A new seat starts today, or at the term start when the term has not begun."""
    frame = session.get(PlanningSettings, 1)
    return max(today, frame.term_start) if frame else today


def take_seat(
    session: Session,
    client_id: str,
    group_id: str,
    today: date,
    *,
    from_date: date | None = None,
    to_date: date | None = None,
    status: str = "active",
    seat: EnrollmentRow | None = None,
    offered: bool = False,
    remote: bool | None = None,
) -> EnrollmentRow:
    """Seat the client in the group (or change the stored `seat` into this one) when the rules let them.

    Locks the client and the group first (and the seat's present client and group when
    it moves), then checks under the lock: an active seat needs a running group, no
    other active seat of the client in it, a free seat and every rule the planner
    applies (a seat that stays active in the same group for the same client is only
    re-dated, not judged again). A seat that is not active (history) is only written.

    The group's admission (`admission`): an open pop-up takes no seat (OpenGroup); a new
    seat starts no earlier than the group's first session, and none is made after its last
    one, nor in a closed group past its closing session (reason `closed`; `offered`: a
    pending offer being accepted, which the planner judged so already). A hybrid group's
    seat is present or from home (`remote`: given, or decided here; `hybrid`).
    Raises UnknownClient, NotFound, OpenGroup, SeatTaken, GroupFull or Unsuitable; nothing is
    committed here.
    """
    held = [seat.client_id, seat.group_id] if seat is not None else []
    lock_seat_holders(session, [client_id, *held[:1]], [group_id, *held[1:]])
    group = _running(session, group_id, today) if status == "active" else None
    client = session.get(ClientRow, client_id, populate_existing=True)
    if client is None:
        raise UnknownClient(f"no client '{client_id}'")
    unchanged = (
        seat is not None and seat.status == "active" and (seat.client_id, seat.group_id) == (client_id, group_id)
    )
    first = from_date or (seat.from_date if seat is not None else _first_day(session, today))
    from_home = seat.remote if seat is not None and unchanged else bool(remote)
    if group is not None and not unchanged:
        admission = group_admission(session, group_id)
        if admission is not None and admission.popup:
            raise OpenGroup(
                f"group '{group_id}' is an open pop-up session: anyone may just come, no seat is needed "
                "(it takes no reservation, offer or seat)"
            )
        first = admission.first_day(first) if admission is not None else first
        closed = admission.refusal(first, offered=offered) if admission is not None else None
        _refuse_second_seat(session, client_id, group_id, seat)
        from_home = _refuse_unsuitable(session, client, group, seat, closed, remote, today)
    if seat is None:
        seat = EnrollmentRow(client_id=client_id, group_id=group_id, from_date=first)
        session.add(seat)
    else:
        seat.client_id, seat.group_id = client_id, group_id
        seat.from_date = first
    seat.to_date, seat.status, seat.remote = to_date, status, from_home
    session.flush()
    return seat


def seat_planned(
    session: Session, seats: Iterable[tuple[str, str]], start: date, remote: Collection[tuple[str, str]] = ()
) -> int:
    """Write the new seats of a plan being published (client, group), from `start` (a group's own first
    session when later); those in `remote` are taken from home (a hybrid group's); how many.

    The bulk variant of `take_seat`, for `planning.workflow.publish_run` only. It keeps
    the same rules in another way: a plan's seats were judged against every rule when it
    was planned (the solver places a client only where every rule holds, capacity
    included, over the seats stored then), and the publisher has
    already taken the same locks `take_seat` takes, on every client of the plan and then
    every running group (`lock_seat_holders`), and refused the plan if a seat or a record
    it relies on changed since it was planned ("plan again"). What it checked then is
    therefore still true here, so the seats are only written. Each seat ends with the
    client's service period (`service_periods.seat_end`).
    """
    seats = list(seats)
    terms = admissions(session, {group_id for _, group_id in seats})
    made = []
    for client_id, group_id in seats:
        client = session.get(ClientRow, client_id)
        first = terms[group_id].first_day(start) if group_id in terms else start
        end = seat_end(client, first) if client is not None else None
        made.append(
            EnrollmentRow(
                client_id=client_id,
                group_id=group_id,
                from_date=first,
                to_date=end,
                remote=(client_id, group_id) in remote,
            )
        )
    session.add_all(made)
    return len(made)
