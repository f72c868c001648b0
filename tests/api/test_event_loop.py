"""No blocking I/O on the event loop: a request waiting for the database holds only itself.

A real server (uvicorn in a thread) over a database that another connection has locked: while a
feed request waits for the lock, the OpenAPI document and a static file still answer at once.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import httpx
import psycopg

from api.app import create_app
from scheduler.settings import Settings
from tests.api.conftest import Service
from tests.api.live import live_server

HELD = 2.5
"""How long the lock is held: longer than any answer may take."""
PROMPT = 0.5
"""How long another request may take while the feed waits."""
FEEDS = ("/calendars/offering.ics", "/calendars/groups/{group}.ics")


@contextmanager
def _sqlite_locked(url: str) -> Iterator[None]:
    """Nobody else reads or writes the SQLite file while the block runs (an exclusive transaction)."""
    holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@contextmanager
def _postgres_locked(url: str) -> Iterator[None]:
    """The tables a feed's fingerprint reads are locked against readers while the block runs."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as holder:
        holder.execute("LOCK TABLE audit_log, offering_versions, groups IN ACCESS EXCLUSIVE MODE")
        try:
            yield
        finally:
            holder.rollback()


def _fetch(url: str, answers: list[int]) -> None:
    answers.append(httpx.get(url, headers={"If-None-Match": '"stale"'}, timeout=30).status_code)


def _others_answer_while_a_feed_waits(service: Service, locked: Callable[[str], AbstractContextManager[None]]) -> None:
    app = create_app(Settings(database_url=service.url))
    group = service.plan.groups[0].id
    with live_server(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        for path in ("/openapi.json", "/static/tarjotin.css", *(f.format(group=group) for f in FEEDS)):
            assert client.get(path).status_code == 200, path  # warm: the document is built once
        for feed in FEEDS:
            answers: list[int] = []
            with locked(service.url):
                waiting = threading.Thread(target=_fetch, args=(base + feed.format(group=group), answers))
                waiting.start()
                time.sleep(0.3)  # the feed request is waiting for the lock now
                for path in ("/openapi.json", "/static/tarjotin.css"):
                    started = time.monotonic()
                    assert client.get(path).status_code == 200
                    took = time.monotonic() - started
                    assert took < PROMPT, f"{path} took {took:.2f} s while {feed} waited for the database"
                time.sleep(max(0.0, HELD - 0.3 - 2 * PROMPT))
            waiting.join(timeout=30)
            assert answers == [200], f"{feed} answered {answers} once the lock was gone"
    app.state.engine.dispose()


def test_a_feed_waiting_for_a_locked_sqlite_does_not_hold_other_requests(service: Service) -> None:
    _others_answer_while_a_feed_waits(service, _sqlite_locked)


def test_a_feed_waiting_for_a_locked_postgresql_does_not_hold_other_requests(pg_service: Service) -> None:
    _others_answer_while_a_feed_waits(pg_service, _postgres_locked)
