"""Idempotency keys: a retried request with the same key gets the first answer, and runs once.

The key is written first, in the request's own transaction: a concurrent retry waits on
it (the primary key) and then finds the stored answer. Only successful answers are kept:
a request that failed (say the group was full) may be retried with the same key.

A key belongs to its caller (the token that sent it): the same key from another caller is
another request, so no one can read another caller's answer by guessing their key. A key
is remembered for `max_age` (the `idempotency_retention_hours` setting); an older one counts as new.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.deps import Caller, CallerDep, get_clock
from scheduler.contract.errors import FieldError, Invalid
from scheduler.storage.models import IdempotencyRecord

__all__ = ["IdempotencyKey", "Key", "KeyReused", "key_for", "run_once"]


class KeyReused(Invalid):
    """The idempotency key was already used for a different request (a 422 on the header)."""

    def __init__(self, key: str) -> None:
        message = f"the idempotency key {key!r} was used for a different request; use a new key"
        super().__init__(message, [FieldError("Idempotency-Key", message)])


def _fingerprint(request: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class Key:
    """An Idempotency-Key as sent by a caller, at a moment, remembered for `max_age`."""

    value: str | None
    caller: str
    now: datetime
    max_age: timedelta


def key_for(request: Request, caller: Caller, value: str | None) -> Key:
    """The caller's key, now on the application's clock, kept for the application's `idempotency_retention_hours`."""
    hours: int = request.app.state.settings.idempotency_retention_hours
    return Key(value, caller.key_owner, get_clock(request).now(), timedelta(hours=hours))


def _header_key(
    request: Request,
    caller: CallerDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            max_length=200,
            pattern=r"^[\x21-\x7e]+$",
            description="a retry with the same key (from the same token, within a day) books once",
        ),
    ] = None,
) -> Key:
    return key_for(request, caller, idempotency_key)


IdempotencyKey = Annotated[Key, Depends(_header_key)]
"""The request's `Idempotency-Key` header as its caller's key."""


def run_once(
    db: Session, key: Key, request: dict[str, Any], status: int, work: Callable[[], dict[str, Any]]
) -> JSONResponse:
    """Run `work` (which must not commit) once per caller's key; commit; answer `status` with its result."""
    if key.value is None:
        body = work()
        db.commit()
        return JSONResponse(status_code=status, content=body)
    fingerprint = _fingerprint(request)
    db.execute(  # a key older than max_age is forgotten: this request is a new one
        delete(IdempotencyRecord).where(
            IdempotencyRecord.caller == key.caller,
            IdempotencyRecord.key == key.value,
            IdempotencyRecord.created_at < key.now - key.max_age,
        )
    )
    record = IdempotencyRecord(
        caller=key.caller, key=key.value, request_hash=fingerprint, status_code=status, response={}, created_at=key.now
    )
    db.add(record)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        stored = db.get(IdempotencyRecord, (key.caller, key.value))
        assert stored is not None
        if stored.request_hash != fingerprint:
            raise KeyReused(key.value) from None
        return JSONResponse(
            status_code=stored.status_code, content=stored.response, headers={"Idempotent-Replayed": "true"}
        )
    record.response = work()
    db.commit()
    return JSONResponse(status_code=status, content=record.response)
