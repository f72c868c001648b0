"""The probes: `/healthz` answers without the database; `/readyz` checks the database and the queue's broker."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from scheduler.settings import Settings

REDIS = "redis://127.0.0.1:6379/0"


def _closed_port() -> int:
    """A port nothing listens on (bound for a moment by this process, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _client(tmp_path: Path, **settings: Any) -> Iterator[TestClient]:
    app = create_app(Settings(data_dir=tmp_path / "data", **settings))
    client = TestClient(app)  # no lifespan: a database that is down must not stop the app from answering
    try:
        yield client
    finally:
        app.state.engine.dispose()


@pytest.fixture
def up(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """The application over a database of each kind, with the embedded queue."""
    yield from _client(tmp_path, database_url=database_url)


def test_healthz_answers_ok(up: TestClient) -> None:
    answer = up.get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


def test_readyz_is_ready_with_the_embedded_queue(up: TestClient) -> None:
    answer = up.get("/readyz")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"status": "ready", "checks": {"database": "ok", "broker": "ok"}}


def test_readyz_is_ready_with_redis(database_url: str, tmp_path: Path) -> None:
    for client in _client(tmp_path, database_url=database_url, broker_url=REDIS):
        answer = client.get("/readyz")
        assert answer.status_code == 200, answer.text
        assert answer.json()["checks"] == {"database": "ok", "broker": "ok"}


def test_readyz_names_the_database_when_it_cannot_be_reached(tmp_path: Path) -> None:
    for client in _client(tmp_path, database_url=f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/none"):
        assert client.get("/healthz").status_code == 200, "alive, though the database is not there"
        answer = client.get("/readyz")
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["retry-after"]
        body = answer.json()
        assert body["failed"] == ["database"] and body["checks"]["broker"] == "ok"
        assert body["checks"]["database"].startswith("failed")
        assert "database" in body["detail"] and body["status"] == 503


def test_readyz_names_the_broker_when_redis_cannot_be_reached(database_url: str, tmp_path: Path) -> None:
    broker = f"redis://127.0.0.1:{_closed_port()}/0"
    for client in _client(tmp_path, database_url=database_url, broker_url=broker):
        answer = client.get("/readyz")
        assert answer.status_code == 503, answer.text
        body = answer.json()
        assert body["failed"] == ["broker"] and body["checks"]["database"] == "ok"
        assert body["checks"]["broker"].startswith("failed") and "broker" in body["detail"]


def test_readyz_names_the_broker_when_the_queue_folder_is_not_writable(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the queue's folder should be")
    database = f"sqlite:///{tmp_path / 'db' / 'tarjotin.db'}"
    for client in _client(tmp_path, database_url=database):
        client.app.state.settings = Settings(database_url=database, data_dir=blocker)  # type: ignore[attr-defined]
        answer = client.get("/readyz")
        assert answer.status_code == 200, "a SQLite database's queue lives beside it, not in the data folder"
    postgres = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    for client in _client(tmp_path, database_url=postgres):
        client.app.state.settings = Settings(database_url=postgres, data_dir=blocker / "data")  # type: ignore[attr-defined]
        answer = client.get("/readyz")
        assert answer.status_code == 503, answer.text
        assert answer.json()["failed"] == ["broker"]
