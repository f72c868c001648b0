"""Feedback: the county's question list (coordinators), and the anonymous forms.

`POST /groups/{id}/feedback`: one participant's form at the group's end, sent by a leader of
that group (a staff token) or a coordinator. `POST /clients/{id}/feedback`: a client's form at
the end of their service, sent by the client's counsellor or a coordinator; the client's id
only decides who may send it, and the stored form names no client. Answers are checked
against the form's questions and scales (an unknown question is a 422 naming `answers.<id>`).
The answers are counted in the county's figures (`/reports/county`); comments are shown to
coordinators only.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from api.deps import Coordinator, Counsellor, Leader, SessionDep, today
from api.errors import ERRORS
from api.problems import problem
from api.routers.resources_types import Ref
from api.schemas import ApiIn
from scheduler.contract.followup import FeedbackKind, FeedbackQuestion
from scheduler.services.feedback import (
    COMMENT_LENGTH,
    Given,
    feedback_questions,
    give_client_feedback,
    give_group_feedback,
    set_feedback_questions,
)

__all__ = ["router"]

router = APIRouter(tags=["feedback"])

Today = Annotated[date, Depends(today)]
GroupId = Annotated[Ref, Path(description="the group's id")]
ClientId = Annotated[Ref, Path(description="the client's pseudonymous id (not stored with the form)")]
FORM_ERRORS: dict[int | str, dict[str, object]] = {
    **ERRORS,
    404: problem("no such group or client"),
    422: problem("an answer off its scale, a question not on the form (`answers.<id>`), or nothing answered"),
}


class QuestionsIO(ApiIn):
    questions: list[FeedbackQuestion] = Field(description="the county's questions, in the order the form asks them")


class QuestionsOut(BaseModel):
    questions: list[FeedbackQuestion]


class FormIn(ApiIn):
    answers: dict[str, int] = Field(
        default_factory=dict, description="question id → answer (1-5, or 0-10 for a 0-10 question); skip any"
    )
    comment: str | None = Field(
        default=None, max_length=COMMENT_LENGTH, description="free text, shown to the county's coordinators only"
    )


class FormOut(BaseModel):
    """The form as stored: its kind, its day and how many questions it answered (no id, no client)."""

    kind: FeedbackKind
    given_on: date
    answered: int

    @classmethod
    def of(cls, given: Given) -> FormOut:
        return cls(kind=given.kind, given_on=given.given_on, answered=given.answered)


@router.get(
    "/feedback/questions", response_model=QuestionsOut, summary="The county's feedback questions", responses=ERRORS
)
def questions(db: SessionDep, _: Coordinator) -> QuestionsOut:
    """The county's list, or THL's defaults when it has set none."""
    return QuestionsOut(questions=feedback_questions(db))


@router.put(
    "/feedback/questions",
    response_model=QuestionsOut,
    summary="Replace the county's feedback questions",
    responses={**ERRORS, 404: problem("no planning settings yet: import a problem first")},
)
def change_questions(body: QuestionsIO, db: SessionDep, caller: Coordinator) -> QuestionsOut:
    """Ids unique, a Finnish text on each; a question left out keeps its old answers in the figures, by id."""
    saved = set_feedback_questions(db, caller.actor, body.questions)
    db.commit()
    return QuestionsOut(questions=saved)


@router.post(
    "/groups/{group_id}/feedback",
    status_code=201,
    response_model=FormOut,
    summary="One participant's feedback at the group's end",
    responses=FORM_ERRORS,
)
def group_feedback(group_id: GroupId, body: FormIn, db: SessionDep, caller: Leader, on: Today) -> FormOut:
    """A leader of the group (or a coordinator) sends one participant's answers; no participant is named."""
    given = give_group_feedback(
        db, group_id, caller.handler, caller.staff_id, caller.actor, body.answers, body.comment, on
    )
    db.commit()
    return FormOut.of(given)


@router.post(
    "/clients/{client_id}/feedback",
    status_code=201,
    response_model=FormOut,
    summary="A client's feedback at the end of their service",
    responses=FORM_ERRORS,
)
def client_feedback(client_id: ClientId, body: FormIn, db: SessionDep, caller: Counsellor, on: Today) -> FormOut:
    """The client's counsellor (or a coordinator) sends the client's answers; the stored form names no client."""
    given = give_client_feedback(db, client_id, caller.handler, caller.actor, body.answers, body.comment, on)
    db.commit()
    return FormOut.of(given)
