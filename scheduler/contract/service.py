"""A client's service period: the case, the assessment, the decisions, the 18-month cap, evaluations.

The handbook and the Social Welfare Act say how a client's social rehabilitation runs:

- the case opens (a §35 notice, `case_opened`) and the service need is assessed (`assessed`);
- the decision on the service is made within three months of the case opening (§45,
  `DECISION_DUE_MONTHS`);
- a decision grants the service for about six months at a time (`DECISION_MONTHS`, a new
  decision continues it); the service lasts at most 18 months (`SERVICE_CAP_MONTHS`);
- the first evaluation is three months into the service (`FIRST_EVALUATION_MONTHS`), then a
  joint evaluation every six months (`EVALUATION_EVERY_MONTHS`).

A **service period** is a run of decisions with no gap between them (a continuation starts
at the latest the day after the last one ends). It is capped 18 months after its first day;
a client who applies again after a gap starts a new period. A client with no decision on
record has no limit at all: a problem written before decisions existed plans as it did.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import Field, model_validator

from scheduler.contract.base import Contract, Email, Id, MailLanguage, OptionalText

__all__ = [
    "DECISION_DUE_MONTHS",
    "DECISION_MONTHS",
    "DECLINE_REASONS",
    "EVALUATION_EVERY_MONTHS",
    "FIRST_EVALUATION_MONTHS",
    "SERVICE_CAP_MONTHS",
    "Counsellor",
    "Decision",
    "DeclineReason",
    "Declined",
    "OfferTerms",
    "ServicePeriod",
    "add_months",
    "decision_due",
    "in_force",
    "next_evaluation",
    "period_on",
    "service_periods",
]

SERVICE_CAP_MONTHS = 18
"""The longest a service period runs, from its first decision's first day."""
DECISION_MONTHS = 6
"""How long a decision usually grants the service (the handbook; not enforced, a county may decide shorter)."""
DECISION_DUE_MONTHS = 3
"""The decision is made within this many months of the case opening (Social Welfare Act §45)."""
FIRST_EVALUATION_MONTHS = 3
"""The first evaluation, this many months into the service period."""
EVALUATION_EVERY_MONTHS = 6
"""Then a joint evaluation every this many months."""

DeclineReason = Literal["time", "place", "theme", "group", "health", "other"]
DECLINE_REASONS: tuple[str, ...] = ("time", "place", "theme", "group", "health", "other")
"""Why a client declined an offered group: its time, its place (too far, hard to reach), its theme,
the group itself (its people or size), the client's health, or something else."""


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter), as the calendar counts months."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Decision(Contract):
    """A decision granting the service from `start` to `end`, both days included."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Decision:
        if self.end < self.start:
            raise ValueError(f"the decision ends ({self.end}) before it starts ({self.start})")
        return self


class Declined(Contract):
    """A group the client was offered and declined, and why: the planner does not offer it again."""

    group: Id
    reason: DeclineReason
    on: date


class Counsellor(Contract):
    """A counsellor (the client's responsible worker, *omatyöntekijä*), known by an id and a name."""

    id: Id
    name: OptionalText = None
    email: Email = None
    lang: MailLanguage = "fi"


class OfferTerms(Contract):
    """How a county turns a published plan's new placements into seats."""

    reply_days: int = Field(default=7, ge=1, le=60, description="days a client has to answer an offer")
    accept_at_once: bool = Field(
        default=False, description="true: a published placement is a seat at once, nobody is asked"
    )


@dataclass(frozen=True)
class ServicePeriod:
    """Decisions without a gap between them: the service runs from `start` to `end` (the cap applied)."""

    start: date
    end: date
    decided_until: date
    """The last day the decisions cover; after `end` when the cap cuts them short."""

    @property
    def cap(self) -> date:
        """The last day the service may run: 18 months from its first day."""
        return add_months(self.start, SERVICE_CAP_MONTHS) - timedelta(days=1)

    @property
    def capped(self) -> bool:
        return self.decided_until > self.end


def service_periods(decisions: Iterable[Decision]) -> list[ServicePeriod]:
    """The client's service periods in date order, each capped at 18 months."""
    spans: list[list[date]] = []
    for decision in sorted(decisions, key=lambda d: (d.start, d.end)):
        if spans and decision.start <= spans[-1][1] + timedelta(days=1):
            spans[-1][1] = max(spans[-1][1], decision.end)
        else:
            spans.append([decision.start, decision.end])
    periods = []
    for start, end in spans:
        cap = add_months(start, SERVICE_CAP_MONTHS) - timedelta(days=1)
        periods.append(ServicePeriod(start, min(end, cap), end))
    return periods


def period_on(decisions: Sequence[Decision], day: date) -> ServicePeriod | None:
    """The service period in force on the day, if any."""
    return next((p for p in service_periods(decisions) if p.start <= day <= p.end), None)


def in_force(decisions: Sequence[Decision], day: date) -> bool:
    """Whether the client may attend a session on the day: no decision on record, or one in force (capped)."""
    return not decisions or period_on(decisions, day) is not None


def decision_due(case_opened: date | None) -> date | None:
    """The last day for the decision on the service (§45): three months from the case opening."""
    return add_months(case_opened, DECISION_DUE_MONTHS) if case_opened is not None else None


def next_evaluation(decisions: Sequence[Decision], evaluations: Iterable[date], today: date) -> date | None:
    """When the next evaluation is due in the period in force today (or the next one): three months in,
    then six months after the last one held; none when no period runs or the due day is past its end."""
    period = period_on(decisions, today) or next((p for p in service_periods(decisions) if p.start > today), None)
    if period is None:
        return None
    held = sorted(d for d in evaluations if period.start <= d <= period.end)
    due = add_months(held[-1], EVALUATION_EVERY_MONTHS) if held else add_months(period.start, FIRST_EVALUATION_MONTHS)
    return due if due <= period.end else None
