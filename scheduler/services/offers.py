"""Offers: a seat held for a client until they answer, made when a plan is published.

Publishing a plan (`planning.workflow.publish_run`) turns each new placement into an
offer (`make_offers`) unless the county accepts offers at once (`PlanningSettings.
offers_accept_at_once`: a seat at once, as before offers existed). An offer's status:

- `pending`: it holds the seat. The group's free seats count it, the client's other
  seats are judged with it (`profiles.client_seats`), and the planning export lists
  the client among the group's participants (`repository.held_seats`);
- `accepted`: it became the seat `enrollment_id` (`accept_offer`), judged again by every
  rule `seats.take_seat` applies, capacity included, with the offer no longer counted; a
  closed group past its closing session still takes it (the offer was made when the planner
  could seat the client: `scheduler.services.admission`), and a hybrid group's seat keeps the
  offer's `remote`;
- `declined`: the client said no, with a reason (`decline_offer`); they keep waiting and
  the group goes on their `declined` list, so the next plan does not offer it again;
- `expired`: nobody answered by `reply_by` (`expire_offers`, the daily step);
- `withdrawn`: a later published plan no longer holds it (its group closed, or the client
  was placed elsewhere; `withdraw_offers`).

The daily step (`daily_step`: `tarjotin offers expire`, and hourly in `tarjotin serve`)
expires offers, ends the seats whose service period is over (`completed`) and tells the
counsellors of offers about to expire (`notice_events.OFFER_EXPIRING_DAYS`); each offer made
is told to its client's counsellor too (`scheduler.services.notice_events`).
A counsellor acts only on the clients they handle (`ownership`); a coordinator on all.
Every change is audited with the client's pseudonymous id, never their alias.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract.errors import Conflict, Invalid, NotFound
from scheduler.contract.service import DECLINE_REASONS
from scheduler.services.admission import admissions
from scheduler.services.notice_events import notify_offers_expiring, notify_offers_made
from scheduler.services.offering import load_offering
from scheduler.services.ownership import Handler, check_handles, visible
from scheduler.services.seats import take_seat
from scheduler.services.service_periods import seat_end
from scheduler.storage.enrollments import EnrollmentError
from scheduler.storage.locks import lock_seat_holders
from scheduler.storage.models import AuditEntry, ClientRow, EnrollmentRow, OfferRow, PlanningSettings, WaitlistEntry

__all__ = [
    "MAX_REPLY_DAYS",
    "NOTE_LENGTH",
    "OFFER_STATUSES",
    "Accepted",
    "DailyStep",
    "OfferNotPending",
    "OfferTermsNow",
    "accept_offer",
    "daily_step",
    "decline_offer",
    "end_finished_seats",
    "expire_offers",
    "get_offer",
    "list_offers",
    "make_offers",
    "offer_terms",
    "set_offer_terms",
    "withdraw_offers",
]

OFFER_STATUSES: tuple[str, ...] = ("pending", "accepted", "declined", "expired", "withdrawn")
NOTE_LENGTH = 500
"""The longest note a decline may carry (kept in the audit entry only)."""
MAX_REPLY_DAYS = 90


class OfferNotPending(Conflict):
    """The offer was answered already (or expired, or withdrawn): only a pending offer is answered (409)."""


@dataclass(frozen=True)
class Accepted:
    """The seat an accepted offer became."""

    offer_id: int
    enrollment_id: int
    client_id: str
    group_id: str
    from_date: date
    to_date: date | None
    free_seats: int


@dataclass(frozen=True)
class DailyStep:
    """What the daily step did."""

    expired: int
    completed: int
    reminded: int = 0
    """Notices of offers about to expire (each offer is told once)."""


@dataclass(frozen=True)
class OfferTermsNow:
    """The county's offer terms."""

    reply_days: int
    accept_at_once: bool


def make_offers(
    session: Session,
    placements: Iterable[tuple[str, str]],
    starts_on: date,
    made_on: date,
    reply_days: int,
    run: int | None,
    remote: Collection[tuple[str, str]] = (),
) -> int:
    """Offer each (client, group) a seat from `starts_on` (a group's own first session when later), to answer
    by `made_on + reply_days`; those in `remote` are offered a seat from home (a hybrid group's); how many.
    Each offer is told to its client's counsellor (a notice, in this transaction).

    For `planning.workflow.publish_run`, which has taken the seat locks and checked the plan, and for
    `trial_visits.offer_trial` (no run: `run` None), which has taken them and checked the seat."""
    reply_by = made_on + timedelta(days=reply_days)
    placements = list(placements)
    terms = admissions(session, {group for _, group in placements})
    made = [
        OfferRow(
            client_id=client,
            group_id=group,
            run_id=run,
            status="pending",
            made_on=made_on,
            starts_on=terms[group].first_day(starts_on) if group in terms else starts_on,
            reply_by=reply_by,
            remote=(client, group) in remote,
        )
        for client, group in placements
    ]
    session.add_all(made)
    notify_offers_made(session, made)
    return len(made)


def withdraw_offers(session: Session, offers: Sequence[OfferRow], actor: str) -> int:
    """Withdraw pending offers a newly published plan no longer holds; how many."""
    for offer in offers:
        offer.status, offer.answered_by = "withdrawn", actor[:200]
    return len(offers)


def list_offers(session: Session, who: Handler, status: str | None = None) -> list[OfferRow]:
    """The offers of the clients the caller handles (a coordinator: all), newest first."""
    query = select(OfferRow).join(ClientRow, ClientRow.id == OfferRow.client_id).where(visible(who))
    if status is not None:
        query = query.where(OfferRow.status == status)
    return list(session.scalars(query.order_by(OfferRow.id.desc())))


def get_offer(session: Session, offer_id: int, who: Handler) -> OfferRow:
    """One offer, when the caller handles its client (NotYourClient otherwise: a 403)."""
    offer = session.get(OfferRow, offer_id)
    if offer is None:
        raise NotFound(f"no offer {offer_id}")
    check_handles(session, who, offer.client_id)
    return offer


def _pending(session: Session, offer_id: int, who: Handler) -> OfferRow:
    """The offer, locked with its client and group, re-read under the lock: it must still be pending."""
    offer = get_offer(session, offer_id, who)
    lock_seat_holders(session, [offer.client_id], [offer.group_id])
    session.refresh(offer)
    if offer.status != "pending":
        raise OfferNotPending(f"offer {offer_id} is {offer.status}: only a pending offer can be answered")
    return offer


def accept_offer(session: Session, offer_id: int, who: Handler, actor: str, today: date, now: datetime) -> Accepted:
    """The client takes the offered seat: from max(starts_on, today), to the end of their service period.

    The offer is marked accepted first, so the seat rules (`seats.take_seat`: capacity and
    every rule the planner applies) judge the seat without it; a refusal leaves the offer
    pending and raises (GroupFull or Unsuitable: a 409 with the reasons). Nothing is committed here.
    """
    offer = _pending(session, offer_id, who)
    offer.status = "accepted"
    session.flush()
    client = session.get(ClientRow, offer.client_id)
    assert client is not None  # an offer's client is a foreign key (erasure removes offers)
    start = max(offer.starts_on, today)
    try:
        seat = take_seat(
            session,
            offer.client_id,
            offer.group_id,
            today,
            from_date=start,
            to_date=seat_end(client, start),
            offered=True,
            remote=offer.remote,
        )
    except EnrollmentError:
        offer.status = "pending"
        session.flush()
        raise
    offer.answered_at, offer.answered_by, offer.enrollment_id = now, actor[:200], seat.id
    client.in_service = True
    for entry in session.scalars(
        select(WaitlistEntry).where(
            WaitlistEntry.group_id == offer.group_id,
            WaitlistEntry.client_id == offer.client_id,
            WaitlistEntry.status == "waiting",
        )
    ):
        entry.status = "seated"
    _audit(
        session,
        now,
        actor,
        "accept",
        offer,
        enrollment=seat.id,
        to=seat.to_date.isoformat() if seat.to_date else None,
        **{"from": seat.from_date.isoformat()},
    )
    session.flush()
    free = load_offering(session, today, upcoming=0, only=offer.group_id)
    return Accepted(
        offer.id,
        seat.id,
        offer.client_id,
        offer.group_id,
        seat.from_date,
        seat.to_date,
        free[0].free_seats if free else 0,
    )


def decline_offer(
    session: Session,
    offer_id: int,
    who: Handler,
    actor: str,
    reason: str,
    today: date,
    now: datetime,
    note: str | None = None,
) -> OfferRow:
    """The client says no, with a reason (`DECLINE_REASONS`): the offer ends, the client keeps waiting and the
    group goes on their `declined` list for the next plan. A short note is kept in the audit entry."""
    if reason not in DECLINE_REASONS:
        raise Invalid.of("reason", f"{reason!r} is not a decline reason: give one of {', '.join(DECLINE_REASONS)}")
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_LENGTH:
        raise Invalid.of("note", f"the note is {len(note)} characters: at most {NOTE_LENGTH}")
    offer = _pending(session, offer_id, who)
    offer.status, offer.decline_reason = "declined", reason
    offer.answered_at, offer.answered_by = now, actor[:200]
    client = session.get(ClientRow, offer.client_id)
    assert client is not None
    kept = [d for d in client.declined or [] if not (isinstance(d, dict) and d.get("group") == offer.group_id)]
    client.declined = [*kept, {"group": offer.group_id, "reason": reason, "on": today.isoformat()}]
    _audit(session, now, actor, "decline", offer, note=note, reason=reason)
    session.flush()
    return offer


def _audit(
    session: Session, now: datetime, actor: str, action: str, offer: OfferRow, note: str | None = None, **more: object
) -> None:
    """The audit entry of an answer to an offer: its client and group (never an alias), and what else it says."""
    detail = {"client": offer.client_id, "group": offer.group_id, **more}
    session.add(
        AuditEntry(
            at=now, actor=actor[:200], action=action, entity="offer", entity_id=str(offer.id), detail=detail, note=note
        )
    )


def expire_offers(session: Session, today: date, actor: str, now: datetime) -> int:
    """Pending offers whose reply-by day has passed become expired; how many."""
    late = list(session.scalars(select(OfferRow).where(OfferRow.status == "pending", OfferRow.reply_by < today)))
    lock_seat_holders(session, {o.client_id for o in late}, {o.group_id for o in late})
    expired = 0
    for offer in late:
        session.refresh(offer)
        if offer.status != "pending":
            continue
        offer.status, offer.answered_at, offer.answered_by = "expired", now, actor[:200]
        expired += 1
        _audit(session, now, actor, "expire", offer, reply_by=offer.reply_by.isoformat())
    session.flush()
    return expired


def end_finished_seats(session: Session, today: date, actor: str, now: datetime) -> int:
    """Active seats whose last day has passed end as `completed`, for reason `completed` (the service period
    is over); how many."""
    over = select(EnrollmentRow).where(
        EnrollmentRow.status == "active", EnrollmentRow.to_date.is_not(None), EnrollmentRow.to_date < today
    )
    seats = list(session.scalars(over))
    lock_seat_holders(session, {s.client_id for s in seats}, {s.group_id for s in seats})
    ended = 0
    for seat in seats:
        session.refresh(seat)
        if seat.status != "active" or seat.to_date is None or seat.to_date >= today:
            continue
        seat.status, seat.end_reason, ended = "completed", seat.end_reason or "completed", ended + 1
        session.add(
            AuditEntry(
                at=now,
                actor=actor[:200],
                action="complete",
                entity="enrollment",
                entity_id=str(seat.id),
                detail={"client": seat.client_id, "group": seat.group_id, "to": seat.to_date.isoformat()},
            )
        )
    session.flush()
    return ended


def daily_step(session: Session, today: date, actor: str, now: datetime) -> DailyStep:
    """The daily step: expire unanswered offers, end the seats whose service period is over, and tell the
    counsellors of offers to answer within `OFFER_EXPIRING_DAYS` (once per offer)."""
    expired = expire_offers(session, today, actor, now)
    completed = end_finished_seats(session, today, actor, now)
    return DailyStep(expired, completed, notify_offers_expiring(session, today, now))


def offer_terms(session: Session) -> OfferTermsNow:
    """The county's offer terms (the defaults before a planning frame is imported)."""
    frame = session.get(PlanningSettings, 1)
    if frame is None:
        return OfferTermsNow(7, False)
    return OfferTermsNow(frame.offer_reply_days, frame.offers_accept_at_once)


def set_offer_terms(
    session: Session, actor: str, reply_days: int | None = None, accept_at_once: bool | None = None
) -> OfferTermsNow:
    """Change the county's offer terms (a planning frame must exist: `tarjotin import` first)."""
    frame = session.get(PlanningSettings, 1)
    if frame is None:
        raise NotFound("no planning settings: import a problem first (`tarjotin import`)")
    if reply_days is not None:
        if not 1 <= reply_days <= MAX_REPLY_DAYS:
            raise Invalid.of("reply_days", f"{reply_days} days: give 1 to {MAX_REPLY_DAYS}")
        frame.offer_reply_days = reply_days
    if accept_at_once is not None:
        frame.offers_accept_at_once = accept_at_once
    terms = OfferTermsNow(frame.offer_reply_days, frame.offers_accept_at_once)
    session.add(
        AuditEntry(
            actor=actor[:200],
            action="update",
            entity="offer_terms",
            entity_id=None,
            detail={"reply_days": terms.reply_days, "accept_at_once": terms.accept_at_once},
        )
    )
    session.flush()
    return terms
