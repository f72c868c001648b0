"""Feedback in the county's figures: forms by kind, and per question the answers, their mean and, on the
0-10 scale, the net promoter score (promoters 9-10 minus detractors 0-6, per hundred answers).

Questions are counted by id: one removed from the list keeps its old answers (its scale and text
are the defaults' when it was one of them, else unknown: then only the mean is given).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract.followup import DEFAULT_FEEDBACK_QUESTIONS, FEEDBACK_KINDS, FeedbackQuestion
from scheduler.services.feedback import feedback_questions
from scheduler.services.figures.model import FeedbackComment, FeedbackFigures, QuestionFigures
from scheduler.storage.models import FeedbackRow

__all__ = ["feedback_figures", "question_figures"]


def question_figures(question: FeedbackQuestion | None, qid: str, values: list[int], current: bool) -> QuestionFigures:
    """One question's answers summed up."""
    scale = question.scale if question is not None else None
    figures = QuestionFigures(
        id=qid,
        scale=scale,
        text=dict(question.text) if question is not None else {},
        current=current,
        answers=len(values),
        mean=round(sum(values) / len(values), 2) if values else None,
    )
    if scale == "0-10":
        promoters = sum(v >= 9 for v in values)
        detractors = sum(v <= 6 for v in values)
        figures.promoters, figures.detractors = promoters, detractors
        figures.passives = len(values) - promoters - detractors
        figures.nps = round(100 * (promoters - detractors) / len(values), 1) if values else None
    return figures


def feedback_figures(session: Session, start: date, end: date) -> FeedbackFigures:
    """The forms given in the period, each question's figures (the list's first, then removed ones by id),
    and the comments, oldest first."""
    rows = list(
        session.scalars(
            select(FeedbackRow)
            .where(FeedbackRow.given_on >= start, FeedbackRow.given_on <= end)
            .order_by(FeedbackRow.given_on, FeedbackRow.id)
        )
    )
    listed = feedback_questions(session)
    known = {q.id: q for q in DEFAULT_FEEDBACK_QUESTIONS} | {q.id: q for q in listed}
    values: dict[str, list[int]] = {}
    for row in rows:
        for qid, value in (row.answers or {}).items():
            if isinstance(value, int) and not isinstance(value, bool):
                values.setdefault(qid, []).append(value)
    current = [q.id for q in listed]
    removed = sorted(set(values) - set(current))
    return FeedbackFigures(
        forms={kind: sum(r.kind == kind for r in rows) for kind in FEEDBACK_KINDS},
        questions=[question_figures(known.get(q), q, values.get(q, []), q in current) for q in current + removed],
        comments=[
            FeedbackComment(kind=r.kind, given_on=r.given_on, group_id=r.group_id, comment=r.comment)
            for r in rows
            if r.comment
        ],
    )
