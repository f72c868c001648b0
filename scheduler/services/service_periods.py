"""A stored client's service period: when their seats end, and the dates their counsellor follows.

A seat ends with the service period it starts in (the client's decisions with no gap between
them, capped at 18 months: `scheduler.contract.service`); a continuation recorded later moves
the end of every active seat of the client (`sync_seat_ends`). A client with no decision on
record has seats without an end, as before decisions existed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract.service import Decision, decision_due, next_evaluation, period_on, service_periods
from scheduler.storage.enrollments import withdraw_pending
from scheduler.storage.models import AuditEntry, ClientRow, EnrollmentRow

__all__ = [
    "ServiceDates",
    "decisions_of",
    "end_service",
    "periods_of",
    "seat_end",
    "service_dates",
    "sync_all_seat_ends",
    "sync_seat_ends",
]

ENDS_SOON_DAYS = 28
"""A decision ending within four weeks shows on the counsellor's list."""


def decisions_of(client: ClientRow) -> list[Decision]:
    """The client's stored decisions as contract records."""
    return [Decision.model_validate(d) for d in client.decisions or []]


def seat_end(client: ClientRow, from_date: date) -> date | None:
    """The last day of a seat starting on `from_date`: its service period's end (None: no decision on record).

    A seat starting outside any period (it may only be an old one, kept as it was) keeps no end."""
    decisions = decisions_of(client)
    period = period_on(decisions, from_date) if decisions else None
    return period.end if period is not None else None


def sync_seat_ends(session: Session, client: ClientRow) -> int:
    """Set the end of each active seat of the client from their decisions now; how many changed."""
    changed = 0
    for seat in session.scalars(
        select(EnrollmentRow).where(EnrollmentRow.client_id == client.id, EnrollmentRow.status == "active")
    ):
        end = seat_end(client, seat.from_date)
        if end != seat.to_date:
            seat.to_date, changed = end, changed + 1
    return changed


def sync_all_seat_ends(session: Session) -> int:
    """`sync_seat_ends` for every client holding an active seat (after an import changed decisions); how many moved."""
    holders = select(EnrollmentRow.client_id).where(EnrollmentRow.status == "active").distinct()
    return sum(sync_seat_ends(session, c) for c in session.scalars(select(ClientRow).where(ClientRow.id.in_(holders))))


def end_service(session: Session, client: ClientRow, on: date, actor: str) -> int:
    """The client leaves the service (their decisions are over and no new one follows): they wait no longer,
    and any offer they still hold is withdrawn; how many offers."""
    client.in_service = False
    withdrawn = withdraw_pending(session, actor, client_id=client.id)
    session.add(
        AuditEntry(
            actor=actor[:200],
            action="end_service",
            entity="client",
            entity_id=client.id,
            detail={"on": on.isoformat(), "offers_withdrawn": withdrawn},
        )
    )
    return withdrawn


@dataclass(frozen=True)
class ServiceDates:
    """What a counsellor and a coordinator follow about a client's service on a day."""

    decision_due: date | None
    """The §45 deadline: three months from the case opening."""
    decision_overdue: bool
    """The deadline has passed and no decision is on record."""
    decision_end: date | None
    """The last day of the service period in force (the cap applied)."""
    capped: bool
    """The period ends at the 18-month cap, not at its decisions' end."""
    next_evaluation: date | None
    decision_ends_soon: bool
    """The period in force ends within four weeks and no continuation follows it."""
    evaluation_due: bool
    """The next evaluation falls within four weeks (or is past)."""
    in_force: bool
    """A decision is in force today (or none is on record: no limit)."""


def service_dates(client: ClientRow, today: date) -> ServiceDates:
    """The client's service dates on the day."""
    decisions = decisions_of(client)
    due = decision_due(client.case_opened)
    period = period_on(decisions, today)
    evaluation = next_evaluation(decisions, [date.fromisoformat(str(d)) for d in client.evaluations or []], today)
    soon = today + timedelta(days=ENDS_SOON_DAYS)
    return ServiceDates(
        decision_due=due,
        decision_overdue=due is not None and not decisions and today > due,
        decision_end=period.end if period else None,
        capped=period.capped if period else False,
        next_evaluation=evaluation,
        decision_ends_soon=period is not None and period.end <= soon,
        evaluation_due=evaluation is not None and evaluation <= soon,
        in_force=not decisions or period is not None,
    )


def periods_of(client: ClientRow) -> list[tuple[date, date]]:
    """The client's service periods (first and last day), in date order."""
    return [(p.start, p.end) for p in service_periods(decisions_of(client))]
