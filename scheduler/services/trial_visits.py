"""Trial visits: a client comes to one session of a running group to try it, before anyone offers them a seat.

A counsellor (for the clients they handle: `ownership`) or a coordinator books the visit
(`book_trial`). It needs no decision and no free weekly slot, only:

- a session of the group held on that day (its rhythm date), today or later: a cancelled, past or
  off-rhythm day is a fault of `day`;
- a group that takes bookings: not a pop-up (`admission` open: anyone just comes), and for a closed
  (process) group one of its first `closes_after` sessions (code `closed`);
- a free seat on that day: the group's capacity less its active seats, its pending offers and the
  trial visits booked that day (`trial_seats.trial_seats_on`; code `capacity`);
- a client who holds no seat, offer or booked trial visit in the group, and who is in no other
  session at the same time that day (code `availability`);
- a language they speak, a way to take part (a remote group: `remote_ok`) and, when they need it, an
  accessible room (codes `language`, `remote`, `accessibility`). Travel, interest and audience are
  only warnings: a visit is how one finds out.

The booking locks the client's and the group's rows first (`storage.locks.lock_seat_holders`, as
every seat change does), so two bookings never take the last seat of a day twice, nor does a
reservation take a seat a visit holds: the offering's free seats leave out the visits booked on
its coming sessions (`trial_seats.trial_seats_held`).

A booked visit is cancelled up to its day (`cancel_trial`); from its day on the counsellor turns it
into a pending offer (`offer_trial`: every rule a seat obeys, the decision included, through
`seats.seat_faults` and `offers.make_offers`) or lets it end (`end_trial`). Every change is audited
with the client's pseudonymous id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.contract import Reason, minutes
from scheduler.contract.errors import Conflict, Invalid, NotFound
from scheduler.services.matching import suitability
from scheduler.services.offering import OfferedGroup, load_offering
from scheduler.services.offers import make_offers, offer_terms
from scheduler.services.ownership import Handler, check_handles
from scheduler.services.profiles import client_profile
from scheduler.services.seats import GroupFull, SeatTaken, Unsuitable, seat_faults
from scheduler.services.term_sessions import TermSession, group_sessions, sessions_on
from scheduler.services.trial_seats import trial_seats_on
from scheduler.storage.locks import lock_seat_holders
from scheduler.storage.models import (
    AuditEntry,
    ClientRow,
    EnrollmentRow,
    GroupModelRow,
    GroupRow,
    OfferRow,
    TrialVisit,
)

__all__ = [
    "REFUSING",
    "WARNING",
    "Booked",
    "TrialNotBooked",
    "book_trial",
    "cancel_trial",
    "client_trials",
    "end_trial",
    "get_trial",
    "offer_trial",
    "trial_groups",
]

REFUSING = ("language", "remote", "accessibility")
"""The client-fit rule families a trial visit obeys: a visit the client cannot take part in is refused."""
WARNING = ("interest", "audience", "travel")
"""The families only told as warnings: a visit is how a client finds out whether the group suits them."""


class TrialNotBooked(Conflict):
    """The visit was offered, let end or cancelled already: only a booked visit changes (409)."""


@dataclass(frozen=True)
class Booked:
    """A visit booked, with the warnings the counsellor should read, and the seats left that day."""

    visit: TrialVisit
    warnings: list[Reason] = field(default_factory=list)
    free_seats: int = 0


def _audit(session: Session, now: datetime, actor: str, action: str, visit: TrialVisit, **more: object) -> None:
    detail = {"client": visit.client_id, "group": visit.group_id, "day": visit.day.isoformat(), **more}
    session.add(
        AuditEntry(
            at=now, actor=actor[:200], action=action, entity="trial_visit", entity_id=str(visit.id), detail=detail
        )
    )


def _session_of(session: Session, group_id: str, day: date, today: date) -> TermSession:
    """The group's held session of that rhythm date, today or later; Invalid naming `day` otherwise."""
    term = next((t for t in group_sessions(session, group_id) if t.planned == day), None)
    if term is None:
        raise Invalid.of("day", f"group {group_id!r} has no session on {day.isoformat()} (its weekly rhythm's dates)")
    if not term.held:
        why = f" ({term.reason})" if term.reason else ""
        raise Invalid.of("day", f"the session of {day.isoformat()} is cancelled{why}: choose another day")
    if term.day < today:
        raise Invalid.of("day", f"the session of {day.isoformat()} is past: choose a coming one")
    return term


def _refuse_closed(session: Session, model: GroupModelRow, group_id: str, term: TermSession) -> None:
    if model.admission == "open":
        raise Invalid.of("group_id", f"group {group_id!r} is a pop-up: it takes no booking, anyone may just come")
    if model.admission != "closed":
        return
    held = [t.planned for t in group_sessions(session, group_id) if t.held]
    if term.planned not in held[: model.closes_after]:
        reason = Reason(
            code="closed",
            detail=f"the group closes to new members after its session {model.closes_after}: "
            "a trial visit is one of its first sessions",
        )
        raise Unsuitable(f"group {group_id!r} is closed to new members on {term.planned.isoformat()}", [reason])


def _refuse_held(session: Session, client_id: str, group_id: str) -> None:
    """The client holds nothing in the group yet: no seat, no pending offer, no booked visit."""
    for what, query in (
        (
            "an active seat",
            select(EnrollmentRow.id).where(
                EnrollmentRow.client_id == client_id,
                EnrollmentRow.group_id == group_id,
                EnrollmentRow.status == "active",
            ),
        ),
        (
            "a pending offer",
            select(OfferRow.id).where(
                OfferRow.client_id == client_id, OfferRow.group_id == group_id, OfferRow.status == "pending"
            ),
        ),
        (
            "a booked trial visit",
            select(TrialVisit.id).where(
                TrialVisit.client_id == client_id, TrialVisit.group_id == group_id, TrialVisit.status == "booked"
            ),
        ),
    ):
        if session.scalars(query).first() is not None:
            raise SeatTaken(f"client {client_id!r} already holds {what} in group {group_id!r}")


def _clash(session: Session, client_id: str, group_id: str, term: TermSession) -> Reason | None:
    """Another session the client attends at the same time that day (a seat, a pending offer or a visit)."""
    theirs = set(
        session.scalars(
            select(EnrollmentRow.group_id).where(EnrollmentRow.client_id == client_id, EnrollmentRow.status == "active")
        )
    )
    theirs |= set(
        session.scalars(select(OfferRow.group_id).where(OfferRow.client_id == client_id, OfferRow.status == "pending"))
    )
    visits = {
        (visit.group_id, visit.day)
        for visit in session.scalars(
            select(TrialVisit).where(TrialVisit.client_id == client_id, TrialVisit.status == "booked")
        )
    }
    start, end = minutes(term.start), minutes(term.end)
    for other, held in sessions_on(session, term.day):
        if other == group_id or (other not in theirs and (other, held.planned) not in visits):
            continue
        if minutes(held.start) < end and start < minutes(held.end):
            return Reason(
                code="availability",
                detail=f"{term.day.isoformat()} {term.start}–{term.end} clashes with their group {other} "
                f"({held.start}–{held.end})",
            )
    return None


def _seats_taken(session: Session, group_id: str) -> int:
    seats = session.scalar(
        select(func.count()).where(EnrollmentRow.group_id == group_id, EnrollmentRow.status == "active")
    )
    offers = session.scalar(select(func.count()).where(OfferRow.group_id == group_id, OfferRow.status == "pending"))
    return int(seats or 0) + int(offers or 0)


def _running(session: Session, group_id: str, today: date) -> tuple[GroupRow, GroupModelRow, OfferedGroup]:
    group = session.get(GroupRow, group_id, populate_existing=True)
    offered = load_offering(session, today, upcoming=0, only=group_id)
    model = session.get(GroupModelRow, group.template_id) if group is not None else None
    if group is None or model is None or not offered:
        raise NotFound(f"no running group {group_id!r}")
    return group, model, offered[0]


def book_trial(
    session: Session,
    who: Handler,
    client_id: str,
    group_id: str,
    day: date,
    actor: str,
    today: date,
    now: datetime,
) -> Booked:
    """Book the client on the group's session of `day` (see the module for the rules); nothing is committed.

    Raises NotFound (client or group), NotYourClient, Invalid (`day`, `group_id`), SeatTaken, GroupFull or
    Unsuitable (with the reasons)."""
    if check_handles(session, who, client_id) is None:
        raise NotFound(f"no client {client_id!r}")
    lock_seat_holders(session, [client_id], [group_id])
    client = session.get(ClientRow, client_id, populate_existing=True)
    if client is None:
        raise NotFound(f"no client {client_id!r}")
    _, model, offered = _running(session, group_id, today)
    term = _session_of(session, group_id, day, today)
    _refuse_closed(session, model, group_id, term)
    _refuse_held(session, client_id, group_id)
    judged = suitability(client_profile(session, client), offered, [])
    refused = [Reason(code=code, detail=judged.fails[code]) for code in REFUSING if code in judged.fails]
    clash = _clash(session, client_id, group_id, term)
    if clash is not None:
        refused.append(clash)
    if refused:
        raise Unsuitable(
            f"group {group_id!r} does not suit client {client_id!r} for a trial visit: "
            + "; ".join(f"{r.code}: {r.detail}" for r in refused),
            refused,
        )
    free = offered.capacity - _seats_taken(session, group_id) - trial_seats_on(session, group_id, day)
    if free <= 0:
        raise GroupFull(f"group {group_id!r} has no free seat on {day.isoformat()} ({offered.capacity} seats)")
    visit = TrialVisit(client_id=client_id, group_id=group_id, day=day, status="booked", booked_by=actor[:200])
    visit.booked_at = now
    session.add(visit)
    session.flush()
    _audit(session, now, actor, "trial_book", visit)
    warnings = [Reason(code=code, detail=judged.fails[code]) for code in WARNING if code in judged.fails]
    return Booked(visit, warnings, free - 1)


def client_trials(session: Session, who: Handler, client_id: str) -> list[TrialVisit]:
    """The client's trial visits, the latest day first (NotFound, or NotYourClient for another's client)."""
    if check_handles(session, who, client_id) is None:
        raise NotFound(f"no client {client_id!r}")
    return list(
        session.scalars(
            select(TrialVisit)
            .where(TrialVisit.client_id == client_id)
            .order_by(TrialVisit.day.desc(), TrialVisit.id.desc())
        )
    )


def get_trial(session: Session, visit_id: int, who: Handler) -> TrialVisit:
    """One visit, when the caller handles its client."""
    visit = session.get(TrialVisit, visit_id)
    if visit is None:
        raise NotFound(f"no trial visit {visit_id}")
    check_handles(session, who, visit.client_id)
    return visit


def _booked(session: Session, visit_id: int, who: Handler) -> TrialVisit:
    """The visit, locked with its client and group and read again: it must still be booked."""
    visit = get_trial(session, visit_id, who)
    lock_seat_holders(session, [visit.client_id], [visit.group_id])
    session.refresh(visit)
    if visit.status != "booked":
        raise TrialNotBooked(f"trial visit {visit_id} is {visit.status}: only a booked visit changes")
    return visit


def cancel_trial(session: Session, visit_id: int, who: Handler, actor: str, today: date, now: datetime) -> TrialVisit:
    """Cancel a booked visit up to its day: its seat is free again."""
    visit = _booked(session, visit_id, who)
    if visit.day < today:
        raise TrialNotBooked(
            f"trial visit {visit_id} was on {visit.day.isoformat()}: offer the group or let the visit end"
        )
    visit.status = "cancelled"
    _audit(session, now, actor, "trial_cancel", visit)
    session.flush()
    return visit


def _visited(visit: TrialVisit, today: date) -> None:
    if visit.day > today:
        raise TrialNotBooked(
            f"trial visit {visit.id} is on {visit.day.isoformat()}: after it, offer the group or let it end "
            "(cancel it before)"
        )


def end_trial(session: Session, visit_id: int, who: Handler, actor: str, today: date, now: datetime) -> TrialVisit:
    """Let a visit end from its day on: no offer follows it."""
    visit = _booked(session, visit_id, who)
    _visited(visit, today)
    visit.status = "ended"
    _audit(session, now, actor, "trial_end", visit)
    session.flush()
    return visit


def offer_trial(
    session: Session, visit_id: int, who: Handler, actor: str, today: date, now: datetime
) -> tuple[TrialVisit, OfferRow]:
    """Turn a visit into a pending offer of a seat from the group's next session, from the visit's day on.

    Every rule a seat obeys is checked (`seats.seat_faults`: the decision in force, the client-fit rules,
    capacity) with the visit no longer holding its seat; a refusal (SeatTaken, GroupFull, Unsuitable)
    leaves the visit booked. The offer is answered as any other (`offers.accept_offer`)."""
    visit = _booked(session, visit_id, who)
    _visited(visit, today)
    client = session.get(ClientRow, visit.client_id, populate_existing=True)
    assert client is not None  # a visit's client is a foreign key
    visit.status = "offered"
    session.flush()
    try:
        _, model, offered = _running(session, visit.group_id, today)
        if model.admission == "open":
            raise Invalid.of("group_id", f"group {visit.group_id!r} is a pop-up: it takes no offers")
        _refuse_held(session, client.id, visit.group_id)
        fails = seat_faults(session, client, offered)
        if "capacity" in fails:
            raise GroupFull(f"group {visit.group_id!r} is full ({offered.capacity} seats)")
        if fails:
            raise Unsuitable(
                f"group {visit.group_id!r} does not suit client {client.id!r}: "
                + "; ".join(f"{code}: {why}" for code, why in fails.items()),
                [Reason(code=code, detail=why) for code, why in fails.items()],
            )
        starts = next((t.day for t in group_sessions(session, visit.group_id) if t.held and t.day > today), None)
        if starts is None:
            raise Conflict(f"group {visit.group_id!r} has no session left after {today.isoformat()}")
    except Exception:
        visit.status = "booked"
        session.flush()
        raise
    make_offers(session, [(client.id, visit.group_id)], starts, today, offer_terms(session).reply_days, None)
    offer = session.scalars(
        select(OfferRow)
        .where(OfferRow.client_id == client.id, OfferRow.group_id == visit.group_id, OfferRow.status == "pending")
        .order_by(OfferRow.id.desc())
    ).first()
    assert offer is not None
    visit.offer_id = offer.id
    _audit(session, now, actor, "trial_offer", visit, offer=offer.id)
    session.flush()
    return visit, offer


def trial_groups(session: Session, today: date) -> list[OfferedGroup]:
    """The running groups a trial visit may be booked in (not the pop-ups), by id."""
    popups = set(session.scalars(select(GroupModelRow.id).where(GroupModelRow.admission == "open")))
    return [g for g in load_offering(session, today, upcoming=0) if g.template_id not in popups]
