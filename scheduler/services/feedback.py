"""Feedback: the county's question list, and the anonymous forms given at a group's end and a service's end.

The handbook collects feedback from every group and, anonymously, from every client at the end
of their service (THL's client-feedback questions). The county keeps its own list
(`PlanningSettings.feedback_questions`; none: `DEFAULT_FEEDBACK_QUESTIONS`). A form is one
participant's answers: a leader of the group (or a coordinator) fills in a group form with a
participant, a client's counsellor (or a coordinator) a client form with their client.

Both kinds are anonymous. A group form names its group; a client form names nobody: the client
is used only to check who may give it, and is written nowhere with it (no audit entry, no log).
A question removed from the list later keeps its old answers: they are counted by its id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from scheduler.contract.errors import FieldError, Forbidden, Invalid, NotFound
from scheduler.contract.followup import DEFAULT_FEEDBACK_QUESTIONS, FeedbackKind, FeedbackQuestion
from scheduler.services.ownership import Handler, check_handles
from scheduler.storage.models import AuditEntry, ClientRow, FeedbackRow, GroupRow, PlanningSettings

__all__ = [
    "COMMENT_LENGTH",
    "SCALE_RANGES",
    "Given",
    "NotTheirGroup",
    "asked",
    "client_giver",
    "feedback_questions",
    "give_client_feedback",
    "give_group_feedback",
    "group_giver",
    "set_feedback_questions",
]

COMMENT_LENGTH = 2000
"""The longest free-text comment a form may carry."""
SCALE_RANGES: dict[str, tuple[int, int]] = {"1-5": (1, 5), "0-10": (0, 10)}
"""Each answer scale's lowest and highest answer."""
_QUESTIONS = TypeAdapter(list[FeedbackQuestion])


class NotTheirGroup(Forbidden):
    """Only the group's own leaders (and coordinators) give its feedback (a 403)."""


@dataclass(frozen=True)
class Given:
    """A form stored: its kind, its day and how many questions it answered (never who it was about)."""

    kind: FeedbackKind
    given_on: date
    answered: int


def feedback_questions(session: Session) -> list[FeedbackQuestion]:
    """The county's question list: its own, or THL's defaults when it has set none."""
    frame = session.get(PlanningSettings, 1)
    if frame is None or frame.feedback_questions is None:
        return list(DEFAULT_FEEDBACK_QUESTIONS)
    return _QUESTIONS.validate_python(frame.feedback_questions)


def set_feedback_questions(
    session: Session, actor: str, questions: Sequence[FeedbackQuestion]
) -> list[FeedbackQuestion]:
    """Replace the county's list (ids unique, a Finnish text on each); old answers stay, counted by id."""
    frame = session.get(PlanningSettings, 1)
    if frame is None:
        raise NotFound("no planning settings: import a problem first (`tarjotin import`)")
    faults: list[FieldError] = []
    if not questions:
        faults.append(FieldError("questions", "give at least one question"))
    seen: set[str] = set()
    for i, question in enumerate(questions):
        if question.id in seen:
            faults.append(FieldError(f"questions[{i}].id", f"{question.id!r} is given twice: ids are unique"))
        seen.add(question.id)
        if "fi" not in question.text:
            faults.append(FieldError(f"questions[{i}].text.fi", "every question needs its Finnish text"))
    if faults:
        raise Invalid("; ".join(f"{f.field}: {f.message}" for f in faults), faults)
    frame.feedback_questions = [q.model_dump(mode="json") for q in questions]
    session.add(
        AuditEntry(
            actor=actor[:200], action="update", entity="feedback_questions", detail={"ids": [q.id for q in questions]}
        )
    )
    session.flush()
    return list(questions)


def asked(session: Session, kind: FeedbackKind) -> list[FeedbackQuestion]:
    """The questions a form of this kind asks, in the list's order."""
    return [q for q in feedback_questions(session) if kind in q.kinds]


def _checked(questions: Sequence[FeedbackQuestion], answers: Mapping[str, int], comment: str | None) -> dict[str, int]:
    """The answers, each a known question of the form on its scale; every fault at once, each named by its field."""
    scales = {q.id: q.scale for q in questions}
    faults: list[FieldError] = []
    for key, value in answers.items():
        if key not in scales:
            faults.append(FieldError(f"answers.{key}", "no such question on this form"))
            continue
        low, high = SCALE_RANGES[scales[key]]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            faults.append(FieldError(f"answers.{key}", f"answer with a whole number from {low} to {high}"))
    if comment is not None and len(comment) > COMMENT_LENGTH:
        faults.append(FieldError("comment", f"at most {COMMENT_LENGTH} characters"))
    if not answers and not comment:
        faults.append(FieldError("answers", "answer at least one question, or write a comment"))
    if faults:
        raise Invalid("; ".join(f"{f.field}: {f.message}" for f in faults), faults)
    return dict(answers)


def _store(
    session: Session,
    kind: FeedbackKind,
    group_id: str | None,
    on: date,
    actor: str,
    answers: dict[str, int],
    comment: str | None,
) -> Given:
    session.add(
        FeedbackRow(kind=kind, group_id=group_id, given_on=on, given_by=actor[:200], answers=answers, comment=comment)
    )
    session.flush()
    return Given(kind, on, len(answers))


def group_giver(session: Session, group_id: str, who: Handler, staff_id: str | None) -> GroupRow:
    """The group, when the caller may give its feedback: one of its leaders, or a coordinator."""
    group = session.get(GroupRow, group_id)
    if group is None:
        raise NotFound(f"no group {group_id!r}")
    if not who.everyone and (staff_id is None or staff_id not in group.leaders):
        raise NotTheirGroup(f"only the leaders of group {group_id!r} and coordinators give its feedback")
    return group


def client_giver(session: Session, client_id: str, who: Handler) -> ClientRow:
    """The client, when the caller may give their feedback: a counsellor who handles them, or a coordinator."""
    if who.role not in ("coordinator", "counsellor"):
        raise Forbidden("only the client's counsellor and coordinators give a client's feedback")
    client = check_handles(session, who, client_id)
    if client is None:
        raise NotFound(f"no client {client_id!r}")
    return client


def give_group_feedback(
    session: Session,
    group_id: str,
    who: Handler,
    staff_id: str | None,
    actor: str,
    answers: Mapping[str, int],
    comment: str | None,
    on: date,
) -> Given:
    """One participant's form at the group's end, filled in with a leader of the group (or a coordinator)."""
    group_giver(session, group_id, who, staff_id)
    checked = _checked(asked(session, "group"), answers, _comment(comment))
    return _store(session, "group", group_id, on, actor, checked, _comment(comment))


def give_client_feedback(
    session: Session,
    client_id: str,
    who: Handler,
    actor: str,
    answers: Mapping[str, int],
    comment: str | None,
    on: date,
) -> Given:
    """A client's form at the end of their service, filled in with their counsellor (or a coordinator).

    The client only decides who may give it: the stored form names no client."""
    client_giver(session, client_id, who)
    checked = _checked(asked(session, "client"), answers, _comment(comment))
    return _store(session, "client", None, on, actor, checked, _comment(comment))


def _comment(comment: str | None) -> str | None:
    text = (comment or "").strip()
    return text or None
