"""A run split into parts, each a task on the queue, merged into one draft: the national scenario on the
embedded queue (SQLite, the local worker process) and on Redis with two `tarjotin worker`s."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import pytest
import redis
from sqlalchemy import select

from scheduler.checker import check
from scheduler.contract import Plan, Problem
from scheduler.scenario import generate_national
from scheduler.services.planning.jobs import JobOptions, PlanningJobs
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import PlanningPart, PlanningRun
from scheduler.storage.repository import import_problem
from tests.conftest import migrated
from tests.pages.conftest import TARJOTIN

BROKER = "redis://127.0.0.1:6379/0"
CLIENTS = 150


@pytest.fixture(scope="module")
def national() -> Problem:
    return generate_national(CLIENTS, 5)


def _plan(url: str, problem: Problem, settings: Settings) -> tuple[PlanningRun, list[int]]:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            import_problem(session, problem, actor="test")
        jobs = PlanningJobs(engine, settings=settings)
        run_id = jobs.start(JobOptions(time_limit=22), actor="test")
        assert jobs.wait(240, run_id), "the run did not end"
        jobs.shutdown()
        with session_scope(engine) as session:
            run = session.get(PlanningRun, run_id)
            assert run is not None
            session.expunge(run)
            left = list(session.scalars(select(PlanningPart.part)))
        return run, left
    finally:
        engine.dispose()


def _assert_merged(run: PlanningRun, left: list[int], problem: Problem) -> None:
    assert run.status == "draft", run.error
    assert run.parts == 22, "each county a part"
    assert left == [], "an ended run keeps no parts"
    plan = Plan.model_validate(run.plan)
    assert check(Problem.model_validate(run.problem), plan) == []
    placed = {p for group in plan.groups for p in group.participants}
    assert len(placed) + len(plan.unassigned) == CLIENTS and plan.metrics.placed == len(placed) > 0
    assert run.progress is not None and run.progress["areas"] == 22 and run.progress["area"] == 22


def test_a_national_run_is_planned_county_by_county_by_the_local_worker(tmp_path: Path, national: Problem) -> None:
    url = migrated("sqlite", tmp_path)
    run, left = _plan(url, national, Settings(database_url=url))
    _assert_merged(run, left, national)


def test_a_national_run_is_planned_by_two_workers_on_redis(tmp_path: Path, national: Problem) -> None:
    url = migrated("postgresql", tmp_path)
    queue = f"tarjotin-test-{uuid.uuid4().hex[:10]}"
    env = {**os.environ, "TARJOTIN_DATABASE_URL": url, "TARJOTIN_BROKER_URL": BROKER, "TARJOTIN_QUEUE_NAME": queue}
    workers = [subprocess.Popen([TARJOTIN, "worker"], env=env, stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        run, left = _plan(url, national, Settings(database_url=url, broker_url=BROKER, queue_name=queue))
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(30)
        for key in redis.Redis.from_url(BROKER).scan_iter(f"*{queue}*"):
            redis.Redis.from_url(BROKER).delete(key)
    _assert_merged(run, left, national)
    assert run.worker is not None
