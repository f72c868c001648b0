"""The database tests run against SQLite and PostgreSQL alike.

PostgreSQL is found at TARJOTIN_TEST_POSTGRES_URL (default: the local server, database
`test`). Outside CI a missing server skips those cases; in CI (CI=true) it fails them,
so the PostgreSQL tests never silently skip there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from scheduler.settings import Settings
from scheduler.storage.database import make_engine, upgrade

POSTGRES_URL = os.environ.get("TARJOTIN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _fresh_postgres() -> str:
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


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind, its schema created by the migrations."""
    url = f"sqlite:///{tmp_path / 'tarjotin.db'}" if request.param == "sqlite" else _fresh_postgres()
    upgrade(Settings(database_url=url))
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()
