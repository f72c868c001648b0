"""Databases for the tests: SQLite in a temporary folder, and the local PostgreSQL.

PostgreSQL is found at TARJOTIN_TEST_POSTGRES_URL (default: the local server, database
`test`). Outside CI a missing server skips those cases; in CI (CI=true) it fails them,
so the PostgreSQL tests never silently skip there.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from scheduler.settings import Settings
from scheduler.storage.database import make_engine, upgrade

POSTGRES_URL = os.environ.get("TARJOTIN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def fresh_postgres() -> str:
    """The test PostgreSQL database, emptied."""
    engine = make_engine(POSTGRES_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except Exception as error:  # noqa: BLE001 - any failure to reach the server
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {POSTGRES_URL} is required in CI: {error}")
        pytest.skip(f"no PostgreSQL at {POSTGRES_URL}")
    finally:
        engine.dispose()
    return POSTGRES_URL


def migrated(kind: str, tmp_path: Path) -> str:
    """An empty database of the kind (sqlite or postgresql), its schema made by the migrations."""
    url = f"sqlite:///{tmp_path / 'tarjotin.db'}" if kind == "sqlite" else fresh_postgres()
    upgrade(Settings(database_url=url))
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind."""
    return migrated(request.param, tmp_path)


def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, load: Callable[[Engine], None]) -> str:
    """A migrated SQLite database that the CLI finds by TARJOTIN_DATABASE_URL, filled by `load`."""
    url = migrated("sqlite", tmp_path)
    monkeypatch.setenv("TARJOTIN_DATABASE_URL", url)
    engine = make_engine(url)
    try:
        load(engine)
    finally:
        engine.dispose()
    return url
