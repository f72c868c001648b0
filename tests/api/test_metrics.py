"""GET /metrics: requests by route template (exact counts), runs by state, the latest run's figures, the queue;
a part that cannot be read is left out and counted; with `serve --workers 2` every worker's requests add up."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from scheduler.contract import Plan, Problem
from scheduler.services.planning.workflow import plan_run
from tests.api.conftest import Service
from tests.api.test_logs import serve_process, stop_process
from tests.conftest import migrated
from tests.planning_stub import keep_and_open

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def samples(text: str) -> Samples:
    """Every sample of the exposition by name and sorted labels (it must parse as Prometheus's text format)."""
    found: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            key = (sample.name, tuple(sorted(sample.labels.items())))
            assert key not in found, f"{key} twice"
            found[key] = sample.value
    return found


def requests_by_route(found: Samples) -> dict[tuple[str, str, str], float]:
    return {
        (labels["method"], labels["route"], labels["status"]): value
        for (name, items), value in found.items()
        if name == "tarjotin_http_requests_total"
        for labels in [dict(items)]
    }


def measured(problem: Problem) -> Plan:
    """The stand-in's plan with a solve's figures, as a finished run stores them."""
    plan = keep_and_open(problem)
    return plan.model_copy(update={"metrics": plan.metrics.model_copy(update={"gap": 0.0125, "solve_seconds": 2.5})})


@pytest.mark.parametrize("kind", ["service", "pg_service"])
def test_metrics_count_requests_by_route_and_show_the_runs(kind: str, request: pytest.FixtureRequest) -> None:
    service: Service = request.getfixturevalue(kind)
    with service.session() as session:
        run = plan_run(session, measured, actor="test")
        placed = run.metrics["placed"] if run.metrics else None
        session.commit()
    groups = [g.id for g in service.plan.groups[:2]]
    coordinator = service.as_("coordinator")
    for _ in range(3):
        assert service.client.get("/offering").status_code == 200
    for group in groups:
        assert service.client.get(f"/offering/{group}").status_code == 200
    assert service.client.get(f"/plans/{run.id}", headers=coordinator).status_code == 200
    assert service.client.get("/plans/999").status_code == 401
    assert service.client.get("/my/clients/C-SECRET").status_code == 404
    assert service.client.post("/offering").status_code == 405

    first = service.client.get("/metrics")
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/plain")
    found = samples(first.text)
    assert requests_by_route(found) == {
        ("GET", "/offering", "2xx"): 3,
        ("GET", "/offering/{group_id}", "2xx"): 2,
        ("GET", "/plans/{run_id}", "2xx"): 1,
        ("GET", "/plans/{run_id}", "4xx"): 1,
        ("GET", "unmatched", "4xx"): 1,
        ("POST", "/offering", "4xx"): 1,
    }
    offering = (("method", "GET"), ("route", "/offering"), ("status", "2xx"))
    assert found[("tarjotin_http_request_duration_seconds_count", offering)] == 3
    assert found[("tarjotin_http_request_duration_seconds_bucket", (("le", "+Inf"), *offering))] == 3
    runs = {dict(items)["state"]: value for (name, items), value in found.items() if name == "tarjotin_planning_runs"}
    assert runs["published"] == 1 and runs["draft"] == 1 and runs["failed"] == 0 and runs["running"] == 0
    assert placed is not None and placed > 0
    assert found[("tarjotin_planning_last_run_placed", ())] == placed
    assert found[("tarjotin_planning_last_run_gap", ())] == 0.0125
    assert found[("tarjotin_planning_last_run_solve_seconds", ())] == 2.5
    assert found[("tarjotin_planning_queue_pending", ())] == 0
    errors = {
        dict(items)["collector"]: v for (name, items), v in found.items() if name == "tarjotin_metrics_errors_total"
    }
    assert errors == {"runs": 0, "last_run": 0, "queue": 0}
    clients = {c.id for c in service.problem.clients}
    assert not [c for c in clients | {"C-SECRET"} if c in first.text]

    again = requests_by_route(samples(service.client.get("/metrics").text))
    assert again[("GET", "/metrics", "2xx")] == 1 and again[("GET", "/offering", "2xx")] == 3


def test_a_part_that_cannot_be_read_is_left_out_and_counted(service: Service) -> None:
    def broken() -> int:
        raise ConnectionError("the broker is down")

    service.client.app.state.metrics.database._pending = broken  # type: ignore[attr-defined]
    for expected in (1, 2):
        answer = service.client.get("/metrics")
        assert answer.status_code == 200
        found = samples(answer.text)
        assert ("tarjotin_planning_queue_pending", ()) not in found
        assert found[("tarjotin_metrics_errors_total", (("collector", "queue"),))] == expected
        assert found[("tarjotin_planning_runs", (("state", "published"),))] == 1


def test_every_worker_of_serve_is_counted(tmp_path: Path) -> None:
    url = migrated("sqlite", tmp_path)
    server, base, _, err = serve_process(url, tmp_path, workers=2, ready="/metrics")
    sent = 40
    try:
        for number in range(sent):  # a new connection each: either worker may take it
            assert httpx.get(f"{base}/offering", headers={"X-Request-ID": f"multi-{number}"}, timeout=30).is_success
        for _ in range(6):
            found = samples(httpx.get(f"{base}/metrics", timeout=30).text)
            counted = requests_by_route(found)
            assert counted.get(("GET", "/offering", "2xx")) == sent, counted
            runs = [key for key in found if key[0] == "tarjotin_planning_runs"]
            assert len(runs) == len({key[1] for key in runs}) and found[runs[0]] == 0  # the database's, once
            time.sleep(0.2)
    finally:
        stop_process(server)
    lines = err.read_text().splitlines()
    assert lines and all(json.loads(line)["level"] in ("INFO", "WARNING") for line in lines)  # every worker's JSON
    assert sum(json.loads(line)["logger"] == "tarjotin.access" for line in lines) >= sent
