"""Log lines: one JSON object each, naming the request; an access line per request by route template; no client.

The application's lines are caught with the service's own formatter (`scheduler.logs`) through requests that
carry client ids in paths, query strings and bodies; none of those ids (nor any alias of the data set) may
appear in any line. A real `tarjotin serve` writes only JSON lines, its access line among them.
"""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from scheduler.logs import JsonLines, RequestIdFilter, logging_config
from scheduler.storage.models import ClientRow
from tests.api.conftest import Service, fitting_clients
from tests.api.sign_in import sign_in
from tests.conftest import migrated

ROOT = Path(__file__).resolve().parents[2]
TEST_CLIENT_LOGGERS = ("httpx", "httpcore")
"""The test's own HTTP client logs the URLs it asks for: those lines are not the service's."""


class _ServiceOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.name.startswith(TEST_CLIENT_LOGGERS)


@contextmanager
def json_lines() -> Iterator[io.StringIO]:
    """Every log line of the process (the test client's aside) in the service's JSON format, at INFO."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonLines())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(_ServiceOnly())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _clients_and_aliases(service: Service) -> set[str]:
    with service.session() as session:
        rows = session.execute(select(ClientRow.id, ClientRow.alias)).all()
    return {value for row in rows for value in row if value} | {c.id for c in service.problem.clients}


def test_every_line_is_json_with_its_request_id_and_no_client(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = service.client.get("/offering", params={"free_only": True, "limit": 500}).json()["items"]
    group = max(items, key=lambda g: (g["free_seats"], g["id"]))
    client = fitting_clients(service, group, 1, "hidden-client-q7")[0]
    with service.session() as session:
        row = session.get(ClientRow, client)
        assert row is not None
        row.alias = "Salainen Sanna"
        session.commit()
    counsellor, coordinator = service.as_("counsellor"), service.as_("coordinator")
    sign_in(service.client, counsellor["Authorization"].removeprefix("Bearer "))

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr("api.routers.attendance.client_attendance", broken)
    asked: list[tuple[str, str, dict[str, Any], str | None]] = [
        ("POST", f"/groups/{group['id']}/enrollments", {"json": {"client_id": client}, "headers": counsellor}, None),
        ("GET", "/my/clients", {"params": {"client": client, "ended": client}}, "/my/clients"),
        ("GET", f"/my/clients/{client}/feedback", {}, "/my/clients/{client_id}/feedback"),
        ("GET", "/my/clients/SECRETID", {"params": {"client": "SECRETID"}}, "unmatched"),
        ("GET", f"/clients/{client}", {"headers": coordinator}, None),
        ("PATCH", f"/clients/{client}", {"json": {"home_lat": 60.5}, "headers": coordinator}, None),
        ("GET", "/clients/SECRETID", {"headers": coordinator}, None),
        ("GET", f"/clients/{client}/attendance", {"headers": coordinator}, "/clients/{client_id}/attendance"),
        ("POST", "/offering/recommend", {"json": {"client_id": client}, "headers": counsellor}, "/offering/recommend"),
        ("POST", "/plans", {"json": {"time_limit": 2}, "headers": coordinator}, "/plans"),
        ("GET", "/offering", {"params": {"q": client}}, "/offering"),
    ]
    answers: list[tuple[httpx.Response, str | None]] = []
    with json_lines() as buffer:
        for number, (method, path, options, route) in enumerate(asked):
            headers = {**options.pop("headers", {}), "X-Request-ID": f"log-test-{number}"}
            answers.append((service.client.request(method, path, headers=headers, **options), route))
        run = answers[-2][0].json()["id"]
        answers.append((service.client.post(f"/plans/{run}/cancel", headers=coordinator), "/plans/{run_id}/cancel"))
    statuses = [answer.status_code for answer, _ in answers]
    assert statuses[0] == 201 and statuses[3] == 404 and statuses[6] == 404 and statuses[7] == 500, statuses
    assert statuses[9] == 202, statuses

    lines = buffer.getvalue().splitlines()
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert records and all({"time", "level", "logger", "message", "request_id"} <= set(r) for r in records)
    assert all(r["time"].endswith("Z") for r in records)
    answered = {answer.headers["X-Request-ID"] for answer, _ in answers}
    assert {r["request_id"] for r in records} - {None} <= answered
    access = [r for r in records if r["logger"] == "tarjotin.access"]
    assert len(access) == len(answers)
    for answer, route in answers:
        mine = [r for r in access if r["request_id"] == answer.headers["X-Request-ID"]]
        assert len(mine) == 1, (answer.request.url, mine)
        line = mine[0]
        assert line["method"] == answer.request.method and line["status"] == answer.status_code
        assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
        if route is not None:
            assert line["route"] == route
        assert "?" not in line["route"] and (line["route"] == "unmatched" or line["route"].startswith("/"))
    bug = [r for r in records if r["level"] == "ERROR" and r["request_id"] == answers[7][0].headers["X-Request-ID"]]
    assert bug and "/clients/{client_id}/attendance" in bug[0]["message"] and "RuntimeError" in bug[0]["exc_info"]
    secrets = _clients_and_aliases(service) | {"SECRETID", "Salainen"}
    assert client in secrets and "Salainen Sanna" in secrets
    text = buffer.getvalue()
    leaked = sorted(s for s in secrets if s in text or json.dumps(s) in text)
    assert not leaked, leaked


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_process(
    url: str, tmp_path: Path, workers: int = 1, ready: str = "/offering"
) -> tuple[subprocess.Popen[str], str, Path, Path]:
    """`tarjotin serve` in its own process on a free port (JSON logs, the default), its output in files."""
    port = _free_port()
    env = {**os.environ, "TARJOTIN_DATABASE_URL": url, "TARJOTIN_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    for name in ("TARJOTIN_LOG_FORMAT", "TARJOTIN_LOG_LEVEL", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(name, None)
    out, err = tmp_path / f"serve-{port}.out", tmp_path / f"serve-{port}.err"
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", str(workers)]
    with out.open("w") as stdout, err.open("w") as stderr:
        server = subprocess.Popen(command, env=env, stdout=stdout, stderr=stderr, text=True, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert server.poll() is None, f"serve stopped: {err.read_text()}"
        try:
            if httpx.get(f"{base}{ready}", timeout=5).status_code == 200:
                return server, base, out, err
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    server.kill()
    raise AssertionError(f"serve did not answer: {err.read_text()}")


def stop_process(server: subprocess.Popen[str]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def test_a_real_server_writes_only_json_lines_with_the_access_line(tmp_path: Path) -> None:
    url = migrated("sqlite", tmp_path)
    server, base, out, err = serve_process(url, tmp_path)
    try:
        answer = httpx.get(
            f"{base}/my/clients/C-SECRET-9", params={"client": "C-SECRET-9"}, headers={"X-Request-ID": "real-1"}
        )
        plans = httpx.get(f"{base}/plans/17", headers={"X-Request-ID": "real-2"})
        assert answer.status_code == 404 and answer.headers["X-Request-ID"] == "real-1"
        assert plans.status_code == 401
        deadline = time.monotonic() + 30
        while "real-2" not in err.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop_process(server)
    lines = [line for line in (out.read_text() + err.read_text()).splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line of the output is JSON
    assert all({"time", "level", "logger", "message", "request_id"} <= set(r) for r in records)
    access = {r["request_id"]: r for r in records if r["logger"] == "tarjotin.access"}
    assert access["real-1"]["route"] == "unmatched" and access["real-1"]["status"] == 404
    assert access["real-2"]["route"] == "/plans/{run_id}" and access["real-2"]["status"] == 401
    assert access["real-2"]["method"] == "GET" and access["real-2"]["duration_ms"] >= 0
    assert any(r["logger"] == "tarjotin.serve" for r in records)  # the start-up line is a log line too
    assert "C-SECRET-9" not in out.read_text() + err.read_text()
    assert not any(r["logger"] == "uvicorn.access" for r in records)


def test_text_format_and_level_are_settings() -> None:
    text = logging_config("warning", "text")
    assert text["root"]["level"] == "WARNING" and text["handlers"]["stderr"]["formatter"] == "text"
    assert logging_config("INFO")["handlers"]["stderr"]["formatter"] == "json"


def test_a_database_error_in_a_log_line_loses_its_values() -> None:
    from sqlalchemy import create_engine, text

    engine, secret = create_engine("sqlite://"), "client-x9"
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id TEXT PRIMARY KEY)"))
        conn.execute(text("INSERT INTO t VALUES ('client-x9')"))
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonLines())
    log = logging.getLogger("tarjotin.test-scrub")
    log.addHandler(handler)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (:v)"), {"v": secret})  # a traceback shows this line
    except Exception as error:  # noqa: BLE001 - the refusal is what is logged
        log.error("could not store: %s", error, exc_info=True)
        log.error("and PostgreSQL says:\nDETAIL:  Key (id)=(client-x9) already exists.")
    finally:
        log.removeHandler(handler)
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert (
        len(lines) == 2
        and "UNIQUE constraint failed" in lines[0]["message"]
        and "IntegrityError" in lines[0]["exc_info"]
    )
    assert "[parameters: hidden]" in lines[0]["message"] and "DETAIL: hidden" in lines[1]["message"]
    assert "client-x9" not in buffer.getvalue()


def test_the_demo_logs_text_for_a_person_unless_the_settings_say_json(monkeypatch: pytest.MonkeyPatch) -> None:
    from api.cli.service import _log_format

    monkeypatch.delenv("TARJOTIN_LOG_FORMAT", raising=False)
    assert _log_format() == "json" and _log_format(terminal=True) == "text"
    monkeypatch.setenv("TARJOTIN_LOG_FORMAT", "json")
    assert _log_format(terminal=True) == "json"


def test_uvicorn_colour_copies_stay_out_of_json_lines() -> None:
    record = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1, "Started server process [%d]", (7,), None)
    record.color_message = "Started server process [\x1b[36m%d\x1b[0m]"
    line = json.loads(JsonLines().format(record))
    assert line["message"] == "Started server process [7]" and "color_message" not in line
