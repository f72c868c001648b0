"""Planning on the job queue with real parts: two `tarjotin serve` processes and two `tarjotin worker`s
against PostgreSQL and Redis.

The workers run a stand-in solve (`tests.planning_stub.held_solve`, named by TARJOTIN_PLANNING_SOLVER)
that keeps planning until the test makes its gate file, so a run is reliably mid-solve when it is
cancelled or its worker is killed. Each test has a queue of its own on the Redis at 127.0.0.1:6379.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from scheduler.contract import Plan, Problem
from tests.api.conftest import publish_scenario, scenario  # noqa: F401 - the scenario fixture
from tests.conftest import migrated
from tests.pages.conftest import ROOT, TARJOTIN, _free_port, _wait_until_up
from tests.planning_stub import GATE

BROKER = "redis://127.0.0.1:6379/0"
HEARTBEAT = 3.0
"""The workers' heartbeat timeout here (seconds): short, so a killed worker's run fails soon."""


@dataclass
class Cluster:
    webs: list[str]
    workers: list[subprocess.Popen[str]]
    coordinator: dict[str, str]
    gate: Path

    def post(self, web: int, path: str, **body: Any) -> httpx.Response:
        return httpx.post(self.webs[web] + path, json=body or None, headers=self.coordinator, timeout=30)

    def run(self, web: int, run_id: int) -> dict[str, Any]:
        answer = httpx.get(f"{self.webs[web]}/plans/{run_id}", headers=self.coordinator, timeout=30)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    def until(self, web: int, run_id: int, done: Callable[[dict[str, Any]], bool], seconds: float) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while True:
            run = self.run(web, run_id)
            if done(run):
                return run
            assert time.monotonic() < deadline, f"run {run_id} is still {run['status']} after {seconds} s: {run}"
            time.sleep(0.2)


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def processes(tmp_path_factory: pytest.TempPathFactory, scenario: tuple[Problem, Plan]) -> Iterator[Cluster]:  # noqa: F811
    """The processes, started once for this module (they take seconds to start); each test ends its runs, and the
    test that kills a worker comes last."""
    tmp_path = tmp_path_factory.mktemp("queue")
    url = migrated("postgresql", tmp_path)
    headers = publish_scenario(url, *scenario)
    queue = f"tarjotin-test-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "TARJOTIN_DATABASE_URL": url,
        "TARJOTIN_LOG_LEVEL": "WARNING",  # stderr is piped, unread: no access lines to fill it
        "TARJOTIN_BROKER_URL": BROKER,
        "TARJOTIN_QUEUE_NAME": queue,
        "TARJOTIN_PLANNING_SOLVER": "tests.planning_stub:held_solve",
        "TARJOTIN_HEARTBEAT_TIMEOUT_SECONDS": str(HEARTBEAT),
        GATE: str(tmp_path / "gate"),
        "PYTHONPATH": str(ROOT),  # the workers import the stand-in solve from tests/
    }
    processes: list[subprocess.Popen[str]] = []
    try:
        webs = []
        for _ in range(2):
            port = _free_port()
            web = _start([TARJOTIN, "serve", "--port", str(port)], env)
            processes.append(web)
            webs.append(f"http://127.0.0.1:{port}")
        workers = [_start([TARJOTIN, "worker"], env) for _ in range(2)]
        processes += workers
        for address, web in zip(webs, processes, strict=False):
            _wait_until_up(address, web)
        yield Cluster(webs, workers, headers["coordinator"], tmp_path / "gate")
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        broker = redis.Redis.from_url(BROKER)
        for key in broker.scan_iter(f"*{queue}*"):
            broker.delete(key)


@pytest.fixture
def cluster(processes: Cluster) -> Cluster:
    """The processes, with the gate closed: a run plans until the test opens it."""
    processes.gate.unlink(missing_ok=True)
    return processes


def _claimed(run: dict[str, Any]) -> bool:
    return run["worker"] is not None and run["status"] == "running"


def test_a_run_started_through_one_web_process_is_cancelled_through_the_other(cluster: Cluster) -> None:
    started = cluster.post(0, "/plans", time_limit=60)
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]
    cluster.until(1, run_id, _claimed, 30)
    cancelled = cluster.post(1, f"/plans/{run_id}/cancel")
    assert cancelled.status_code == 202 and cancelled.json()["status"] == "cancelling"
    ended = cluster.until(0, run_id, lambda run: run["status"] not in ("running", "cancelling"), 10)
    assert ended["status"] == "cancelled", (ended["error"], ended["worker"], ended["progress"])
    again = cluster.post(1, "/plans", time_limit=60)
    assert again.status_code == 202, "a cancelled run holds the county's lock no longer"
    cluster.gate.touch()
    assert cluster.until(0, again.json()["id"], lambda run: run["status"] == "draft", 30)["worker"]


def test_two_runs_asked_for_at_once_one_is_refused(cluster: Cluster) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda web: cluster.post(web, "/plans", time_limit=60), [0, 1]))
    assert sorted(answer.status_code for answer in answers) == [202, 409], [a.text for a in answers]
    refused = next(answer for answer in answers if answer.status_code == 409).json()
    accepted = next(answer for answer in answers if answer.status_code == 202).json()
    assert refused["run_id"] == accepted["id"]
    cluster.gate.touch()
    assert cluster.until(1, accepted["id"], lambda run: run["status"] == "draft", 30)["status"] == "draft"


def test_a_worker_killed_mid_solve_leaves_its_run_failed_within_the_heartbeat(cluster: Cluster) -> None:
    run_id = cluster.post(0, "/plans", time_limit=60).json()["id"]
    worker = cluster.until(0, run_id, _claimed, 30)["worker"]
    pid = int(worker.split(":")[1])
    assert pid in {process.pid for process in cluster.workers}, worker
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    failed = cluster.until(1, run_id, lambda run: run["status"] != "running", HEARTBEAT + 10)
    assert failed["status"] == "failed" and "stopped answering" in failed["error"]
    assert time.monotonic() - killed < HEARTBEAT + 10
    cluster.gate.touch()  # the stand-in solve ends as soon as it starts: the other worker plans the new run
    again = cluster.post(1, "/plans", time_limit=60)
    assert again.status_code == 202, again.text
    done = cluster.until(0, again.json()["id"], lambda run: run["status"] == "draft", 30)
    assert int(done["worker"].split(":")[1]) != pid
