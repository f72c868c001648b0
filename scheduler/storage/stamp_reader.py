"""The offering's version, read for every offering request without a pooled checkout or a worker thread.

Every offering answer first reads the version (`offering_stamp`): that read is what keeps free seats exact
across processes, so it is never skipped or kept. Through the pool it costs a checkout, a ping, an isolation
level reset and, from the event loop, a hop to a worker thread and back: more than the rest of a kept answer.
The reader holds a connection of its own, in autocommit:

- **SQLite file**: read in the event loop itself (a primary-key read of one row: microseconds). It never waits
  for a lock there: when a writer's commit holds the file it answers at once, and the pool reads instead.
- **PostgreSQL**: an asyncio psycopg connection (one per event loop); the read is awaited, one round trip,
  and concurrent reads take turns on it.

Whenever the held connection cannot answer (busy, broken by a restart, an in-memory database), `read` calls
`fallback`, the pool's read in a worker thread, which waits, recovers or says what is wrong as any request
does; the held connection is made again on the next read.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Awaitable, Callable

import psycopg
from sqlalchemy import make_url

from scheduler.storage.database import CONNECT_TIMEOUT_SECONDS

__all__ = ["StampReader"]

SQL = "SELECT version FROM offering_stamp WHERE id = 1"


class StampReader:
    """The offering's version on a connection held for it (`read`)."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        database = parsed.database or ""
        backend = parsed.get_backend_name()
        self.kind = (
            "sqlite"
            if backend == "sqlite" and database not in ("", ":memory:") and not parsed.query
            else "postgresql"
            if backend == "postgresql"
            else "pool"
        )
        """How `read` reads: `sqlite` (a file), `postgresql`, or `pool` (the fallback, e.g. in-memory SQLite)."""
        self._path = database
        self._conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        self._sqlite: sqlite3.Connection | None = None
        self._guard = threading.Lock()
        self._postgres: dict[asyncio.AbstractEventLoop, psycopg.AsyncConnection] = {}

    async def read(self, fallback: Callable[[], Awaitable[int]]) -> int:
        """The version now: from the held connection, else from `fallback()` (the pool's read)."""
        found = self._read_sqlite() if self.kind == "sqlite" else None
        if self.kind == "postgresql":
            found = await self._read_postgres()
        return found if found is not None else await fallback()

    def _read_sqlite(self) -> int | None:
        with self._guard:
            try:
                if self._sqlite is None:
                    # timeout 0: a commit holding the file answers "busy" at once, never blocks the event loop
                    self._sqlite = sqlite3.connect(self._path, timeout=0, isolation_level=None, check_same_thread=False)
                row = self._sqlite.execute(SQL).fetchone()
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    self._close_sqlite()  # the file went away or changed: connect again next time
                return None
            except sqlite3.Error:
                self._close_sqlite()
                return None
        return int(row[0]) if row else 0

    async def _read_postgres(self) -> int | None:
        loop = asyncio.get_running_loop()
        held = self._postgres.get(loop)
        try:
            if held is None or held.closed:
                held = await self._connect(loop)
            cursor = await held.execute(SQL)
            row = await cursor.fetchone()
        except psycopg.Error:
            gone = self._postgres.pop(loop, None)
            if gone is not None:
                gone.pgconn.finish()
            return None
        return int(row[0]) if row else 0

    async def _connect(self, loop: asyncio.AbstractEventLoop) -> psycopg.AsyncConnection:
        made = await psycopg.AsyncConnection.connect(
            self._conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
        )
        raced = self._postgres.get(loop)
        if raced is not None and not raced.closed:  # another request of this loop connected meanwhile
            made.pgconn.finish()
            return raced
        for other in [other for other in self._postgres if other.is_closed()]:  # a test client's loop, ended
            self._postgres.pop(other).pgconn.finish()
        self._postgres[loop] = made
        return made

    def close(self) -> None:
        """Close the held connections (at the application's shutdown)."""
        with self._guard:
            self._close_sqlite()
        for held in self._postgres.values():
            held.pgconn.finish()
        self._postgres.clear()

    def _close_sqlite(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
