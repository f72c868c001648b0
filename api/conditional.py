"""Conditional answers: ETags named by the data's version, 304 Not Modified, and answers kept by their ETag.

The calendar feeds, the partners' feed and the offering (JSON and page) answer the same way: an ETag made
of a cheap version of the data and what was asked; a caller holding that ETag gets 304 with no body; an
answer already made for that ETag is served again from its bytes. Versions are read outside a transaction
(`reader`: one round trip, no BEGIN or ROLLBACK).
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from datetime import datetime
from email.utils import parsedate_to_datetime

from fastapi import FastAPI, Request
from sqlalchemy import Engine

__all__ = ["KeptAnswers", "Representation", "etag_of", "kept_answers", "not_modified", "reader", "representation"]

SHARED = threading.Lock()
"""Guards what the routes, each in its own worker thread, make once for the application."""


def etag_of(*parts: object) -> str:
    """A strong ETag naming the parts (the data's version and everything the answer depends on)."""
    return '"' + hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32] + '"'


class Representation:
    """How an answer goes out: gzipped when the caller accepts it (kept answers are compressed once), with
    an ETag of its own then (`"…-gz"`: a strong ETag names one representation's bytes)."""

    def __init__(self, request: Request, etag: str) -> None:
        self.gzip = "gzip" in request.headers.get("accept-encoding", "").lower()
        self.etag = etag[:-1] + '-gz"' if self.gzip else etag
        self.plain_etag = etag

    def headers(self, vary: str) -> dict[str, str]:
        found = {"ETag": self.etag, "Vary": f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"}
        if self.gzip:
            found["Content-Encoding"] = "gzip"
        return found

    def current(self, request: Request, changed: datetime | None = None) -> bool:
        """The caller's copy is current, whichever representation it holds."""
        return not_modified(request, self.etag, changed) or not_modified(request, self.plain_etag, changed)


def representation(request: Request, etag: str) -> Representation:
    return Representation(request, etag)


def not_modified(request: Request, etag: str, changed: datetime | None = None) -> bool:
    """Whether the caller's copy is current: its If-None-Match names the ETag (or, without one, its
    If-Modified-Since is not before `changed`)."""
    wanted = request.headers.get("if-none-match")
    if wanted is not None:
        return etag in {tag.strip() for tag in wanted.split(",")} or wanted.strip() == "*"
    since = request.headers.get("if-modified-since")
    if since and changed is not None:
        try:
            return changed.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def reader(app: FastAPI) -> Engine:
    """The application's engine for reads outside a transaction (a version: one round trip)."""
    state = app.state
    with SHARED:
        if not hasattr(state, "version_reader"):
            state.version_reader = state.engine.execution_options(isolation_level="AUTOCOMMIT")
    engine: Engine = state.version_reader
    return engine


class KeptAnswers:
    """Answers made lately, by ETag, the newest `most` of them (an ETag names its data: never stale), each
    also gzipped on first demand."""

    def __init__(self, most: int) -> None:
        self._most = most
        self._kept: OrderedDict[str, list[bytes | None]] = OrderedDict()
        self._guard = threading.Lock()

    def get(self, etag: str, zipped: bool = False) -> bytes | None:
        with self._guard:
            found = self._kept.get(etag)
            if found is None:
                return None
            self._kept.move_to_end(etag)
            plain, packed = found
        if not zipped:
            return plain
        if packed is None:
            assert plain is not None
            packed = gzip.compress(plain, compresslevel=6, mtime=0)
            with self._guard:
                found[1] = packed
        return packed

    def clear(self) -> None:
        with self._guard:
            self._kept.clear()

    def put(self, etag: str, body: bytes) -> None:
        with self._guard:
            self._kept[etag] = [body, None]
            while len(self._kept) > self._most:
                self._kept.popitem(last=False)


def kept_answers(app: FastAPI, name: str, most: int) -> KeptAnswers:
    """The application's kept answers of one kind (`feeds`, `offering`...), made on first use."""
    with SHARED:
        found = getattr(app.state, f"kept_{name}", None)
        if found is None:
            found = KeptAnswers(most)
            setattr(app.state, f"kept_{name}", found)
    kept: KeptAnswers = found
    return kept
