"""Offers: a seat held for a client until they answer, made when a plan is published.

A counsellor sees and answers the offers of the clients they handle (their own and the
shared queue: `scheduler.services.ownership`), a coordinator all of them; another
counsellor's client is a 403. Accepting makes the seat, judged again by every rule
(a refusal is a 409 with the reasons, and the offer stays pending); `Idempotency-Key`
makes a retried accept seat once. Declining needs a reason; the client keeps waiting.
The county's offer terms are the coordinator's.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.deps import ClockDep, Coordinator, Counsellor, SessionDep, today
from api.errors import ERRORS, Refused
from api.idempotency import IdempotencyKey, run_once
from api.problems import Problem, problem
from api.routers.reservations import UnsuitableProblem
from api.schemas import ApiIn
from scheduler.contract.service import DeclineReason
from scheduler.services.offers import (
    MAX_REPLY_DAYS,
    NOTE_LENGTH,
    OfferTermsNow,
    accept_offer,
    decline_offer,
    get_offer,
    list_offers,
    offer_terms,
    set_offer_terms,
)
from scheduler.services.seats import GroupFull, Unsuitable
from scheduler.storage.models import OfferRow

__all__ = ["router"]

router = APIRouter(prefix="/offers", tags=["offers"])

OfferId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the offer's id")]
Status = Literal["pending", "accepted", "declined", "expired", "withdrawn"]
NOT_FOUND: dict[int | str, dict[str, object]] = {404: problem("no such offer")}
THEIRS: dict[int | str, dict[str, object]] = {
    403: problem("the token's role may not do this, or the client has another responsible counsellor")
}


class OfferOut(BaseModel):
    id: int
    client_id: str = Field(description="the client's pseudonymous id")
    group_id: str
    status: Status = Field(
        description="pending (holds the seat), accepted (a seat), declined, expired (unanswered by reply_by) or "
        "withdrawn (a later published plan no longer holds it)"
    )
    made_on: date
    starts_on: date = Field(description="the day the seat would start (accepted later: that day)")
    reply_by: date = Field(description="the last day to answer; the daily step expires it after")
    answered_at: datetime | None = None
    decline_reason: str | None = None
    enrollment_id: int | None = Field(default=None, description="the seat an accepted offer became")
    run_id: int | None = Field(default=None, description="the planning run whose publication made it")
    remote: bool = Field(default=False, description="a hybrid group's seat offered from home")

    @classmethod
    def of(cls, row: OfferRow) -> OfferOut:
        return cls(
            id=row.id,
            client_id=row.client_id,
            group_id=row.group_id,
            status=row.status,
            made_on=row.made_on,
            starts_on=row.starts_on,
            reply_by=row.reply_by,
            answered_at=row.answered_at,
            decline_reason=row.decline_reason,
            enrollment_id=row.enrollment_id,
            run_id=row.run_id,
            remote=row.remote,
        )


class OffersOut(BaseModel):
    items: list[OfferOut]
    total: int


class AcceptedOut(BaseModel):
    offer_id: int
    enrollment_id: int
    client_id: str
    group_id: str
    from_date: date
    to_date: date | None = Field(description="the seat's last day: the end of the client's service period (or none)")
    free_seats: int = Field(description="free seats left in the group")


class DeclineIn(ApiIn):
    reason: DeclineReason = Field(
        description="why: time, place (too far, hard to reach), theme, group (its people or size), health, other"
    )
    note: str | None = Field(default=None, max_length=NOTE_LENGTH, description="a short note for the audit log")


class TermsIn(ApiIn):
    reply_days: int = Field(ge=1, le=MAX_REPLY_DAYS, description="days a client has to answer an offer")
    accept_at_once: bool = Field(description="true: publishing seats clients at once, as before offers existed")


class TermsOut(BaseModel):
    reply_days: int
    accept_at_once: bool

    @classmethod
    def of(cls, terms: OfferTermsNow) -> TermsOut:
        return cls(reply_days=terms.reply_days, accept_at_once=terms.accept_at_once)


@router.get("", response_model=OffersOut, summary="Offers of the clients the caller handles", responses=ERRORS)
def offers(
    db: SessionDep,
    caller: Counsellor,
    status: Annotated[Status | None, Query(description="only offers in this status")] = None,
) -> OffersOut:
    """A coordinator sees every offer; a counsellor those of their own clients and the shared queue. Newest first."""
    rows = list_offers(db, caller.handler, status)
    return OffersOut(items=[OfferOut.of(row) for row in rows], total=len(rows))


@router.get(
    "/settings",
    response_model=TermsOut,
    summary="The county's offer terms",
    responses={**ERRORS},
)
def terms(db: SessionDep, _: Coordinator) -> TermsOut:
    """Days to answer an offer, and whether publishing seats clients at once instead."""
    return TermsOut.of(offer_terms(db))


@router.put(
    "/settings",
    response_model=TermsOut,
    summary="Change the county's offer terms",
    responses={404: problem("no planning settings yet: import a problem first"), **ERRORS},
)
def change_terms(body: TermsIn, db: SessionDep, caller: Coordinator) -> TermsOut:
    """Set the reply time and whether publishing seats clients at once (today's behaviour before offers)."""
    changed = set_offer_terms(db, caller.actor, body.reply_days, body.accept_at_once)
    db.commit()
    return TermsOut.of(changed)


@router.get("/{offer_id}", response_model=OfferOut, summary="One offer", responses={**NOT_FOUND, **ERRORS, **THEIRS})
def offer(offer_id: OfferId, db: SessionDep, caller: Counsellor) -> OfferOut:
    """An offer of a client the caller handles."""
    return OfferOut.of(get_offer(db, offer_id, caller.handler))


@router.post(
    "/{offer_id}/accept",
    response_model=AcceptedOut,
    summary="Accept an offer: the client takes the seat",
    responses={
        **NOT_FOUND,
        409: problem(
            "the offer is not pending (its status said), or the seat breaks a rule now (full, or unsuitable with "
            "the reasons): the offer stays pending",
            UnsuitableProblem | Problem,
        ),
        **ERRORS,
        **THEIRS,
    },
)
def accept(
    offer_id: OfferId,
    db: SessionDep,
    caller: Counsellor,
    clock: ClockDep,
    on: Annotated[date, Depends(today)],
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """The seat starts on the offer's first day (today, if that has passed) and ends with the client's service
    period. Every rule is checked again, capacity included."""

    def work() -> dict[str, object]:
        try:
            seat = accept_offer(db, offer_id, caller.handler, caller.actor, on, clock.now())
        except GroupFull as full:
            raise Refused(full.detail, {"reasons": [{"code": "capacity", "detail": full.detail}]}) from full
        except Unsuitable as unsuitable:
            raise Refused(unsuitable.detail, {"reasons": [r.model_dump() for r in unsuitable.reasons]}) from unsuitable
        return AcceptedOut(
            offer_id=seat.offer_id,
            enrollment_id=seat.enrollment_id,
            client_id=seat.client_id,
            group_id=seat.group_id,
            from_date=seat.from_date,
            to_date=seat.to_date,
            free_seats=seat.free_seats,
        ).model_dump(mode="json")

    return run_once(db, idempotency_key, {"offer": offer_id, "op": "accept"}, 200, work)


@router.post(
    "/{offer_id}/decline",
    response_model=OfferOut,
    summary="Decline an offer, with a reason",
    responses={**NOT_FOUND, 409: problem("the offer is not pending (its status said)"), **ERRORS, **THEIRS},
)
def decline(
    offer_id: OfferId,
    body: DeclineIn,
    db: SessionDep,
    caller: Counsellor,
    clock: ClockDep,
    on: Annotated[date, Depends(today)],
) -> OfferOut:
    """The offer ends, the client keeps waiting, and the next plan does not offer them this group again."""
    row = decline_offer(db, offer_id, caller.handler, caller.actor, body.reason, on, clock.now(), body.note)
    db.commit()
    return OfferOut.of(row)
