"""The notices page, `/my/notices`: a signed-in counsellor's or staff member's own notices, newest first.

Each notice says what happened in the page's language (the same words as its e-mail); a
counsellor's names their own client by alias and links to `/my/clients`, where the client is.
Marking one or all read is a plain form (post/redirect/get with the page's CSRF token), so the
page works without JavaScript. The JSON twin is `GET /me/notices`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from api.deps import ClockDep, SessionDep
from api.pages.context import Page, PageError, PageForm, page_for
from api.pages.errors import PAGE_TAG
from api.pages.i18n import N_
from api.pages.render import render, see_other
from scheduler.contract.errors import NotFound
from scheduler.services.notice_lists import mark_all_read, mark_read, notice_list, recipient_of

__all__ = ["KINDS", "router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

ReaderPage = Annotated[Page, Depends(page_for("counsellor", "staff"))]
NoticeId = Annotated[int, Path(ge=1, le=2**31 - 1)]
SHOWN = 100
"""How many notices the page lists, newest first."""

KINDS = {
    "absences": N_("Absences in a row"),
    "offer_made": N_("Offer made"),
    "offer_expiring": N_("Offer ends soon"),
    "session_cancelled": N_("Session cancelled"),
    "session_moved": N_("Session moved"),
}
MAIL = {"none": None, "pending": N_("e-mail on its way"), "sent": N_("e-mailed"), "failed": N_("e-mail failed")}


def _recipient(page: Page) -> str | None:
    caller = page.caller
    if caller.role == "counsellor":
        return recipient_of(counsellor_id=caller.counsellor_id)
    return recipient_of(staff_id=caller.staff_id)


@router.get("/my/notices")
def notices_page(page: ReaderPage, db: SessionDep) -> Response:
    """The reader's own notices, newest first, the unread marked."""
    found = notice_list(db, _recipient(page), page.lang.code, page.request.app.state.settings.public_url, SHOWN)
    return render(
        page,
        "my_notices.html",
        nav="notices",
        found=found,
        kinds=KINDS,
        mail=MAIL,
        counsellor=page.caller.role == "counsellor",
    )


@router.post("/my/notices/read")
def read_all_page(page: ReaderPage, _: PageForm, db: SessionDep, clock: ClockDep) -> Response:
    mark_all_read(db, _recipient(page), clock.now())
    db.commit()
    return see_other(page.request, "/my/notices")


@router.post("/my/notices/{notice_id}/read")
def read_one_page(page: ReaderPage, _: PageForm, db: SessionDep, clock: ClockDep, notice_id: NoticeId) -> Response:
    try:
        mark_read(db, _recipient(page), notice_id, clock.now())
    except NotFound as error:
        raise PageError(404, N_("No such notice of yours.")) from error
    db.commit()
    return see_other(page.request, f"/my/notices#notice-{notice_id}")
