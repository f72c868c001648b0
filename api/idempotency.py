"""Idempotency keys: a retried request with the same key gets the first answer, and runs once.

The key is written first, in the request's own transaction: a concurrent retry waits on
it (the primary key) and then finds the stored answer. Only successful answers are kept:
a request that failed (say the group was full) may be retried with the same key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.contract.errors import FieldError, Invalid
from scheduler.storage.models import IdempotencyRecord

__all__ = ["KeyReused", "run_once"]


class KeyReused(Invalid):
    """The idempotency key was already used for a different request (a 422 on the header)."""

    def __init__(self, key: str) -> None:
        message = f"the idempotency key {key!r} was used for a different request; use a new key"
        super().__init__(message, [FieldError("Idempotency-Key", message)])


def _fingerprint(request: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


def run_once(db: Session, key: str | None, request: dict[str, Any], status: int,
             work: Callable[[], dict[str, Any]]) -> JSONResponse:
    """Run `work` (which must not commit) once per key; commit; answer `status` with its result."""
    if key is None:
        body = work()
        db.commit()
        return JSONResponse(status_code=status, content=body)
    fingerprint = _fingerprint(request)
    record = IdempotencyRecord(key=key, request_hash=fingerprint, status_code=status, response={})
    db.add(record)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        stored = db.get(IdempotencyRecord, key)
        assert stored is not None
        if stored.request_hash != fingerprint:
            raise KeyReused(key) from None
        return JSONResponse(status_code=stored.status_code, content=stored.response,
                            headers={"Idempotent-Replayed": "true"})
    record.response = work()
    db.commit()
    return JSONResponse(status_code=status, content=record.response)
