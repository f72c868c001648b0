"""A database in which one client, `TARGET`, has left traces everywhere a person can: the erasure tests' world."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scheduler.contract import Plan, PlanMetrics, Problem, Reason, Unassigned
from scheduler.scenario import generate
from scheduler.services.planning.workflow import plan_run, publish_run
from scheduler.storage.database import session_scope
from scheduler.storage.enrollments import end_enrollment
from scheduler.storage.models import (
    AuditEntry,
    ClientRow,
    EnrollmentRow,
    HubRow,
    IdempotencyRecord,
    OfferRow,
    PlanningSettings,
    TravelOverride,
    WaitlistEntry,
)
from scheduler.storage.repository import import_problem
from tests.planning_stub import keep_and_open

__all__ = ["HOME", "INTEREST", "NOW", "TARGET", "add_target", "leave_traces", "traces"]

TARGET = "erase-me-7q"
HOME = (60.4321987, 23.9876543)
INTEREST = "kintsugi-zz9"
NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


def add_target(session: Session, client_id: str = TARGET) -> None:
    """The client, with a home, an interest and a travel time nobody else has."""
    session.add(
        ClientRow(
            id=client_id,
            languages=["fi"],
            home_lat=HOME[0],
            home_lon=HOME[1],
            travel_mode="car",
            max_travel_minutes=90,
            available=[{"day": "mon", "start": "08:00", "end": "16:00"}],
            interests=[INTEREST],
            audiences=["adults"],
            waiting_since=date(2026, 8, 3),
        )
    )
    hub = session.scalars(select(HubRow.id).order_by(HubRow.id)).first()
    assert hub is not None
    session.add(TravelOverride(kind="client", source=client_id, hub_id=hub, minutes=17))


def _left_waiting(problem: Problem) -> Plan:
    """The running groups kept; the target unplaced, with a reason naming them."""
    reason = Reason(code="travel", detail=f"client {TARGET} lives too far from {INTEREST}")
    return Plan(
        status="feasible",
        groups=list(problem.groups),
        unassigned=[Unassigned(client=TARGET, reasons=[reason])],
        metrics=PlanMetrics(placed=0, unassigned=1, groups_new=0, groups_total=len(problem.groups)),
    )


def leave_traces(engine: Engine) -> None:
    """A published scenario in which the target was seated, left, waits again, declined an offer and holds
    another, and is in every kind of record."""
    with session_scope(engine) as session:
        import_problem(session, generate(30, 1), actor="test")
        add_target(session)
        frame = session.get(PlanningSettings, 1)
        assert frame is not None
        frame.offers_accept_at_once = True  # the target's first seat is made at once
    with session_scope(engine) as session:
        publish_run(session, plan_run(session, keep_and_open, actor="test"), actor="test", today=date(2026, 9, 1))
    with session_scope(engine) as session:
        seat = session.scalars(select(EnrollmentRow).where(EnrollmentRow.client_id == TARGET)).one()
        end_enrollment(session, TARGET, seat.group_id, "completed", date(2026, 12, 1), "test", leaves_service=False)
    with session_scope(engine) as session:
        plan_run(session, _left_waiting, actor="test")
        other = session.scalars(select(EnrollmentRow.group_id).where(EnrollmentRow.client_id != TARGET)).first()
        assert other is not None
        session.add(WaitlistEntry(group_id=other, client_id=TARGET))
        for status in ("declined", "pending"):
            session.add(
                OfferRow(
                    client_id=TARGET,
                    group_id=other,
                    status=status,
                    made_on=date(2026, 12, 2),
                    starts_on=date(2026, 12, 7),
                    reply_by=date(2026, 12, 9),
                    decline_reason="time" if status == "declined" else None,
                )
            )
        session.add(
            AuditEntry(
                actor="test",
                action="decline",
                entity="offer",
                entity_id="1",
                detail={"client": TARGET, "group": other, "reason": "time"},
            )
        )
        session.add(
            AuditEntry(
                actor="test",
                action="update",
                entity="client",
                entity_id=TARGET,
                detail={"fields": ["home_lat", "interests"], "home_lat": HOME[0], "interests": [INTEREST]},
                note=f"{TARGET} moved; asked about {INTEREST}",
            )
        )
        session.add(
            AuditEntry(actor="test", action="waitlist", entity="group", entity_id=other, detail={"client": TARGET})
        )
        session.add(
            IdempotencyRecord(
                caller="token:1",
                key="retry-1",
                request_hash="0" * 64,
                status_code=201,
                response={"client_id": TARGET, "group": other},
            )
        )
        session.add(
            IdempotencyRecord(
                caller="token:2", key="retry-2", request_hash="1" * 64, status_code=201, response={"seat": 1}
            )
        )


def traces(text: str) -> list[str]:
    """Which of the target's id, home coordinates and interest occur in the text."""
    return [trace for trace in (TARGET, repr(HOME[0]), repr(HOME[1]), INTEREST) if trace in text]
