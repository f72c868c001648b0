"""Trial visits on the counsellor's page `/my/clients`, without JavaScript: book one session of a group for a
client (group and date), and after the visit offer the group or let the visit end (before it: cancel).

Each form posts here and comes back to the client's card on `/my/clients` (post, redirect, get); a refusal
shows the page again with why, in the reader's language. The rules are `scheduler.services.trial_visits`'.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from api.deps import ClockDep, SessionDep, today
from api.pages.clients import my_clients_view
from api.pages.context import Page, PageError, PageForm, page_for
from api.pages.errors import PAGE_TAG
from api.pages.i18n import N_
from api.pages.render import see_other
from scheduler.contract.errors import Conflict, Forbidden, Invalid, NotFound
from scheduler.services.seats import GroupFull, SeatTaken, Unsuitable
from scheduler.services.trial_visits import book_trial, cancel_trial, end_trial, get_trial, offer_trial

__all__ = ["router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

CounsellorOnlyPage = Annotated[Page, Depends(page_for("counsellor"))]
Today = Annotated[date, Depends(today)]
Key = Annotated[str, Path(min_length=1, max_length=128)]
VisitId = Annotated[int, Path(ge=1, le=2**31 - 1)]

FIELDS = {
    "day": N_("Choose a date on which the group meets (not cancelled, not past)."),
    "group_id": N_("Choose a group that takes bookings (a pop-up session takes none: anyone may just come)."),
}


def _why(page: Page, error: Exception) -> str:
    """What went wrong, in the page's language (the service's own words after it)."""
    if isinstance(error, Invalid):
        field = error.errors[0].field if error.errors else "day"
        return page.t(FIELDS.get(field, FIELDS["day"]))
    if isinstance(error, GroupFull):
        return page.t(N_("The group has no free seat that day."))
    detail = getattr(error, "detail", str(error))
    if isinstance(error, Unsuitable):
        return page.t(N_("The group does not suit the client: %(why)s"), why=detail)
    if isinstance(error, SeatTaken):
        return page.t(N_("The client already holds a seat, an offer or a trial visit in the group."))
    return page.t(N_("That could not be done: %(why)s"), why=detail)


def _act(page: Page, db: SessionDep, on: date, client_id: str, done: str, work: Callable[[], object]) -> Response:
    """Do the work and return to the client's card; a refusal shows the page again with why."""
    try:
        work()
    except (Invalid, Conflict, NotFound, Forbidden) as refused:
        db.rollback()
        status = 422 if isinstance(refused, Invalid) else 409
        message = _why(page, refused)
        return my_clients_view(page, db, on, status, trial_refused={"client": client_id, "message": message})
    db.commit()
    return see_other(
        page.request, f"/my/clients?trial={quote(done)}&client={quote(client_id)}#trials-{quote(client_id)}"
    )


@router.post("/my/clients/{client_id}/trial-visits")
def book_page(
    page: CounsellorOnlyPage, form: PageForm, db: SessionDep, clock: ClockDep, on: Today, client_id: Key
) -> Response:
    """Book the chosen group's session of the chosen date for the client."""
    group_id = str(form.get("group_id") or "").strip()
    raw = str(form.get("day") or "").strip()

    def work() -> object:
        if not group_id:
            raise Invalid.of("group_id", "choose a group")
        try:
            day = date.fromisoformat(raw)
        except ValueError as bad:
            raise Invalid.of("day", "give the session's date") from bad
        return book_trial(db, page.caller.handler, client_id, group_id, day, page.caller.actor, on, clock.now())

    return _act(page, db, on, client_id, "book", work)


def _visit_action(page: Page, db: SessionDep, clock: ClockDep, on: date, visit_id: int, action: str) -> Response:
    try:
        client_id = get_trial(db, visit_id, page.caller.handler).client_id
    except NotFound as missing:
        raise PageError(404, N_("No such trial visit.")) from missing
    except Forbidden as theirs:
        raise PageError(403, N_("The client has another responsible counsellor.")) from theirs
    who, actor, now = page.caller.handler, page.caller.actor, clock.now()
    works: dict[str, Callable[[], object]] = {
        "cancel": lambda: cancel_trial(db, visit_id, who, actor, on, now),
        "offer": lambda: offer_trial(db, visit_id, who, actor, on, now),
        "end": lambda: end_trial(db, visit_id, who, actor, on, now),
    }
    return _act(page, db, on, client_id, action, works[action])


@router.post("/my/trial-visits/{visit_id}/cancel")
def cancel_page(
    page: CounsellorOnlyPage, _: PageForm, db: SessionDep, clock: ClockDep, on: Today, visit_id: VisitId
) -> Response:
    """Cancel the visit (up to its day)."""
    return _visit_action(page, db, clock, on, visit_id, "cancel")


@router.post("/my/trial-visits/{visit_id}/offer")
def offer_page(
    page: CounsellorOnlyPage, _: PageForm, db: SessionDep, clock: ClockDep, on: Today, visit_id: VisitId
) -> Response:
    """Offer the group after the visit."""
    return _visit_action(page, db, clock, on, visit_id, "offer")


@router.post("/my/trial-visits/{visit_id}/end")
def end_page(
    page: CounsellorOnlyPage, _: PageForm, db: SessionDep, clock: ClockDep, on: Today, visit_id: VisitId
) -> Response:
    """Let the visit end after it."""
    return _visit_action(page, db, clock, on, visit_id, "end")
