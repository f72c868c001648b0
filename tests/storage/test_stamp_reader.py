"""The offering's version read on a held connection (`StampReader`): the version a commit leaves, at once, on
SQLite and PostgreSQL; never waiting for a SQLite writer's lock; and a connection lost to a database restart
answered by the pool's read while the reader connects again."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, text, update
from sqlalchemy.orm import Session

from scheduler.scenario import generate
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import StaffRow
from scheduler.storage.offering_stamp import offering_version
from scheduler.storage.repository import import_problem
from scheduler.storage.stamp_reader import StampReader
from tests.conftest import migrated

T = TypeVar("T")


def _run(reading: Coroutine[Any, Any, T]) -> T:
    """The coroutine run on an event loop of its own, in a thread of its own: a test before this one (a browser
    driven by Playwright's synchronous API) may have left this thread's loop running."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, reading).result()


def _pooled(engine: Engine) -> int:
    with Session(engine) as session:
        return offering_version(session)


class Fallback:
    """The pool's read, counting its calls."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.calls = engine, 0

    async def __call__(self) -> int:
        self.calls += 1
        return _pooled(self.engine)


@contextmanager
def _reading(url: str) -> Iterator[tuple[Engine, StampReader]]:
    """A small county in the database at `url`, and a reader of its offering's version."""
    engine = make_engine(url)
    reader = StampReader(url)
    try:
        with session_scope(engine) as session:
            import_problem(session, generate(20, 1), actor="test")
        yield engine, reader
    finally:
        reader.close()
        engine.dispose()


def _move(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.execute(update(StaffRow).values(max_weekly_minutes=StaffRow.max_weekly_minutes + 1))


def test_the_held_connection_reads_each_commit_at_once(database_url: str) -> None:
    with _reading(database_url) as (engine, reader):
        pool = Fallback(engine)

        async def reads() -> list[int]:
            found = [await reader.read(pool)]
            for _ in range(3):
                _move(engine)
                found.append(await reader.read(pool))
            return found

        found = _run(reads())
        assert reader.kind in ("sqlite", "postgresql")
        assert pool.calls == 0, "the held connection answered every read"
        assert found[-1] == _pooled(engine)
        assert found == list(range(found[0], found[0] + 4)), "each commit's move, read right after it"
        assert _run(reader.read(pool)) == found[-1], "a new event loop (a new test client) reads too"


def test_a_sqlite_writer_holding_the_file_sends_the_read_to_the_pool_without_waiting(tmp_path: Path) -> None:
    url = migrated("sqlite", tmp_path)
    with (
        _reading(url) as (engine, reader),
        closing(sqlite3.connect(url.removeprefix("sqlite:///"), check_same_thread=False)) as writer,
    ):
        writer.isolation_level = None
        before = _pooled(engine)
        writer.execute("BEGIN EXCLUSIVE")  # a commit in progress: no reader may read the file
        pool_reads: list[str] = []

        async def pool() -> int:
            pool_reads.append("pool")
            writer.execute("UPDATE offering_stamp SET version = version + 1 WHERE id = 1")
            writer.execute("COMMIT")  # the writer finishes; the pool's read (patient) then sees its commit
            return _pooled(engine)

        assert _run(reader.read(pool)) == before + 1
        assert pool_reads == ["pool"], "the held connection did not wait for the lock: the pool read"
        assert _run(reader.read(Fallback(engine))) == before + 1, "and the held connection reads again"


def test_a_postgresql_connection_lost_is_answered_by_the_pool_and_made_again(tmp_path: Path) -> None:
    with _reading(migrated("postgresql", tmp_path)) as (engine, reader):
        pool = Fallback(engine)

        async def lost_and_found() -> tuple[int, int, int]:
            first = await reader.read(pool)
            with engine.connect() as admin:  # what a database restart does to the held connection
                admin.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND pid <> pg_backend_pid() AND query LIKE '%offering_stamp%'"
                    )
                )
                admin.commit()
            _move(engine)
            second = await reader.read(pool)
            third = await reader.read(pool)
            return first, second, third

        first, second, third = _run(lost_and_found())
        assert second == third == first + 1, "the move is read whichever connection reads it"
        assert pool.calls == 1, "only the read on the lost connection went to the pool; then it was made again"


def test_an_in_memory_database_reads_through_the_pool() -> None:
    reader = StampReader("sqlite:///:memory:")

    async def pool() -> int:
        return 7

    assert reader.kind == "pool"
    assert _run(reader.read(pool)) == 7
