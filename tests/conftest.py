"""Databases for the tests: SQLite in a temporary folder, and the local PostgreSQL.

PostgreSQL is found at TARJOTIN_TEST_POSTGRES_URL (default: the local server, database
`test`). Outside CI a missing server skips those cases; in CI (CI=true) it fails them,
so the PostgreSQL tests never silently skip there. Under pytest-xdist each worker has a
database of its own beside that one, `<database>_<worker>` (made when missing), so that
workers never empty each other's.

A new SQLite database is a copy of one migrated once per test session: the same empty
schema the migrations make, without running them again for every test.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, make_url, text

from scheduler.settings import Settings
from scheduler.storage.database import make_engine, upgrade

NAMED_POSTGRES_URL = os.environ.get("TARJOTIN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1 ... under pytest-xdist


def _worker_url(url: str, worker: str | None) -> str:
    """The database this test process empties: the named one, or under xdist the worker's own beside it."""
    if not worker:
        return url
    named = make_url(url)
    return named.set(database=f"{named.database}_{worker}").render_as_string(hide_password=False)


POSTGRES_URL = _worker_url(NAMED_POSTGRES_URL, XDIST_WORKER)


@cache
def _worker_database() -> None:
    """Make the xdist worker's database if it is missing (through the named database, which exists)."""
    name = make_url(POSTGRES_URL).database
    engine = create_engine(NAMED_POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first() is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


def fresh_postgres() -> str:
    """The test PostgreSQL database, emptied."""
    engine = make_engine(POSTGRES_URL)
    try:
        if XDIST_WORKER:
            _worker_database()
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


@cache
def migrated_sqlite() -> Path:
    """An empty SQLite database, its schema made by the migrations, once per test session (never written to)."""
    folder = Path(tempfile.mkdtemp(prefix="tarjotin-migrated-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    upgrade(Settings(database_url=f"sqlite:///{folder / 'tarjotin.db'}"))
    return folder / "tarjotin.db"


SCHEMA = text("""SELECT table_name, column_name, data_type, column_default FROM information_schema.columns
                  WHERE table_schema = 'public' ORDER BY table_name, column_name""")
MIGRATED_SCHEMA: list[tuple[object, ...]] = []
"""The PostgreSQL schema (every column, and the revision) as this session's migrations last made it."""


def _schema(conn: Connection) -> list[tuple[object, ...]]:
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    return [tuple(row) for row in conn.execute(SCHEMA)] + [tuple(row) for row in revision]


def _emptied_postgres() -> bool:
    """Empty every table of the PostgreSQL database, if its schema is still the one the migrations made."""
    if not MIGRATED_SCHEMA:
        return False
    engine = make_engine(POSTGRES_URL)
    try:
        with engine.begin() as conn:
            if _schema(conn) != MIGRATED_SCHEMA:
                return False
            tables = ", ".join(sorted({f'"{row[0]}"' for row in MIGRATED_SCHEMA[:-1]} - {'"alembic_version"'}))
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        return True
    except Exception:  # noqa: BLE001 - no such table, or no server: migrate from scratch instead
        return False
    finally:
        engine.dispose()


def migrated(kind: str, tmp_path: Path) -> str:
    """An empty database of the kind (sqlite or postgresql), its schema made by the migrations.

    PostgreSQL whose schema this session's migrations made and no test changed since is
    emptied table by table rather than dropped and migrated again."""
    path = tmp_path / "tarjotin.db"
    if kind == "sqlite" and not path.exists():
        shutil.copyfile(migrated_sqlite(), path)
        return f"sqlite:///{path}"
    if kind != "sqlite" and _emptied_postgres():
        return POSTGRES_URL
    url = f"sqlite:///{path}" if kind == "sqlite" else fresh_postgres()
    upgrade(Settings(database_url=url))
    if kind != "sqlite":
        engine = make_engine(url)
        with engine.connect() as conn:
            MIGRATED_SCHEMA[:] = _schema(conn)
        engine.dispose()
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
