"""Advice and what-ifs as jobs on the planning queue: each candidate re-planned as its own task (two workers
on Redis share them), stopped without losing what was verified, what-ifs named and refused by field, and
erased with the client they mention."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
from sqlalchemy import Engine, select

import solver
from scheduler.contract import Invalid, Problem
from scheduler.contract.errors import Conflict
from scheduler.contract.whatif import ClientRemote, NewLeader, StaffAvailability
from scheduler.services.advice.advise import AdviceParams
from scheduler.services.advice.jobs import AdviceJobs
from scheduler.services.erasure import erase_client
from scheduler.services.planning.jobs import PlanningJobs
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import AdviceCandidate, AdviceRun, ClientRow, PlanningRun, WhatIf
from scheduler.storage.repository import import_problem
from tests import builders as b
from tests.conftest import migrated
from tests.pages.conftest import TARJOTIN

BROKER = "redis://127.0.0.1:6379/0"
PARAMS = AdviceParams(time_limit=120, replan_seconds=1.0, top=3)


def swedish_cluster() -> Problem:
    """Six Finnish speakers placed with two Finnish leaders; five Swedish-only clients wait: the only Swedish
    speaker is not qualified, so no team can lead them (`leaders`). One Finnish client cannot come remotely."""
    return b.build(
        b.problem(
            hubs=[b.hub(rooms=[b.room(), b.room("lohja/hall")])],
            staff=[b.leader("aino"), b.leader("mikko"), b.leader("sven", qualified=False, languages=("sv",))],
            templates=[b.template(), b.template("games", theme="games", modality="remote", languages=("fi",))],
            clients=[
                *b.clients("f", 6),
                *b.clients("s", 5, languages=("sv",)),
                b.client("g01", interests=("games",)),
            ],
        )
    )


@pytest.fixture(scope="module")
def planned() -> tuple[Problem, dict[str, object]]:
    problem = swedish_cluster()
    plan = solver.solve(problem, solver.SolveParams(time_limit=5, workers=1))
    assert {u.client for u in plan.unassigned} >= {f"s0{i}" for i in range(1, 6)}
    return problem, plan.dump()


def _store(engine: Engine, problem: Problem, plan: dict[str, object]) -> int:
    with session_scope(engine) as session:
        import_problem(session, problem, actor="test")
        run = PlanningRun(status="draft", problem=problem.dump(), plan=plan)
        session.add(run)
        session.flush()
        return run.id


@pytest.fixture
def embedded(tmp_path: Path, planned: tuple[Problem, dict[str, object]]) -> Iterator[tuple[AdviceJobs, int, Engine]]:
    url = migrated("sqlite", tmp_path)
    engine = make_engine(url)
    run_id = _store(engine, *planned)
    jobs = PlanningJobs(engine, settings=Settings(database_url=url))
    yield AdviceJobs(engine, jobs), run_id, engine
    jobs.shutdown()
    engine.dispose()


def _check_advice(advice: AdviceJobs, advice_id: int) -> None:
    assert advice.wait_advice(advice_id, 180), "the advice did not end"
    state = advice.advice_state(advice_id)
    assert state.status == "complete", state.error
    assert state.advice is not None and state.advice.items, state.advice
    first = state.advice.items[0]
    assert isinstance(first.change, NewLeader | StaffAvailability)
    assert first.placed_gain == 5 and first.diff.placed == [f"s0{i}" for i in range(1, 6)]
    assert [(p.municipality, p.language, p.clients) for p in first.diff.by_place] == [("Lohja", "sv", 5)]
    assert state.verified + state.pruned + state.screened_out == state.candidates and state.waiting == 0


def test_advice_on_the_embedded_queue_names_the_missing_swedish_leader(
    embedded: tuple[AdviceJobs, int, Engine],
) -> None:
    advice, run_id, engine = embedded
    advice_id = advice.start_advice(run_id, "coordinator", PARAMS)
    assert advice.latest_advice(run_id) == advice_id
    _check_advice(advice, advice_id)
    with session_scope(engine) as session:
        statuses = set(session.scalars(select(AdviceCandidate.status).where(AdviceCandidate.advice_id == advice_id)))
    assert statuses <= {"done", "pruned"}


def _both_listening(workers: int) -> None:
    """Wait until the workers block on the broker for messages (each has started)."""
    broker = redis.Redis.from_url(BROKER)
    deadline = time.monotonic() + 60
    while sum(c.get("cmd") == "brpop" for c in broker.client_list()) < workers:
        assert time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.2)


def test_two_workers_on_redis_share_an_advice_s_re_plans(
    tmp_path: Path, planned: tuple[Problem, dict[str, object]]
) -> None:
    url = migrated("postgresql", tmp_path)
    queue = f"tarjotin-test-{uuid.uuid4().hex[:10]}"
    env = {**os.environ, "TARJOTIN_DATABASE_URL": url, "TARJOTIN_BROKER_URL": BROKER, "TARJOTIN_QUEUE_NAME": queue}
    workers = [subprocess.Popen([TARJOTIN, "worker"], env=env, stderr=subprocess.DEVNULL) for _ in range(2)]
    engine = make_engine(url)
    try:
        run_id = _store(engine, *planned)
        _both_listening(len(workers))
        jobs = PlanningJobs(engine, settings=Settings(database_url=url, broker_url=BROKER, queue_name=queue))
        advice = AdviceJobs(engine, jobs)
        advice_id = advice.start_advice(run_id, "coordinator", replace(PARAMS, top=20))  # none pruned
        _check_advice(advice, advice_id)
        with session_scope(engine) as session:
            hosts = set(
                session.scalars(
                    select(AdviceCandidate.worker).where(
                        AdviceCandidate.advice_id == advice_id, AdviceCandidate.worker.is_not(None)
                    )
                )
            )
        assert len({h.rsplit(":", 1)[0] for h in hosts if h}) == 2, f"one worker process did every re-plan: {hosts}"
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(30)
        engine.dispose()


def test_stopped_advice_keeps_what_it_verified_and_re_plans_nothing_more(
    embedded: tuple[AdviceJobs, int, Engine],
) -> None:
    advice, run_id, engine = embedded
    advice_id = advice.start_advice(run_id, "coordinator", PARAMS)
    stopped = advice.stop_advice(advice_id, "coordinator")
    assert stopped.status in ("stopped", "stopping")
    assert advice.wait_advice(advice_id, 60)
    state = advice.advice_state(advice_id)
    assert state.status == "stopped" and state.waiting == 0
    assert state.advice is None or state.advice.status == "stopped"
    with session_scope(engine) as session:
        left = session.scalars(
            select(AdviceCandidate).where(
                AdviceCandidate.advice_id == advice_id, AdviceCandidate.status.in_(("queued", "running"))
            )
        ).all()
    assert left == []


def test_a_what_if_is_planned_named_refused_by_field_and_erased_with_its_client(
    embedded: tuple[AdviceJobs, int, Engine],
) -> None:
    advice, run_id, engine = embedded
    with pytest.raises(Invalid) as bad:
        advice.create_whatif(run_id, "nobody", [StaffAvailability(staff="nobody", add=[])], "coordinator")
    assert [e.field for e in bad.value.errors] == ["changes[0].staff"]
    with pytest.raises(Invalid) as blank:
        advice.create_whatif(run_id, "  ", [ClientRemote(client="g01")], "coordinator")
    assert [e.field for e in blank.value.errors] == ["name"]
    whatif_id = advice.create_whatif(run_id, "games from home", [ClientRemote(client="g01")], "coordinator")
    with pytest.raises(Conflict):
        advice.create_whatif(run_id, "games from home", [ClientRemote(client="g01")], "coordinator")
    assert advice.wait_whatif(whatif_id, 120)
    state = advice.whatif_state(whatif_id)
    assert state.status == "done", state.error
    assert state.diff is not None and state.diff.placed == [] and state.diff.placed_gain == 0  # a group needs three
    assert [w.name for w in advice.list_whatifs(run_id)] == ["games from home"]
    with session_scope(engine) as session:
        erased = erase_client(session, "g01", "coordinator", datetime.now(UTC))
        assert erased.analyses == 1 and session.get(ClientRow, "g01") is None
    with session_scope(engine) as session:
        assert session.scalars(select(WhatIf)).all() == []


def test_erasure_waits_for_a_running_advice(embedded: tuple[AdviceJobs, int, Engine]) -> None:
    advice, run_id, engine = embedded
    advice_id = advice.start_advice(run_id, "coordinator", PARAMS)
    with session_scope(engine) as session, pytest.raises(Conflict, match=f"advice {advice_id} is running"):
        erase_client(session, "s01", "coordinator", datetime.now(UTC))
    advice.stop_advice(advice_id, "coordinator")
    assert advice.wait_advice(advice_id, 60)


def test_advice_and_what_ifs_need_a_run_with_a_plan(embedded: tuple[AdviceJobs, int, Engine]) -> None:
    advice, run_id, engine = embedded
    with session_scope(engine) as session:
        waiting = PlanningRun(status="running", problem=session.get(PlanningRun, run_id).problem)  # type: ignore[union-attr]
        session.add(waiting)
        session.flush()
        waiting_id = waiting.id
    with pytest.raises(Conflict, match="has no plan"):
        advice.start_advice(waiting_id, "coordinator", PARAMS)
    with pytest.raises(Conflict, match="has no plan"):
        advice.create_whatif(waiting_id, "x", [ClientRemote(client="g01")], "coordinator")
    with pytest.raises(LookupError):
        advice.start_advice(run_id + 99, "coordinator", PARAMS)


def test_advice_whose_worker_stopped_beating_fails_but_waiting_advice_does_not(
    embedded: tuple[AdviceJobs, int, Engine],
) -> None:
    advice, run_id, engine = embedded
    long_ago = datetime.now(UTC) - timedelta(minutes=10)
    with session_scope(engine) as session:
        rows = [
            AdviceRun(run_id=run_id, created_by="t", status="verifying", params=PARAMS.__dict__, heartbeat_at=long_ago)
            for _ in range(2)
        ]
        session.add_all(rows)
        session.flush()
        killed, waiting = (row.id for row in rows)
        session.add(
            AdviceCandidate(
                advice_id=killed, idx=0, change={"kind": "client_remote", "client": "g01"}, bound=1, status="running"
            )
        )
        session.add(
            AdviceCandidate(
                advice_id=waiting, idx=0, change={"kind": "client_remote", "client": "g01"}, bound=1, status="queued"
            )
        )
    state = advice.advice_state(killed)
    assert (state.status, state.error, state.waiting) == ("failed", "interrupted: the worker stopped", 0)
    assert advice.advice_state(waiting).status == "verifying", "a candidate waiting for a busy worker is not stale"
