"""The weekly workflow on a real database: import, plan, publish, replan, export.

The solve is the stand-in `tests.planning_stub.keep_and_open` (instant and the same every
time): these tests are about the bookkeeping around it, not the solver.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, select

from scheduler.contract import Plan, Problem, parse_problem
from scheduler.contract.service import OfferTerms
from scheduler.scenario import generate
from scheduler.services.offers import decline_offer
from scheduler.services.ownership import Handler
from scheduler.services.planning.workflow import StaleRunError, plan_run, publish_run, resolve_run, run_diff
from scheduler.storage.database import session_scope
from scheduler.storage.models import AuditEntry, OfferingVersion, OfferRow
from scheduler.storage.repository import export_problem, import_problem
from tests.planning_stub import keep_and_open
from tests.storage.test_roundtrip import same

NOW = datetime(2026, 9, 1, 9, tzinfo=UTC)


def without_clients(problem: Problem, keep: int) -> Problem:
    data = problem.dump()
    data["clients"] = data["clients"][:keep]
    return parse_problem(data)


def plan_and_publish(engine: Engine) -> Plan:
    with session_scope(engine) as session:
        run = plan_run(session, keep_and_open, actor="test")
    with session_scope(engine) as session:
        publish_run(session, resolve_run(session, "latest"), actor="test")
        return Plan.model_validate(run.plan)


def two_drafts_on_one_version(engine: Engine, seed: int) -> list[int]:
    """Import a small scenario and plan it twice without publishing: two drafts on version 0."""
    with session_scope(engine) as session:
        import_problem(session, generate(60, seed=seed))
    runs = []
    for _ in range(2):
        with session_scope(engine) as session:
            runs.append(plan_run(session, keep_and_open, actor="test").id)
    return runs


def test_round_trip_import_plan_publish_export_import(engine: Engine) -> None:
    with session_scope(engine) as session:
        import_problem(session, generate(80, seed=3))
    plan = plan_and_publish(engine)
    with session_scope(engine) as session:
        exported = export_problem(session)
    assert {g.id for g in exported.groups} == {g.id for g in plan.groups}
    assert all(g.pinned for g in exported.groups)
    with session_scope(engine) as session:
        import_problem(session, exported)
    with session_scope(engine) as session:
        assert same(export_problem(session), exported)


def test_replanning_ten_new_clients_moves_nobody(engine: Engine) -> None:
    full = generate(410, seed=7)
    with session_scope(engine) as session:
        import_problem(session, without_clients(full, 400))
    first = plan_and_publish(engine)
    with session_scope(engine) as session:
        import_problem(session, full)
        run = plan_run(session, keep_and_open, actor="test")
    second = Plan.model_validate(run.plan)
    diff = run_diff(run)
    assert diff is not None and diff.moved == [] and diff.closed == []
    where = {g.id: (g.day, g.start, g.hub, g.room, tuple(g.leaders)) for g in second.groups}
    for group in first.groups:
        again = next(g for g in second.groups if g.id == group.id)
        assert where[group.id] == (group.day, group.start, group.hub, group.room, tuple(group.leaders))
        assert set(group.participants) <= set(again.participants)
    newcomers = {c.id for c in full.clients[400:]}
    placed_new = newcomers & {p for g in second.groups for p in g.participants}
    assert placed_new, "some of the ten newcomers get a seat"


def test_second_publish_on_the_same_version_loses(engine: Engine) -> None:
    runs = two_drafts_on_one_version(engine, seed=9)
    with session_scope(engine) as session:
        publish_run(session, resolve_run(session, str(runs[0])), actor="first")
    with pytest.raises(StaleRunError, match="plan again"), session_scope(engine) as session:
        publish_run(session, resolve_run(session, str(runs[1])), actor="second")
    with session_scope(engine) as session:
        assert len(session.scalars(select(OfferingVersion)).all()) == 1
        assert {e.action for e in session.scalars(select(AuditEntry))} >= {"import", "plan", "publish"}


def test_concurrent_publishes_of_runs_on_one_version_let_exactly_one_win(engine: Engine, database_url: str) -> None:
    runs = two_drafts_on_one_version(engine, seed=11)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def publish(run_id: int) -> None:
        try:
            with session_scope(engine) as session:
                run = resolve_run(session, str(run_id))
                barrier.wait(timeout=10)
                publish_run(session, run, actor=f"thread-{run_id}")
            outcomes.append("published")
        except StaleRunError:
            outcomes.append("stale")
        except Exception as error:  # noqa: BLE001 - SQLite may refuse the second writer outright
            outcomes.append(f"refused: {type(error).__name__}")

    threads = [threading.Thread(target=publish, args=(r,)) for r in runs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert outcomes.count("published") == 1, outcomes
    if database_url.startswith("postgresql"):
        assert outcomes.count("stale") == 1, outcomes
    with session_scope(engine) as session:
        assert len(session.scalars(select(OfferingVersion)).all()) == 1


def test_draft_planned_before_a_seat_ended_cannot_publish(engine: Engine) -> None:
    from scheduler.storage.enrollments import end_enrollment

    with session_scope(engine) as session:
        import_problem(session, generate(60, seed=13).model_copy(update={"offers": OfferTerms(accept_at_once=True)}))
    first = plan_and_publish(engine)
    group = next(g for g in first.groups if g.participants)
    with session_scope(engine) as session:
        draft = plan_run(session, keep_and_open, actor="test").id
    with session_scope(engine) as session:
        end_enrollment(session, group.participants[0], group.id, "completed", date(2027, 2, 1), "test")
    with pytest.raises(StaleRunError, match="seats changed"), session_scope(engine) as session:
        publish_run(session, resolve_run(session, str(draft)), actor="test")
    with session_scope(engine) as session:
        assert group.participants[0] not in {c.id for c in export_problem(session).clients}


def test_draft_planned_before_an_offer_was_declined_cannot_publish(engine: Engine) -> None:
    with session_scope(engine) as session:
        import_problem(session, generate(60, seed=13))
    plan_and_publish(engine)
    with session_scope(engine) as session:
        draft = plan_run(session, keep_and_open, actor="test").id
    with session_scope(engine) as session:
        offer = session.scalars(select(OfferRow).order_by(OfferRow.id)).first()
        assert offer is not None
        decline_offer(session, offer.id, Handler("coordinator"), "test", "time", date(2026, 9, 1), NOW)
    with pytest.raises(StaleRunError, match="seats changed"), session_scope(engine) as session:
        publish_run(session, resolve_run(session, str(draft)), actor="test")


def test_a_plan_that_closes_a_group_withdraws_its_pending_offers(engine: Engine) -> None:
    with session_scope(engine) as session:
        import_problem(session, generate(60, seed=13))
    first = plan_and_publish(engine)
    closing = first.groups[0]
    with session_scope(engine) as session:
        run = plan_run(
            session,
            lambda p: keep_and_open(p).model_copy(
                update={"groups": [g for g in keep_and_open(p).groups if g.id != closing.id]}
            ),
            actor="test",
        )
        published = publish_run(session, run, actor="test")
        assert published.withdrawn == len(closing.participants) and published.offers == 0
    with session_scope(engine) as session:
        statuses = set(session.scalars(select(OfferRow.status).where(OfferRow.group_id == closing.id)))
        assert statuses == {"withdrawn"}
