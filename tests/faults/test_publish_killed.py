"""`tarjotin serve` killed (SIGKILL) while it publishes a plan on PostgreSQL: all of the plan or none of it.

Publishing is one transaction (`scheduler.services.planning.workflow.publish_run`): the new
offering version, every group and every offer (or seat) commit together. The test kills the server
process the moment the publish transaction holds its lock on `offering_versions` (certainly
mid-publish), and at random moments around it, then reads the database: either the
whole plan is published or nothing of it is.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select, text

from scheduler.contract import Plan, Problem
from scheduler.scenario import generate
from scheduler.services.planning.workflow import plan_run
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import EnrollmentRow, GroupRow, OfferingVersion, OfferRow, PlanningRun
from scheduler.storage.repository import import_problem
from scheduler.storage.tokens import create_token
from solver import SolveParams, solve
from tests.conftest import migrated

TARJOTIN = str(Path(sys.executable).with_name("tarjotin"))

PUBLISHING = text("""
    SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
     WHERE c.relname = 'offering_versions' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()
""")
"""The publish transaction has inserted the new offering version and not yet committed."""


@pytest.fixture(scope="module")
def large() -> tuple[Problem, Plan]:
    """A sizeable scenario (300 clients) and a quick plan of it."""
    problem = generate(300, 1)
    return problem, solve(problem, SolveParams(time_limit=3.0, workers=2))


@dataclass
class Draft:
    url: str
    run_id: int
    token: str
    plan: Plan


def _draft(tmp_path: Path, problem: Problem, plan: Plan) -> Draft:
    url = migrated("postgresql", tmp_path)
    engine = make_engine(url)
    with session_scope(engine) as session:
        import_problem(session, problem, actor="test")
    with session_scope(engine) as session:
        run_id = plan_run(session, lambda _: plan, actor="test").id
    with session_scope(engine) as session:
        _, token = create_token(session, "coordinator", "test coordinator")
    engine.dispose()
    return Draft(url, run_id, token, plan)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    server = subprocess.Popen(
        [TARJOTIN, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, "TARJOTIN_DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("tarjotin serve did not start")


def _publish_in_background(base: str, draft: Draft) -> list[object]:
    outcome: list[object] = []

    def publish() -> None:
        try:
            answer = httpx.post(
                f"{base}/plans/{draft.run_id}/publish",
                headers={"Authorization": f"Bearer {draft.token}"},
                timeout=120,
            )
            outcome.append(answer.status_code)
        except httpx.TransportError as error:  # the server died under the request
            outcome.append(error)

    threading.Thread(target=publish, daemon=True).start()
    return outcome


def _kill_when_publishing(engine: Engine, server: subprocess.Popen[bytes], outcome: list[object]) -> bool:
    """SIGKILL the server as soon as the publish transaction is open; whether it was caught open."""
    with engine.connect() as conn:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not outcome:
            if conn.execute(PUBLISHING).first():
                server.send_signal(signal.SIGKILL)
                return True
            conn.rollback()
    server.send_signal(signal.SIGKILL)
    return False


def _state(engine: Engine, draft: Draft) -> tuple[int, int, int, str]:
    """Offering versions, published groups, held seats (active seats and pending offers: publishing makes offers)
    and the run's status, once the killed backend is gone."""
    deadline = time.monotonic() + 30
    with engine.connect() as conn:
        while conn.execute(PUBLISHING).first() and time.monotonic() < deadline:
            conn.rollback()
            time.sleep(0.05)
    with session_scope(engine) as session:
        versions = session.scalar(select(func.count()).select_from(OfferingVersion)) or 0
        groups = session.scalar(select(func.count()).select_from(GroupRow).where(GroupRow.status == "running")) or 0
        seats = session.scalar(select(func.count()).select_from(EnrollmentRow).where(EnrollmentRow.status == "active"))
        seats = (seats or 0) + (session.scalar(select(func.count()).where(OfferRow.status == "pending")) or 0)
        run = session.get(PlanningRun, draft.run_id)
        assert run is not None
        return versions, groups, seats or 0, run.status


def _all_or_nothing(state: tuple[int, int, int, str], plan: Plan) -> bool:
    """True when the whole plan is published, False when nothing of it is; anything between fails."""
    everything = (1, len(plan.groups), sum(len(g.participants) for g in plan.groups), "published")
    nothing = (0, 0, 0, "draft")
    assert state in (everything, nothing), f"half published: {state}, expected {everything} or {nothing}"
    return state == everything


def test_a_server_killed_mid_publish_leaves_nothing_half_published(tmp_path: Path, large) -> None:
    draft = _draft(tmp_path, *large)
    engine = make_engine(draft.url)
    try:
        server, base = _serve(draft.url)
        outcome = _publish_in_background(base, draft)
        assert _kill_when_publishing(engine, server, outcome), f"the publish ended before it could be caught: {outcome}"
        server.wait(timeout=30)
        assert not _all_or_nothing(_state(engine, draft), draft.plan)  # killed inside the transaction: nothing
        server, base = _serve(draft.url)  # started again, the same draft publishes whole
        try:
            answer = httpx.post(
                f"{base}/plans/{draft.run_id}/publish", headers={"Authorization": f"Bearer {draft.token}"}, timeout=120
            )
            assert answer.status_code == 200, answer.text
        finally:
            server.kill()
            server.wait(timeout=30)
        assert _all_or_nothing(_state(engine, draft), draft.plan)
    finally:
        engine.dispose()


@pytest.mark.parametrize("seed", [1, 2])
def test_a_server_killed_at_a_random_moment_of_publishing_publishes_all_or_nothing(tmp_path: Path, large, seed) -> None:
    draft = _draft(tmp_path, *large)
    engine = make_engine(draft.url)
    try:
        server, base = _serve(draft.url)
        _publish_in_background(base, draft)
        time.sleep(random.Random(seed).uniform(0.0, 0.6))
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        _all_or_nothing(_state(engine, draft), draft.plan)
    finally:
        engine.dispose()
