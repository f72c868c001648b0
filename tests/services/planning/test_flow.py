"""The command line and the background jobs plan through one flow: the same data and solve give the same draft."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, select

from scheduler.contract import Plan, Problem
from scheduler.scenario import generate
from scheduler.services.clock import FixedClock
from scheduler.services.planning.jobs import JobOptions, PlanningJobs
from scheduler.services.planning.workflow import PlanDiff, plan_run, publish_run, run_diff
from scheduler.storage.database import session_scope
from scheduler.storage.models import AuditEntry, PlanningRun
from scheduler.storage.repository import import_problem
from tests.planning_stub import keep_and_open
from tests.services.planning.test_workflow import without_clients

CLOCK = FixedClock.on(date(2027, 1, 8))
STORED = ("status", "based_on_version", "problem", "plan", "metrics", "diff", "error", "finished_at")


def reshuffle(problem: Problem, *_: object) -> Plan:
    """The stand-in plan, then the first running group moved to Friday and the last one closed."""
    plan = keep_and_open(problem)
    running = [g.id for g in problem.groups]
    groups = [
        g.model_copy(update={"day": "fri"}) if g.id == running[0] else g for g in plan.groups if g.id != running[-1]
    ]
    return plan.model_copy(update={"groups": groups})


def published_with_newcomers(engine: Engine) -> None:
    """Fifty clients seated and published, then ten more waiting."""
    full = generate(60, seed=5)
    with session_scope(engine) as session:
        import_problem(session, without_clients(full, 50))
    with session_scope(engine) as session:
        publish_run(session, plan_run(session, keep_and_open, actor="test"), actor="test")
    with session_scope(engine) as session:
        import_problem(session, full)


def stored(engine: Engine, run_id: int) -> dict[str, Any]:
    with session_scope(engine) as session:
        run = session.get(PlanningRun, run_id)
        assert run is not None
        audit = session.scalar(
            select(AuditEntry.detail).where(AuditEntry.action == "plan", AuditEntry.entity_id == str(run_id))
        )
        return {**{field: getattr(run, field) for field in STORED}, "typed": run_diff(run), "audit": audit}


def test_the_command_line_and_a_job_store_the_same_draft_and_diff(engine: Engine) -> None:
    published_with_newcomers(engine)
    with session_scope(engine) as session:
        by_hand = plan_run(session, reshuffle, actor="coordinator", clock=CLOCK).id
    jobs = PlanningJobs(engine, solve=reshuffle, clock=CLOCK)
    in_background = jobs.start(JobOptions(), actor="coordinator")
    assert jobs.wait(30) and jobs.running() is None
    jobs.shutdown()
    cli, job = stored(engine, by_hand), stored(engine, in_background)
    assert cli == job
    assert job["status"] == "draft" and job["based_on_version"] == 1 and job["typed"] == PlanDiff.from_json(job["diff"])
    first, last = job["problem"]["groups"][0]["id"], job["problem"]["groups"][-1]["id"]
    assert job["typed"].moved == [first] and job["typed"].closed == [last]
    assert job["typed"].opened and job["typed"].clients_added == 10, "the ten newcomers in new groups"
    assert job["audit"] == job["diff"] and job["finished_at"].replace(tzinfo=None) == CLOCK.now().replace(tzinfo=None)
