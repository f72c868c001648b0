"""The migrations make the schema the models describe, and go down and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from scheduler.settings import Settings
from scheduler.storage.database import alembic_config, make_engine, upgrade
from scheduler.storage.models import Base
from tests.conftest import fresh_postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database of each kind with no schema at all."""
    return f"sqlite:///{tmp_path / 'tarjotin.db'}" if request.param == "sqlite" else fresh_postgres()


def _differences(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(compare_metadata(MigrationContext.configure(conn), Base.metadata))
    finally:
        engine.dispose()


def _primary_key(url: str, table: str) -> list[str]:
    engine = make_engine(url)
    try:
        return list(inspect(engine).get_pk_constraint(table)["constrained_columns"])
    finally:
        engine.dispose()


def test_migrations_make_the_models_schema_and_go_down_and_up_again(empty_url: str) -> None:
    upgrade(Settings(database_url=empty_url), "0003")
    engine = make_engine(empty_url)
    with engine.begin() as conn:  # a key stored before keys had callers
        conn.execute(
            text(
                "INSERT INTO idempotency_keys (key, request_hash, status_code, response, created_at)"
                " VALUES ('retry-1', 'h', 201, '{}', :at)"
            ),
            {"at": datetime(2026, 11, 1, tzinfo=UTC)},
        )
    engine.dispose()
    upgrade(Settings(database_url=empty_url))
    assert _differences(empty_url) == []
    assert _primary_key(empty_url, "idempotency_keys") == ["caller", "key"]
    command.downgrade(alembic_config(empty_url), "0003")
    assert _primary_key(empty_url, "idempotency_keys") == ["key"]
    assert "sign_in_sessions" not in inspect(make_engine(empty_url)).get_table_names()
    upgrade(Settings(database_url=empty_url))
    assert _differences(empty_url) == []
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT caller, key FROM idempotency_keys")).all()
    engine.dispose()
    assert kept == [("before-0004", "retry-1")]
