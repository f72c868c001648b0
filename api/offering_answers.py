"""The offering's answers, conditional and kept: ETag from the offering's version and what was asked.

Every offering answer (`GET /offering`, `GET /offering/{id}`, the offering page) is made the same way:
read the offering's version (one primary-key read outside a transaction), name the answer by an ETag of
the version, the day and everything else the answer depends on; a caller holding that ETag gets 304, an
answer made already is served from its bytes, and only a new one is made — from the offering kept for
the version (`scheduler.services.kept_offering`), never read from the tables again.

Public answers may be kept by a proxy for `offering_max_age_seconds` (Cache-Control `public`); answers to a
signed-in caller are `private, no-cache` (revalidated every time, cheaply, with their ETag).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy.orm import Session, sessionmaker

from api.conditional import SHARED, etag_of, kept_answers, reader, representation
from scheduler.services.kept_offering import KeptOffering, OfferingKeeper
from scheduler.storage.offering_stamp import offering_version
from scheduler.storage.stamp_reader import StampReader

__all__ = ["ANSWERS_KEPT", "Asked", "answer", "keeper", "kept_now", "kept_offering"]

ANSWERS_KEPT = 512
"""Offering answers a process keeps by ETag (filters, pages, languages)."""


def keeper(request: Request) -> OfferingKeeper:
    """The application's kept offerings (one keeper per process)."""
    state = request.app.state
    with SHARED:
        if not hasattr(state, "offering_keeper"):
            state.offering_keeper = OfferingKeeper()
    found: OfferingKeeper = state.offering_keeper
    return found


def _version(request: Request) -> int:
    """The offering's version, read outside a transaction: the connection goes back to the pool at once."""
    with reader(request.app).connect() as connection:
        return offering_version(connection)


async def _version_now(request: Request) -> int:
    """The offering's version: on the connection held for it when it can answer at once, else through the
    pool in a worker thread (`scheduler.storage.stamp_reader`)."""
    reader: StampReader = request.app.state.stamp_reader
    return await reader.read(lambda: run_in_threadpool(_version, request))


def kept_now(request: Request, on: date, coordinator: bool = False, version: int | None = None) -> KeptOffering:
    """The offering kept for the version now; a session (and a pooled connection) only while building a new one.

    A request holding a pooled connection while it computes starves the pool under load: the worker threads
    wait for connections that the threads' own teardown would give back."""
    found = version if version is not None else _version(request)
    keeping = keeper(request)
    kept = keeping.kept(found, on, coordinator)
    if kept is not None:
        return kept
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as session:
        return keeping.get(session, on, coordinator, version=found)


async def kept_offering(request: Request, on: date, coordinator: bool = False) -> KeptOffering:
    """`kept_now` from the event loop: the version read without a worker thread, and one only to build."""
    version = await _version_now(request)
    kept = keeper(request).kept(version, on, coordinator)
    return kept if kept is not None else await run_in_threadpool(kept_now, request, on, coordinator, version)


@dataclass(frozen=True)
class Asked:
    """What an answer depends on besides the offering's version."""

    kind: str
    """`offering`, `group`, `page`..."""
    on: date
    coordinator: bool
    public: bool
    """No caller: a proxy may keep the answer briefly."""
    parts: tuple[object, ...] = ()
    """Everything else: the query, the language, the root path."""


async def answer(
    request: Request, asked: Asked, make: Callable[[KeptOffering, Session], tuple[bytes, str]], vary: str
) -> Response:
    """The answer, 304 or kept bytes when they can be, else `make(kept, session)` -> (body, media type).

    The version is read on the connection held for it and a kept answer served in the event loop (a hop to a
    worker thread and back would cost more than all of it); only a new answer is made in a worker thread."""
    version = await _version_now(request)
    etag = etag_of(
        asked.kind, version, asked.on, asked.coordinator, request.app.state.settings.public_url, *asked.parts
    )
    sent = representation(request, etag)
    max_age = request.app.state.settings.offering_max_age_seconds
    headers = {
        **sent.headers(vary),
        "Cache-Control": f"public, max-age={max_age}" if asked.public else "private, no-cache",
    }
    if sent.current(request):
        headers.pop("Content-Encoding", None)
        return Response(status_code=304, headers=headers)
    answers = kept_answers(request.app, "offering", ANSWERS_KEPT)
    media = "text/html; charset=utf-8" if asked.kind == "page" else "application/json"
    body = answers.get(etag, sent.gzip)
    if body is None:
        media = await run_in_threadpool(_make, request, asked, make, version, etag)
        body = answers.get(etag, sent.gzip)
    return Response(body, media_type=media, headers=headers)


def _make(
    request: Request,
    asked: Asked,
    make: Callable[[KeptOffering, Session], tuple[bytes, str]],
    version: int,
    etag: str,
) -> str:
    """A new answer made and kept under its ETag; its media type."""
    factory: sessionmaker[Session] = request.app.state.sessions
    offering = kept_now(request, asked.on, asked.coordinator, version)
    with factory() as session:  # `make` may read what the offering does not keep (the page's partners)
        made, media = make(offering, session)
    kept_answers(request.app, "offering", ANSWERS_KEPT).put(etag, made)
    return media
