"""The counsellor's offers page, `/my/offers` (`/offers` is the JSON API): their clients' pending offers to
accept or decline, and those answered lately.

The offers are `scheduler.services.offers`', for the clients the signed-in counsellor
handles (a coordinator: all). Accept and Decline are plain forms (post/redirect/get, the
page's CSRF token); accepting carries an idempotency key per offer shown, so a double
click seats once. A refused accept (the group is full, or no longer suits the client)
shows the page again saying why, and the offer stays pending.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from api.deps import ClockDep, SessionDep, today
from api.idempotency import key_for, run_once
from api.pages import labels
from api.pages.context import CounsellorPage, Page, PageForm
from api.pages.errors import PAGE_TAG
from api.pages.i18n import N_
from api.pages.render import render, see_other
from scheduler.contract.errors import Invalid
from scheduler.services.offering import OfferedGroup, load_offering
from scheduler.services.offers import NOTE_LENGTH, OfferNotPending, accept_offer, decline_offer, list_offers
from scheduler.services.seats import GroupFull, Unsuitable
from scheduler.storage.models import OfferRow

__all__ = ["DECLINE_LABELS", "router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

Today = Annotated[date, Depends(today)]
OfferId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Done = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
RECENT = 20
"""How many answered offers the page lists."""

DECLINE_LABELS = {
    "time": N_("The time does not suit"),
    "place": N_("The place is too far or hard to reach"),
    "theme": N_("The theme does not suit"),
    "group": N_("The group does not suit (its people or size)"),
    "health": N_("Health"),
    "other": N_("Something else"),
}
"""Why a client declines (`scheduler.contract.service.DECLINE_REASONS`), in words."""
STATUSES = {
    "pending": N_("waiting for an answer"),
    "accepted": N_("accepted"),
    "declined": N_("declined"),
    "expired": N_("expired"),
    "withdrawn": N_("withdrawn"),
}


@dataclass(frozen=True)
class Shown:
    """An offer as the page shows it: the row, its group now, the first session it would give, a key."""

    offer: OfferRow
    group: OfferedGroup | None
    first: date | None
    key: str


def _first_session(group: OfferedGroup | None, offer: OfferRow, on: date) -> date | None:
    if group is None:
        return None
    start = max(offer.starts_on, on)
    return next((d for d in group.next_sessions if d >= start), None)


def _offers_page(page: Page, db: Session, on: date, status: int = 200, **extra: Any) -> Response:
    groups = {g.id: g for g in load_offering(db, on, upcoming=20)}
    mine = list_offers(db, page.caller.handler)
    pending = [
        Shown(o, groups.get(o.group_id), _first_session(groups.get(o.group_id), o, on), secrets.token_urlsafe(16))
        for o in sorted((o for o in mine if o.status == "pending"), key=lambda o: (o.reply_by, o.id))
    ]
    answered = [Shown(o, groups.get(o.group_id), None, "") for o in mine if o.status != "pending"][:RECENT]
    return render(
        page,
        "offers.html",
        status=status,
        pending=pending,
        answered=answered,
        today=on,
        decline_labels=DECLINE_LABELS,
        statuses=STATUSES,
        note_length=NOTE_LENGTH,
        **extra,
    )


@router.get("/my/offers")
def offers_page(
    page: CounsellorPage, db: SessionDep, on: Today, accepted: Done = None, declined: Done = None
) -> Response:
    """The signed-in counsellor's clients' offers."""
    done = None
    if accepted or declined:
        shown = db.get(OfferRow, accepted or declined)
        if shown is not None:
            done = {"kind": "accepted" if accepted else "declined", "offer": shown}
    return _offers_page(page, db, on, done=done)


@router.post("/my/offers/{offer_id}/accept")
def accept_page(
    page: CounsellorPage, form: PageForm, db: SessionDep, clock: ClockDep, on: Today, offer_id: OfferId
) -> Response:
    """Accept the offer: the client takes the seat; a refusal says why and the offer stays pending."""
    key = str(form.get("key") or "")[:200] or None

    def work() -> dict[str, object]:
        seat = accept_offer(db, offer_id, page.caller.handler, page.caller.actor, on, clock.now())
        return {"offer_id": offer_id, "enrollment_id": seat.enrollment_id}

    try:
        answer = run_once(db, key_for(page.request, page.caller, key), {"offer": offer_id, "op": "accept"}, 200, work)
    except (GroupFull, Unsuitable, OfferNotPending) as error:
        db.rollback()
        return _offers_page(page, db, on, 409, refused=_refusal(page, error))
    assert json.loads(bytes(answer.body))["offer_id"] == offer_id
    return see_other(page.request, f"/my/offers?accepted={offer_id}")


@router.post("/my/offers/{offer_id}/decline")
def decline_page(
    page: CounsellorPage, form: PageForm, db: SessionDep, clock: ClockDep, on: Today, offer_id: OfferId
) -> Response:
    """Decline the offer with a reason; the client keeps waiting."""
    reason = str(form.get("reason") or "")
    note = str(form.get("note") or "")[: NOTE_LENGTH + 1]
    try:
        decline_offer(db, offer_id, page.caller.handler, page.caller.actor, reason, on, clock.now(), note)
    except Invalid as invalid:
        db.rollback()
        field = invalid.errors[0].field if invalid.errors else "reason"
        message = N_("Choose why the client declines.") if field == "reason" else N_("The note is too long.")
        return _offers_page(page, db, on, 422, refused={"message": page.t(message), "why": [], "offer": offer_id})
    except OfferNotPending as error:
        db.rollback()
        return _offers_page(page, db, on, 409, refused=_refusal(page, error))
    db.commit()
    return see_other(page.request, f"/my/offers?declined={offer_id}")


def _refusal(page: Page, error: Exception) -> dict[str, Any]:
    why: list[str] = []
    if isinstance(error, GroupFull):
        message = N_("The group is full now, so the seat cannot be taken. The offer is still open.")
    elif isinstance(error, Unsuitable):
        message = N_("The group no longer suits the client, so the seat cannot be taken. The offer is still open:")
        why = [labels.label(labels.REASONS, r.code, page.lang) for r in error.reasons]
    else:
        message = N_("This offer has already been answered, or it has expired.")
    return {"message": page.t(message), "why": why}
