"""The feedback forms as pages, without JavaScript: a leader's at a group's end, a counsellor's at a service's end.

`/group/{id}/feedback`: a leader of the group (or a coordinator) fills in one participant's form
at a time; `/my/clients/{id}/feedback`: a counsellor (or a coordinator) fills in their client's.
The questions are the county's (`scheduler.services.feedback`), in the page's language (Finnish
when a question has no text in it). Each answer is a radio group with "no answer" chosen at first;
the comment is free text for the county's coordinators only. Posting stores one anonymous form
and shows a blank form again with a thank-you.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from api.deps import SessionDep, today
from api.pages.context import Page, PageForm, page_for
from api.pages.errors import PAGE_TAG
from api.pages.i18n import N_
from api.pages.render import render, see_other
from scheduler.contract.errors import Invalid
from scheduler.contract.followup import FeedbackKind, FeedbackQuestion
from scheduler.services.feedback import (
    COMMENT_LENGTH,
    SCALE_RANGES,
    asked,
    client_giver,
    give_client_feedback,
    give_group_feedback,
    group_giver,
)
from scheduler.storage.models import GroupModelRow

__all__ = ["router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

LeaderPage = Annotated[Page, Depends(page_for("coordinator", "staff"))]
CounsellorPage = Annotated[Page, Depends(page_for("coordinator", "counsellor"))]
Today = Annotated[date, Depends(today)]
GroupId = Annotated[str, Path(max_length=128)]
ClientId = Annotated[str, Path(max_length=128)]
Sent = Annotated[bool, Query()]
FIELD = "q."
"""A question's form field is `q.<id>`."""


def _question(page: Page, question: FeedbackQuestion) -> dict[str, Any]:
    low, high = SCALE_RANGES[question.scale]
    texts: dict[str, str] = {str(code): text for code, text in question.text.items()}
    text = texts.get(page.lang.code) or texts.get("fi") or next(iter(texts.values()))
    return {"id": question.id, "text": text, "scale": question.scale, "choices": list(range(low, high + 1))}


def _form_page(
    page: Page, db: Session, kind: FeedbackKind, action: str, heading: str, status: int = 200, **extra: Any
) -> Response:
    questions = [_question(page, q) for q in asked(db, kind)]
    return render(
        page,
        "feedback.html",
        status=status,
        kind=kind,
        action=action,
        heading=heading,
        questions=questions,
        comment_length=COMMENT_LENGTH,
        **extra,
    )


def _answers(form: FormData) -> tuple[dict[str, Any], str | None]:
    """The answers chosen (a blank choice is no answer) and the comment, as the form sent them."""
    answers: dict[str, Any] = {}
    for name, value in form.multi_items():
        if name.startswith(FIELD) and isinstance(value, str) and value.strip():
            key = name.removeprefix(FIELD)
            answers[key] = int(value) if value.strip().lstrip("-").isdigit() else value
    comment = form.get("comment")
    return answers, comment if isinstance(comment, str) else None


def _refused(page: Page, invalid: Invalid) -> str:
    fields = {f.field for f in invalid.errors}
    if fields == {"answers"}:
        return page.t(N_("Answer at least one question, or write a comment."))
    if "comment" in fields:
        return page.t(N_("The comment is too long: at most %(n)s characters."), n=COMMENT_LENGTH)
    return page.t(N_("Some answers are not on this form's scales. Check the form and send it again."))


def _group_heading(page: Page, db: Session, template_id: str, group_id: str) -> str:
    model = db.get(GroupModelRow, template_id)
    name = (model.name.get(page.lang.code) or model.name.get("fi")) if model is not None else None
    return page.t(N_("Feedback from the group %(group)s"), group=name or group_id)


@router.get("/group/{group_id}/feedback")
def group_form(page: LeaderPage, db: SessionDep, group_id: GroupId, sent: Sent = False) -> Response:
    """A blank form for one participant of the group."""
    group = group_giver(db, group_id, page.caller.handler, page.caller.staff_id)
    heading = _group_heading(page, db, group.template_id, group_id)
    return _form_page(page, db, "group", f"/group/{group_id}/feedback", heading, sent=sent, back=f"/group/{group_id}")


@router.post("/group/{group_id}/feedback")
def group_form_sent(page: LeaderPage, form: PageForm, db: SessionDep, on: Today, group_id: GroupId) -> Response:
    """Store one participant's form; a blank one follows for the next participant."""
    group = group_giver(db, group_id, page.caller.handler, page.caller.staff_id)
    answers, comment = _answers(form)
    try:
        give_group_feedback(
            db, group_id, page.caller.handler, page.caller.staff_id, page.caller.actor, answers, comment, on
        )
    except Invalid as invalid:
        db.rollback()
        heading = _group_heading(page, db, group.template_id, group_id)
        return _form_page(
            page,
            db,
            "group",
            f"/group/{group_id}/feedback",
            heading,
            422,
            error=_refused(page, invalid),
            chosen=answers,
            comment=comment or "",
            back=f"/group/{group_id}",
        )
    db.commit()
    return see_other(page.request, f"/group/{group_id}/feedback?sent=true")


def _client_heading(page: Page, client_id: str, alias: str | None) -> str:
    shown = alias if alias and page.caller.role == "counsellor" else client_id
    return page.t(N_("Feedback at the end of the service: %(client)s"), client=shown)


@router.get("/my/clients/{client_id}/feedback")
def client_form(page: CounsellorPage, db: SessionDep, client_id: ClientId, sent: Sent = False) -> Response:
    """A blank form for the client, filled in with them at the end of their service."""
    client = client_giver(db, client_id, page.caller.handler)
    heading = _client_heading(page, client.id, client.alias)
    return _form_page(page, db, "client", f"/my/clients/{client_id}/feedback", heading, sent=sent, back="/my/clients")


@router.post("/my/clients/{client_id}/feedback")
def client_form_sent(page: CounsellorPage, form: PageForm, db: SessionDep, on: Today, client_id: ClientId) -> Response:
    """Store the client's form, anonymously."""
    client = client_giver(db, client_id, page.caller.handler)
    answers, comment = _answers(form)
    try:
        give_client_feedback(db, client_id, page.caller.handler, page.caller.actor, answers, comment, on)
    except Invalid as invalid:
        db.rollback()
        heading = _client_heading(page, client.id, client.alias)
        return _form_page(
            page,
            db,
            "client",
            f"/my/clients/{client_id}/feedback",
            heading,
            422,
            error=_refused(page, invalid),
            chosen=answers,
            comment=comment or "",
            back="/my/clients",
        )
    db.commit()
    return see_other(page.request, f"/my/clients/{client_id}/feedback?sent=true")
