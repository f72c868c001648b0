"""The county's figures for a period as one record: what `county_figures` answers and the report shows.

Every figure is defined in docs/county-figures.md (the one place); the field descriptions here
say it in a line. Shares are 0..1 rounded to four decimals, means to two, NPS to one; a figure
with nothing to count (no marks, no answers) is none rather than zero.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

__all__ = [
    "AttendanceFigures",
    "ClientFigures",
    "CountyFigures",
    "EndingFigures",
    "FeedbackComment",
    "FeedbackFigures",
    "OfferFigures",
    "QuestionFigures",
    "SeatCell",
    "WaitingFigures",
]


class ClientFigures(BaseModel):
    in_group_work: int = Field(description="clients with a seat active on some day of the period")
    new_decisions: int = Field(description="decisions starting in the period")
    clients_with_new_decision: int = Field(description="clients with at least one decision starting in the period")


class WaitingFigures(BaseModel):
    first_sessions: int = Field(description="clients whose first session after their case opening is in the period")
    median_days: float | None = Field(description="median days from case opening to first session (none: no one)")
    bins: dict[str, int] = Field(description="under_1, 1_to_2, 2_to_3, over_3 months from case opening")
    past_three_months: int = Field(description="first sessions later than three months after the case opening")
    still_waiting_past_three_months: int = Field(
        description="clients in service, case opened over three months before `still_waiting_on`, no session by then"
    )
    still_waiting_on: date = Field(
        description="the day the still-waiting count is taken: the period's end, or today if the period ends later"
    )
    no_case_opening: int = Field(description="clients with a first session in the period but no case opening on record")


class OfferFigures(BaseModel):
    made: int = Field(description="offers made in the period; the rest say what became of them by now")
    accepted: int
    declined: int
    expired: int
    withdrawn: int
    pending: int
    declined_by_reason: dict[str, int]


class AttendanceFigures(BaseModel):
    marked: int = Field(description="attendance marks of sessions in the period")
    present: int
    excused: int
    absent: int
    rate: float | None = Field(description="present / marked")
    excused_share: float | None
    absent_share: float | None
    popup_sessions: int = Field(default=0, description="open pop-up sessions in the period with a head count")
    popup_heads: int = Field(default=0, description="the people their head counts counted (no roster: not marks)")


class SeatCell(BaseModel):
    municipality: str = Field(description="the group's hub's municipality, or 'remote'")
    language: str
    kind: str
    seats: int = Field(description="seats active on some day of the period")


class EndingFigures(BaseModel):
    ended: int = Field(description="seats that ended (completed or interrupted) in the period")
    reasons: dict[str, int] = Field(description="by end reason; 'unrecorded' when nobody said")
    next_steps: dict[str, int] = Field(description="by next step; 'unrecorded' when nobody said")


class QuestionFigures(BaseModel):
    id: str
    scale: str | None = Field(description="1-5, 0-10, or none for a removed question the defaults do not know")
    text: dict[str, str] = Field(description="the question in each language it has (empty: no longer known)")
    current: bool = Field(description="on the county's list now")
    answers: int
    mean: float | None
    promoters: int | None = Field(default=None, description="0-10 only: answers 9-10")
    passives: int | None = Field(default=None, description="0-10 only: answers 7-8")
    detractors: int | None = Field(default=None, description="0-10 only: answers 0-6")
    nps: float | None = Field(default=None, description="0-10 only: 100 × (promoters − detractors) / answers")


class FeedbackComment(BaseModel):
    kind: str
    given_on: date
    group_id: str | None
    comment: str


class FeedbackFigures(BaseModel):
    forms: dict[str, int] = Field(description="forms given in the period, by kind (group, client)")
    questions: list[QuestionFigures]
    comments: list[FeedbackComment] = Field(description="free text, for the county's coordinators only")


class CountyFigures(BaseModel):
    """The county's figures for the days `from` to `to`, both included."""

    period_from: date = Field(serialization_alias="from")
    period_to: date = Field(serialization_alias="to")
    clients: ClientFigures
    waiting: WaitingFigures
    offers: OfferFigures
    attendance: AttendanceFigures
    seats: list[SeatCell]
    endings: EndingFigures
    feedback: FeedbackFigures
