"""SQLite's disk turns read-only under the running service: writes answer a clear 503, nothing is lost."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import httpx
from sqlalchemy.orm import Session

from api.app import create_app
from scheduler.settings import Settings
from tests.api.conftest import fitting_clients
from tests.api.live import live_server
from tests.faults.readonly import read_only

LEAKS = ("Traceback", "sqlite", "sqlalchemy", "OperationalError", "readonly database")


def _rows(path: Path, table: str) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_a_read_only_disk_refuses_writes_clearly_and_loses_nothing(tmp_path: Path, published) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "tarjotin.db"
    shutil.copyfile(published[0], path)
    counsellor = published[1]["counsellor"]
    app = create_app(Settings(database_url=f"sqlite:///{path}"))
    with live_server(app) as base, httpx.Client(base_url=base, timeout=60) as http:
        group = max(http.get("/offering", params={"limit": 500}).json()["items"], key=lambda g: g["free_seats"])
        offering = http.get("/offering", params={"limit": 500}).json()
        sessions = SimpleNamespace(session=lambda: Session(app.state.engine, expire_on_commit=False))
        client = fitting_clients(sessions, group, 1, "readonly")[0]  # type: ignore[arg-type]  # a Service in all but name
        seats = _rows(path, "enrollments")
        with read_only(folder):
            answer = http.post(
                f"/groups/{group['id']}/enrollments",
                json={"client_id": client},
                headers={**counsellor, "Idempotency-Key": "ro-1"},
            )
            assert answer.status_code == 503, answer.text
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.headers["Retry-After"].isdigit()
            assert answer.json()["detail"] == "the database is read-only just now: nothing was changed; try again later"
            assert not any(leak.lower() in answer.text.lower() for leak in LEAKS), answer.text
            assert http.get("/offering", params={"limit": 500}).json() == offering  # reading goes on
        app.state.engine.dispose()
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert _rows(path, "enrollments") == seats
        assert http.get("/offering", params={"limit": 500}).json() == offering
        again = http.post(
            f"/groups/{group['id']}/enrollments",
            json={"client_id": client},
            headers={**counsellor, "Idempotency-Key": "ro-1"},
        )
        assert again.status_code == 201, again.text  # writable again: the same request books the seat
        assert _rows(path, "enrollments") == seats + 1
