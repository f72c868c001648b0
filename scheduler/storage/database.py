"""Engines, sessions and migrations for the database named by the settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from scheduler.settings import Settings

__all__ = ["alembic_config", "make_engine", "session_scope", "upgrade"]

MIGRATIONS = Path(__file__).with_name("migrations")


CONNECT_TIMEOUT_SECONDS = 10
"""How long a new PostgreSQL connection may take before the request answers 503 (not hang)."""


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets foreign keys on, its data directory and a patient lock wait.

    Every connection is pinged as it leaves the pool (`pool_pre_ping`): one that a database
    restart or a network cut left dead is replaced there, so the service recovers by itself
    once the database is back, without a failed request per stale connection."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    sqlite = url.startswith("sqlite")
    connect_args: dict[str, object] = {"timeout": 30} if sqlite else {}
    if url.startswith("postgresql") and "connect_timeout" not in url:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    engine = create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA foreign_keys=ON"))
    return engine


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Bring the database schema up to date (creates it on first use)."""
    make_engine(settings.url).dispose()
    command.upgrade(alembic_config(settings.url), revision)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error."""
    session = sessionmaker(engine, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
