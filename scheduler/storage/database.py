"""Engines, sessions and migrations for the database named by the settings."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from scheduler.settings import Settings

__all__ = [
    "MIGRATION_LOCK_KEY",
    "Upgrade",
    "alembic_config",
    "code_revision",
    "make_engine",
    "schema_revision",
    "session_scope",
    "upgrade",
]

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
    # `hide_parameters`: a database error's message never quotes the statement's values (a client's id, an alias),
    # so it can be logged.
    engine = create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True, connect_args=connect_args)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA foreign_keys=ON"))
    return engine


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


MIGRATION_LOCK_KEY = 7_461_726_001
"""The PostgreSQL advisory lock (`pg_advisory_lock`) that every schema upgrade holds: one at a time per database."""


@dataclass(frozen=True)
class Upgrade:
    """What an upgrade did: the schema's revision before and after (None: no schema), the revisions applied."""

    before: str | None
    after: str | None
    applied: tuple[str, ...]


def code_revision() -> str | None:
    """The newest revision the code knows (the migrations' head)."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def schema_revision(url: str) -> str | None:
    """The revision the database's schema is at (None: an empty database)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return _revision(connection)
    finally:
        engine.dispose()


@contextmanager
def _migration_lock(connection: Connection) -> Iterator[None]:
    """Only one upgrade of the database at a time, across processes and machines.

    PostgreSQL: a session-level advisory lock on the connection the migrations run on (it outlives their
    transactions, and the server frees it if the process dies). SQLite: an exclusive `flock` on a file beside
    the database (an in-memory database has one process)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            if not connection.invalidated:  # a lost connection's locks are gone with its session
                connection.rollback()  # a failed migration leaves its transaction open: end it so the unlock runs
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
                connection.commit()
        return
    database = connection.engine.url.database
    if connection.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with Path(f"{database}.migrate-lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _migration_engine(url: str) -> Engine:
    """An engine for the migrations: as `make_engine`'s, but SQLite without `PRAGMA foreign_keys=ON`, under which a
    batch migration's table copy would cascade the drop of the old table to the rows that refer to it."""
    make_engine(url).dispose()  # SQLite's data directory
    if url.startswith("sqlite"):
        return create_engine(url, connect_args={"timeout": 30})
    return make_engine(url)


def upgrade(settings: Settings, revision: str = "head") -> Upgrade:
    """Bring the database schema up to date (creates it on first use); safe to run by many processes at once.

    The upgrade holds the migration lock (`_migration_lock`): a second process waits for the first, then finds
    the schema at the revision and applies nothing. The migrations run on the lock's connection, which Alembic's
    `env.py` takes from `config.attributes["connection"]` (Alembic's cookbook, "Sharing a Connection")."""
    engine = _migration_engine(settings.url)
    try:
        with engine.connect() as connection, _migration_lock(connection):
            before = _revision(connection)
            connection.commit()  # the migrations begin and commit transactions of their own on it
            config = alembic_config(settings.url)
            config.attributes["connection"] = connection
            applied: list[str] = []
            config.attributes["applied"] = applied
            command.upgrade(config, revision)
            connection.commit()
            after = _revision(connection)
            connection.commit()
        return Upgrade(before, after, tuple(applied))
    finally:
        engine.dispose()


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
