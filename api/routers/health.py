"""Probes for the orchestrator: `/healthz` (the process answers) and `/readyz` (it can serve: database and queue).

Neither needs a token, and neither is in the OpenAPI document (they are for load balancers and
container platforms, not API clients). `/healthz` touches nothing: a liveness probe that fails
restarts the process, which would not help a database that is down. `/readyz` asks the database
(`SELECT 1`) and the planning queue's broker (Redis `PING` with `TARJOTIN_BROKER_URL`, else that
the embedded queue file's folder takes a file), each within `CHECK_SECONDS`; one that fails is
a 503 problem naming it in `checks`, so the replica is taken out of rotation until it passes.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, text
from starlette.concurrency import run_in_threadpool

from api.errors import RETRY_AFTER, problem_answer
from scheduler.settings import Settings

__all__ = ["CHECK_SECONDS", "router"]

router = APIRouter(tags=["health"], include_in_schema=False)
log = logging.getLogger("tarjotin.api")

CHECK_SECONDS = 3.0
"""How long each readiness check may take before it counts as failed."""


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive and answers (no database access)."""
    return {"status": "ok"}


def _database(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def _broker(settings: Settings) -> None:
    if settings.broker_url:
        import redis  # late: only a service with a broker needs it

        client = redis.Redis.from_url(
            settings.broker_url, socket_connect_timeout=CHECK_SECONDS, socket_timeout=CHECK_SECONDS
        )
        try:
            client.ping()
        finally:
            client.close()
        return
    folder = settings.queue_file.parent
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=folder):
        pass


async def _check(name: str, probe: Callable[[], None]) -> str | None:
    """None if the probe passed within the time, else why not (a short line, no secrets)."""
    try:
        await asyncio.wait_for(run_in_threadpool(probe), CHECK_SECONDS)
    except TimeoutError:
        reason = f"no answer within {CHECK_SECONDS:g} s"
    except Exception as error:  # noqa: BLE001 - any failure of the probe is the check's failure
        reason = type(error).__name__
    else:
        return None
    log.warning("readiness check %s failed: %s", name, reason)
    return reason


@router.get("/readyz", response_model=None)
async def readyz(request: Request) -> dict[str, Any] | JSONResponse:
    """Ready to serve: the database answers `SELECT 1` and the planning queue's broker is reachable."""
    settings: Settings = request.app.state.settings
    engine: Engine = request.app.state.engine
    failures = {
        "database": await _check("database", lambda: _database(engine)),
        "broker": await _check("broker", lambda: _broker(settings)),
    }
    checks = {name: "ok" if reason is None else f"failed: {reason}" for name, reason in failures.items()}
    failed = [name for name, reason in failures.items() if reason is not None]
    if not failed:
        return {"status": "ready", "checks": checks}
    return problem_answer(
        request,
        503,
        f"not ready: the {' and the '.join(failed)} check{'s' if len(failed) > 1 else ''} failed",
        "Service unavailable",
        headers={"Retry-After": RETRY_AFTER},
        checks=checks,
        failed=failed,
    )
