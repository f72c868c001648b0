"""Planning runs over HTTP: started in the background, watched, published or cancelled; coordinators only."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from scheduler.contract import Plan, Problem
from scheduler.services.planning.jobs import JobOptions, PlanningJobs
from scheduler.services.planning.runs import HEARTBEAT_TIMEOUT
from scheduler.settings import Settings
from scheduler.storage.database import make_engine
from scheduler.storage.models import AuditEntry, PlanningRun
from solver import Observer, PlanningError, SolveParams
from tests.api.conftest import Service

QUICK = {"time_limit": 3}
LONG = {"time_limit": 60, "allow_moves": True}  # the whole week open again: CP-SAT keeps searching


def start(service: Service, body: dict[str, Any] | None = None) -> int:
    answer = service.client.post("/plans", json=body or QUICK, headers=service.as_("coordinator"))
    assert answer.status_code == 202, answer.text
    return int(answer.json()["id"])


def poll(service: Service, run_id: int, until: Callable[[dict[str, Any]], bool], timeout: float = 30) -> dict[str, Any]:
    """GET the run until the condition holds; every answer must be a 200."""
    deadline = time.monotonic() + timeout
    while True:
        answer = service.client.get(f"/plans/{run_id}", headers=service.as_("coordinator"))
        assert answer.status_code == 200, answer.text
        run: dict[str, Any] = answer.json()
        if until(run) or time.monotonic() > deadline:
            return run
        time.sleep(0.2)


def finished(run: dict[str, Any]) -> bool:
    return run["status"] not in ("running", "cancelling")


def test_a_run_plans_in_the_background_and_its_draft_publishes(service: Service) -> None:
    answer = service.client.post("/plans", json=QUICK, headers=service.as_("coordinator"))
    assert answer.status_code == 202
    body = answer.json()
    assert body["status"] == "running" and answer.headers["location"] == f"/plans/{body['id']}"
    assert body["links"]["publish"] == f"/plans/{body['id']}/publish"
    running = service.client.get(f"/plans/{body['id']}", headers=service.as_("coordinator")).json()
    assert running["status"] == "running" and running["groups"] is None
    assert set(running["progress"]) >= {"solutions", "objective", "bound", "elapsed_seconds"}

    run = poll(service, body["id"], finished)
    assert run["status"] == "draft", run
    progress = run["progress"]
    assert progress["solutions"] >= 1 and progress["objective"] <= progress["bound"]
    assert progress["elapsed_seconds"] > 0 and run["finished_at"] is not None
    assert run["metrics"]["placed"] == sum(1 for _ in {p for g in run["groups"] for p in g["participants"]})
    assert set(run["diff"]) == {"opened", "closed", "moved", "clients_added", "shape_before", "shape_after"}
    assert all(u["client"] and u["reasons"] for u in run["unassigned"])

    published = service.client.post(f"/plans/{body['id']}/publish", headers=service.as_("coordinator"))
    assert published.status_code == 200, published.text
    assert published.json()["run"] == body["id"] and published.json()["replaces"] == 1
    again = service.client.post(f"/plans/{body['id']}/publish", headers=service.as_("coordinator"))
    assert again.status_code == 409 and "only a draft" in again.json()["detail"]
    assert poll(service, body["id"], finished)["status"] == "published"


def test_the_list_is_newest_first_without_plans(service: Service) -> None:
    first = start(service)
    poll(service, first, finished)
    second = start(service)
    poll(service, second, finished)
    page = service.client.get("/plans", params={"limit": 2}, headers=service.as_("coordinator")).json()
    assert [item["id"] for item in page["items"]] == [second, first]
    assert page["total"] == 3 and page["limit"] == 2  # the scenario's own run too
    assert "groups" not in page["items"][0] and page["items"][0]["metrics"]["placed"] > 0


def test_a_cancelled_run_stops_within_a_few_seconds(service: Service) -> None:
    run_id = start(service, LONG)
    poll(service, run_id, lambda run: run["progress"]["solutions"] > 0, timeout=20)
    began = time.monotonic()
    answer = service.client.post(f"/plans/{run_id}/cancel", headers=service.as_("coordinator"))
    assert answer.status_code == 202 and answer.json()["status"] == "cancelling"
    run = poll(service, run_id, finished, timeout=10)
    assert run["status"] == "cancelled" and time.monotonic() - began < 3
    assert run["groups"] is None and run["finished_at"] is not None
    late = service.client.post(f"/plans/{run_id}/cancel", headers=service.as_("coordinator"))
    assert late.status_code == 409
    with service.session() as session:
        cancelled_by = session.scalar(select(AuditEntry.actor).where(AuditEntry.action == "cancel"))
        assert cancelled_by == "coordinator:test coordinator"


def test_one_run_at_a_time(service: Service) -> None:
    run_id = start(service, LONG)
    second = service.client.post("/plans", json=QUICK, headers=service.as_("coordinator"))
    assert second.status_code == 409
    assert second.json()["run_id"] == run_id and str(run_id) in second.json()["detail"]
    publish = service.client.post(f"/plans/{run_id}/publish", headers=service.as_("coordinator"))
    assert publish.status_code == 409 and "running" in publish.json()["detail"]
    service.client.post(f"/plans/{run_id}/cancel", headers=service.as_("coordinator"))
    assert poll(service, run_id, finished)["status"] == "cancelled"
    start(service)  # free again


def test_only_coordinators_plan(service: Service) -> None:
    for role, status in (("counsellor", 403), ("staff", 403), ("anonymous", 401)):
        headers = service.as_(role)
        assert service.client.post("/plans", json=QUICK, headers=headers).status_code == status
        assert service.client.get("/plans", headers=headers).status_code == status
        assert service.client.get("/plans/1", headers=headers).status_code == status
        assert service.client.post("/plans/1/publish", headers=headers).status_code == status
        assert service.client.post("/plans/1/cancel", headers=headers).status_code == status


def test_unknown_runs_and_bad_options(service: Service) -> None:
    coordinator = service.as_("coordinator")
    for answer in (
        service.client.get("/plans/999", headers=coordinator),
        service.client.post("/plans/999/publish", headers=coordinator),
        service.client.post("/plans/999/cancel", headers=coordinator),
    ):
        assert answer.status_code == 404 and "999" in answer.json()["detail"]
    for body in ({"time_limit": 0}, {"time_limit": 601}, {"seed": -1}, {"seed": 2**31}, {"colour": "red"}):
        assert service.client.post("/plans", json=body, headers=coordinator).status_code == 422
    assert service.client.get("/plans/0", headers=coordinator).status_code == 422
    misspelt = service.client.get("/plans", params={"limt": 5}, headers=coordinator)
    assert misspelt.status_code == 422 and misspelt.json()["errors"][0]["field"] == "limt"
    assert service.client.get(f"/plans/{2**40}", headers=coordinator).status_code == 422


def test_a_run_without_a_body_takes_the_defaults(service: Service) -> None:
    answer = service.client.post("/plans", headers=service.as_("coordinator"))
    assert answer.status_code == 202
    service.client.post(f"/plans/{answer.json()['id']}/cancel", headers=service.as_("coordinator"))


def _planning(service: Service, worker: str, beat_seconds_ago: float) -> int:
    """A run some worker is planning, last heard of that long ago."""
    with service.session() as session:
        run = PlanningRun(
            status="running",
            based_on_version=1,
            problem=service.problem.dump(),
            worker=worker,
            heartbeat_at=datetime.now(UTC) - timedelta(seconds=beat_seconds_ago),
        )
        session.add(run)
        session.commit()
        return run.id


def test_a_service_starting_leaves_a_run_that_a_live_worker_plans_alone(service: Service) -> None:
    run_id = _planning(service, "elsewhere:1:1", beat_seconds_ago=1)
    app = create_app(Settings(database_url=service.url))
    with TestClient(app, base_url="http://tarjotin.test") as client:
        run_json = client.get(f"/plans/{run_id}", headers=service.as_("coordinator")).json()
        assert run_json["status"] == "running" and run_json["worker"] == "elsewhere:1:1"
        refused = client.post("/plans", json=QUICK, headers=service.as_("coordinator"))
        assert refused.status_code == 409 and refused.json()["run_id"] == run_id
    app.state.engine.dispose()


def test_a_run_whose_worker_stopped_beating_fails_and_another_can_start(service: Service) -> None:
    run_id = _planning(service, "gone:1:1", beat_seconds_ago=HEARTBEAT_TIMEOUT + 1)
    app = create_app(Settings(database_url=service.url))
    with TestClient(app, base_url="http://tarjotin.test") as client:
        run_json = client.get(f"/plans/{run_id}", headers=service.as_("coordinator")).json()
        assert run_json["status"] == "failed" and "stopped answering" in run_json["error"]
        assert client.post("/plans", json=QUICK, headers=service.as_("coordinator")).status_code == 202
    app.state.engine.dispose()


def impossible(problem: Problem, params: SolveParams, observer: Observer) -> Plan:
    raise PlanningError("the pinned groups cannot all be kept together")


def test_a_planning_error_fails_the_run_with_its_message(service: Service) -> None:
    engine = make_engine(service.url)
    jobs = PlanningJobs(engine, solve=impossible)
    run_id = jobs.start(JobOptions(), actor="test")
    assert jobs.wait(30) and jobs.running() is None
    jobs.shutdown()
    with service.session() as session:
        run = session.get(PlanningRun, run_id)
        assert run is not None and run.status == "failed" and run.finished_at is not None
        assert run.error == "the pinned groups cannot all be kept together"
    engine.dispose()


def test_a_run_starts_and_publishes_on_postgresql(pg_service: Service) -> None:
    run_id = start(pg_service)
    assert poll(pg_service, run_id, finished)["status"] == "draft"
    published = pg_service.client.post(f"/plans/{run_id}/publish", headers=pg_service.as_("coordinator"))
    assert published.status_code == 200 and published.json()["replaces"] == 1
