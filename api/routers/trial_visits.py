"""Trial visits: a client tries one session of a running group before a seat is offered.

A counsellor books, lists and handles the visits of the clients they handle (their own and the
shared queue: `scheduler.services.ownership`), a coordinator all of them; another counsellor's
client is a 403. A booking holds a seat on that day only and needs no decision; after the visit the
counsellor turns it into a pending offer (every seat rule checked: a 409 with the reasons when one
fails) or lets it end. The rules are `scheduler.services.trial_visits`'.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from api.deps import ClockDep, Counsellor, SessionDep, today
from api.errors import ERRORS, Refused
from api.problems import Problem, problem
from api.routers.offers import OfferOut
from api.routers.reservations import UnsuitableProblem
from api.routers.resources_types import IsoDate, Ref
from api.schemas import ApiIn
from scheduler.contract import Reason
from scheduler.services.seats import GroupFull, Unsuitable
from scheduler.services.trial_visits import (
    book_trial,
    cancel_trial,
    client_trials,
    end_trial,
    offer_trial,
)
from scheduler.storage.models import TrialVisit

__all__ = ["router"]

router = APIRouter(tags=["trial visits"])

ClientId = Annotated[Ref, Path(description="the client's pseudonymous id")]
VisitId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the trial visit's id")]
Today = Annotated[date, Depends(today)]
THEIRS: dict[int | str, dict[str, object]] = {
    403: problem("the token's role may not do this, or the client has another responsible counsellor")
}
VISIT_ERRORS = {
    404: problem("no such trial visit"),
    409: problem("the visit is not booked any more, or not yet visited (its status and day said)"),
    **ERRORS,
    **THEIRS,
}

T = TypeVar("T")


class TrialIn(ApiIn):
    group_id: Ref = Field(description="the running group to try")
    day: IsoDate = Field(description="the session to try: a held date of the group's weekly rhythm, today or later")


class TrialOut(BaseModel):
    id: int
    client_id: str = Field(description="the client's pseudonymous id")
    group_id: str
    day: date = Field(description="the session tried (its date in the group's weekly rhythm)")
    status: Literal["booked", "offered", "ended", "cancelled"] = Field(
        description="booked (holds a seat that day), offered (became the offer `offer_id`), ended (let end after "
        "the visit) or cancelled (before it)"
    )
    booked_by: str
    booked_at: datetime
    offer_id: int | None = None

    @classmethod
    def of(cls, row: TrialVisit) -> TrialOut:
        return cls(
            id=row.id,
            client_id=row.client_id,
            group_id=row.group_id,
            day=row.day,
            status=row.status,
            booked_by=row.booked_by,
            booked_at=row.booked_at,
            offer_id=row.offer_id,
        )


class BookedOut(TrialOut):
    warnings: list[Reason] = Field(
        default_factory=list, description="rules the group breaks that do not stop a visit (travel, interest, audience)"
    )
    free_seats: int = Field(description="free seats left in the group on that day")


class TrialsOut(BaseModel):
    items: list[TrialOut]
    total: int


class OfferedOut(BaseModel):
    visit: TrialOut
    offer: OfferOut


def _refusing(work: Callable[[], T]) -> T:
    """A full day or an unsuitable group is a 409 with the reasons."""
    try:
        return work()
    except GroupFull as full:
        raise Refused(full.detail, {"reasons": [{"code": "capacity", "detail": full.detail}]}) from full
    except Unsuitable as unsuitable:
        raise Refused(unsuitable.detail, {"reasons": [r.model_dump() for r in unsuitable.reasons]}) from unsuitable


@router.post(
    "/clients/{client_id}/trial-visits",
    status_code=201,
    response_model=BookedOut,
    summary="Book a trial visit: one session of a group for the client to try",
    responses={
        404: problem("no such client or running group"),
        409: problem(
            "no free seat that day, the client already holds a seat, offer or visit in the group, or the group does "
            "not suit them (with the reasons: language, remote, accessibility, availability, closed)",
            UnsuitableProblem | Problem,
        ),
        **ERRORS,
        **THEIRS,
    },
)
def book(
    client_id: ClientId, body: TrialIn, db: SessionDep, caller: Counsellor, clock: ClockDep, on: Today
) -> BookedOut:
    """Hold a seat for the client on that session only; no decision is needed. A cancelled, past or off-rhythm
    day is a 422 naming `day`; a pop-up group (anyone may just come) a 422 naming `group_id`."""
    booked = _refusing(
        lambda: book_trial(db, caller.handler, client_id, body.group_id, body.day, caller.actor, on, clock.now())
    )
    db.commit()
    out = TrialOut.of(booked.visit).model_dump()
    return BookedOut(**out, warnings=booked.warnings, free_seats=booked.free_seats)


@router.get(
    "/clients/{client_id}/trial-visits",
    response_model=TrialsOut,
    summary="The client's trial visits",
    responses={404: problem("no such client"), **ERRORS, **THEIRS},
)
def visits(client_id: ClientId, db: SessionDep, caller: Counsellor) -> TrialsOut:
    """Every trial visit of the client, the latest day first."""
    rows = client_trials(db, caller.handler, client_id)
    return TrialsOut(items=[TrialOut.of(row) for row in rows], total=len(rows))


@router.delete(
    "/trial-visits/{visit_id}", response_model=TrialOut, summary="Cancel a trial visit", responses=VISIT_ERRORS
)
def cancel(visit_id: VisitId, db: SessionDep, caller: Counsellor, clock: ClockDep, on: Today) -> TrialOut:
    """Cancel a booked visit up to its day: the seat of that day is free again."""
    row = cancel_trial(db, visit_id, caller.handler, caller.actor, on, clock.now())
    db.commit()
    return TrialOut.of(row)


@router.post(
    "/trial-visits/{visit_id}/offer",
    response_model=OfferedOut,
    summary="Offer the group after a trial visit",
    responses={
        **VISIT_ERRORS,
        409: problem(
            "the visit is not booked or not yet visited, or the seat breaks a rule (full, or unsuitable with the "
            "reasons): the visit stays booked",
            UnsuitableProblem | Problem,
        ),
    },
)
def offer(visit_id: VisitId, db: SessionDep, caller: Counsellor, clock: ClockDep, on: Today) -> OfferedOut:
    """From the visit's day on: a pending offer of a seat from the group's next session, answered as any offer
    (`POST /offers/{id}/accept`). Every seat rule is checked, the decision in force included."""
    visit, made = _refusing(lambda: offer_trial(db, visit_id, caller.handler, caller.actor, on, clock.now()))
    db.commit()
    return OfferedOut(visit=TrialOut.of(visit), offer=OfferOut.of(made))


@router.post(
    "/trial-visits/{visit_id}/end",
    response_model=TrialOut,
    summary="Let a trial visit end",
    responses=VISIT_ERRORS,
)
def end(visit_id: VisitId, db: SessionDep, caller: Counsellor, clock: ClockDep, on: Today) -> TrialOut:
    """From the visit's day on: no offer follows; the client keeps waiting."""
    row = end_trial(db, visit_id, caller.handler, caller.actor, on, clock.now())
    db.commit()
    return TrialOut.of(row)
