"""Backup and restore of PostgreSQL as docs/operations.md tells IT to do it: `pg_dump --format=custom`, then
`pg_restore --no-owner` into an empty database; the service over the restored copy answers as before."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text

from api.app import create_app
from scheduler.settings import Settings
from tests.api.conftest import Service


def _libpq(url: str) -> str:
    """The SQLAlchemy URL as the PostgreSQL tools take it (no `+psycopg`)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def empty_database(pg_service: Service) -> Iterator[str]:
    """A new empty database beside the service's, dropped afterwards."""
    named = make_url(pg_service.url)
    name = f"{named.database}_restored"
    admin = create_engine(pg_service.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield named.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _answers(url: str, headers: dict[str, str]) -> tuple[object, object, object]:
    app = create_app(Settings(database_url=url))
    try:
        with TestClient(app) as client:
            offering = client.get("/offering", params={"limit": 500})
            plans = client.get("/plans", headers=headers)
            staff = client.get("/staff", headers=headers)
            assert offering.status_code == plans.status_code == staff.status_code == 200, (offering, plans, staff)
            return offering.json(), plans.json(), staff.json()
    finally:
        app.state.engine.dispose()


def test_a_restored_backup_serves_the_same_offering_and_tokens(
    pg_service: Service, empty_database: str, tmp_path: Path
) -> None:
    coordinator = pg_service.as_("coordinator")
    before = _answers(pg_service.url, coordinator)
    dump = tmp_path / "tarjotin.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", _libpq(pg_service.url)], check=True, timeout=120)
    assert dump.stat().st_size > 0
    restore = ["pg_restore", "--no-owner", f"--dbname={_libpq(empty_database)}", str(dump)]
    subprocess.run(restore, check=True, timeout=120)
    after = _answers(empty_database, coordinator)  # the coordinator's token is in the backup too
    assert after == before
    assert before[0]["total"] == len(pg_service.plan.groups)  # type: ignore[index]
