"""Erasure under data protection law: after `erase_client` no table holds the person; the counts stay."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from scheduler.contract import parse_plan, parse_problem
from scheduler.contract.errors import Conflict, NotFound
from scheduler.scenario import generate
from scheduler.services.erasure import erase_client, seat_history
from scheduler.services.planning.flow import end_run, open_run, store_draft, take_snapshot
from scheduler.storage.database import session_scope
from scheduler.storage.models import AuditEntry, ClientRow, IdempotencyRecord, PlanningRun
from scheduler.storage.repository import import_problem
from tests.database_dump import every_row
from tests.erasure_data import NOW, TARGET, add_target, leave_traces, traces
from tests.planning_stub import keep_and_open


def test_erasure_leaves_no_trace_of_the_client_in_any_table(engine: Engine) -> None:
    leave_traces(engine)
    assert traces(every_row(engine)) != []  # the world holds the person: in runs, audit, seats, answers
    with session_scope(engine) as session:
        before = seat_history(session)
        done = erase_client(session, TARGET, "coordinator", NOW)
    assert traces(every_row(engine)) == []
    assert done.runs == 2 and done.waitlist == 1 and done.travel_times == 1 and done.idempotency_keys == 1
    assert done.offers == {"declined": 1, "pending": 1}
    with session_scope(engine) as session:
        assert session.get(ClientRow, TARGET) is None
        assert seat_history(session) == before
        record = session.scalars(select(AuditEntry).where(AuditEntry.action == "erase")).one()
        assert record.entity == "client" and record.entity_id is None and record.actor == "coordinator"
        assert sum(sum(by_status.values()) for by_status in record.detail["seats_removed"].values()) == 1
        assert session.scalars(select(IdempotencyRecord.key)).all() == ["retry-2"]
        for run in session.scalars(select(PlanningRun)):
            problem = parse_problem(run.problem)
            assert len(problem.clients) == 30
            if run.plan is not None:
                parse_plan(run.plan)


def test_erasure_keeps_the_audit_entries_with_a_marker(engine: Engine) -> None:
    leave_traces(engine)
    with session_scope(engine) as session:
        erase_client(session, TARGET, "coordinator", NOW)
    with session_scope(engine) as session:
        about = session.scalars(select(AuditEntry).where(AuditEntry.entity == "client", AuditEntry.action == "update"))
        entry = about.one()
        assert entry.entity_id == "erased" and entry.detail == {"fields": ["home_lat", "interests"]}
        waited = session.scalars(select(AuditEntry).where(AuditEntry.action == "waitlist")).one()
        assert waited.detail == {"client": "erased"}


def test_erasing_an_unknown_client_is_not_found(engine: Engine) -> None:
    with session_scope(engine) as session, pytest.raises(NotFound, match="no client 'nobody'"):
        erase_client(session, "nobody", "coordinator", NOW)


def test_erasure_waits_for_a_planning_run_in_progress(engine: Engine) -> None:
    leave_traces(engine)
    with session_scope(engine) as session:
        session.scalars(select(PlanningRun).order_by(PlanningRun.id.desc())).first().status = "running"  # type: ignore[union-attr]
    with session_scope(engine) as session, pytest.raises(Conflict, match="is running"):
        erase_client(session, TARGET, "coordinator", NOW)
    with session_scope(engine) as session:
        assert session.get(ClientRow, TARGET) is not None


def test_a_client_deleted_without_erasure_can_still_be_erased(engine: Engine) -> None:
    leave_traces(engine)
    with session_scope(engine) as session:
        session.delete(session.get(ClientRow, TARGET))  # the seats, places and travel times go with the row
    assert traces(every_row(engine)) != []  # but the runs, the audit log and the answers still hold the person
    with session_scope(engine) as session:
        done = erase_client(session, TARGET, "coordinator", NOW)
    assert done.runs == 2 and done.idempotency_keys == 1
    assert traces(every_row(engine)) == []
    with session_scope(engine) as session, pytest.raises(NotFound):
        erase_client(session, TARGET, "coordinator", NOW)


def test_a_run_that_read_the_client_before_their_erasure_stores_nothing_of_them(engine: Engine) -> None:
    """The race: a run takes its snapshot, the erasure commits, then the run is stored (drafted or failed)."""
    with session_scope(engine) as session:
        import_problem(session, generate(30, 1), actor="test")
        add_target(session)
    with session_scope(engine) as session:
        drafted = take_snapshot(session)
        failed = take_snapshot(session)
    assert any(c.id == TARGET for c in drafted.problem.clients)
    with session_scope(engine) as session:
        erase_client(session, TARGET, "coordinator", NOW)
    with session_scope(engine) as session:
        run = open_run(session, drafted, status="running")
        store_draft(session, run, drafted.problem, keep_and_open(drafted.problem), "test")
        end_run(open_run(session, failed, status="running"), "failed", "stopped")
    assert traces(every_row(engine)) == []
    with session_scope(engine) as session:
        for stored in session.scalars(select(PlanningRun)):
            assert len(parse_problem(stored.problem).clients) == 30
