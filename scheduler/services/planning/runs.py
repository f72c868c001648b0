"""A planning run's life in the database, whichever process touches it.

Everything that several processes must agree on goes through the run's row, so any web
process answers for any run and any worker can plan it:

- `open_queued`: the county's planning lock (`PlanningLock`, one row per county: an
  UPDATE of it is a row lock on PostgreSQL and the write lock on SQLite, held until the
  transaction ends), then "one run at a time" is checked and the run stored, `running`
  with no worker yet. Two starts at once take turns; the second sees the first's run.
- `claim`: a worker takes the run (or one of its parts) with a conditional update, so a
  run is planned once, and a run cancelled while it waited is never planned.
- `beat`: the worker's heartbeat, written with the progress about twice a second. It
  answers whether a cancel was asked for (`cancelling`), so a cancel reaches the worker
  wherever it runs.
- `reap_stale`: a run whose worker has not beaten for `HEARTBEAT_TIMEOUT` seconds failed
  (its worker died). Web processes reap when they read or start runs, workers every beat.
- `request_cancel`: a run waiting in the queue is cancelled at once; a run being planned
  becomes `cancelling`, and its worker stops it within a beat.

Heartbeats are system time (UTC), never a test clock: they measure whether a process is
alive, not the planning day.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.contract.errors import Conflict, NotFound
from scheduler.services.erasure import BUSY
from scheduler.storage.models import AuditEntry, PlanningLock, PlanningPart, PlanningRun

__all__ = [
    "ACTIVE",
    "COUNTY",
    "HEARTBEAT_TIMEOUT",
    "NotRunning",
    "PlanningBusy",
    "beat",
    "claim",
    "drop_parts",
    "lock_county",
    "reap_stale",
    "request_cancel",
    "still_ours",
]

ACTIVE = BUSY
"""A run planning or waiting for a worker (the statuses erasure and retention leave alone)."""
COUNTY = "county"
"""The lock's key: a database holds one county's planning, so it has one lock row."""
HEARTBEAT_TIMEOUT = 15.0
"""Seconds without a heartbeat after which a run's worker counts as dead (it beats every half second)."""
DIED = "interrupted: the worker planning it stopped answering (no heartbeat for {seconds:.0f} s)"


class PlanningBusy(Conflict):
    """Another run is still planning: only one plans at a time."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"planning run {run_id} is still running: wait for it to finish or cancel it")
        self.run_id = run_id


class NotRunning(Conflict):
    """The run has finished, so there is nothing to cancel."""


def utc_now() -> datetime:
    """System time for heartbeats (never a test clock)."""
    return datetime.now(UTC)


def lock_county(session: Session, county: str = COUNTY) -> None:
    """Hold the county's planning lock until the transaction ends (the row is made if it is missing)."""
    for _ in range(2):
        held = session.execute(
            update(PlanningLock).where(PlanningLock.county == county).values(run_id=PlanningLock.run_id)
        ).rowcount  # type: ignore[attr-defined]
        if held:
            return
        try:
            with session.begin_nested():  # two first starts at once: one makes the row, the other locks it
                session.add(PlanningLock(county=county))
            return
        except IntegrityError:
            continue


def reap_stale(session: Session, timeout: float = HEARTBEAT_TIMEOUT, finished: datetime | None = None) -> list[int]:
    """Runs whose worker stopped beating become failed; returns their ids.

    `finished`: when the run counts as ended (the caller's clock); the heartbeat is compared with system time."""
    cutoff = utc_now() - timedelta(seconds=timeout)
    stale = select(PlanningRun.id).where(
        PlanningRun.status.in_(ACTIVE), PlanningRun.worker.is_not(None), PlanningRun.heartbeat_at < cutoff
    )
    ids = list(session.scalars(stale))
    if ids:
        session.execute(
            update(PlanningRun)
            .where(PlanningRun.id.in_(ids), PlanningRun.status.in_(ACTIVE))
            .values(status="failed", error=DIED.format(seconds=timeout), finished_at=finished or utc_now())
        )
        session.execute(delete(PlanningPart).where(PlanningPart.run_id.in_(ids)))
    return ids


def drop_parts(session: Session, run_id: int) -> None:
    """A run that ended keeps no parts: their problems and plans are every client's data again (erasure and
    retention look at the run's own problem and plan only)."""
    session.execute(delete(PlanningPart).where(PlanningPart.run_id == run_id))


def claim(session: Session, run_id: int, ticket: str, worker: str, part: int | None = None) -> bool:
    """The worker takes the run (or one of its parts) to plan; false when it was cancelled or taken already,
    or the message is not the run's (its ticket differs: a stale message from another database's run)."""
    now = utc_now()
    if part is None:
        taken = session.execute(
            update(PlanningRun)
            .where(
                PlanningRun.id == run_id,
                PlanningRun.ticket == ticket,
                PlanningRun.status == "running",
                PlanningRun.worker.is_(None),
            )
            .values(worker=worker, heartbeat_at=now)
        ).rowcount  # type: ignore[attr-defined]
        return bool(taken)
    if not still_ours(session, run_id) or session.get(PlanningRun, run_id).ticket != ticket:  # type: ignore[union-attr]
        return False
    taken = session.execute(
        update(PlanningPart)
        .where(PlanningPart.run_id == run_id, PlanningPart.part == part, PlanningPart.status == "queued")
        .values(status="running", worker=worker)
    ).rowcount  # type: ignore[attr-defined]
    if taken:
        session.execute(update(PlanningRun).where(PlanningRun.id == run_id).values(heartbeat_at=now))
    return bool(taken)


def still_ours(session: Session, run_id: int) -> bool:
    """Whether the run is still planning (not cancelled, failed by heartbeat or finished meanwhile)."""
    return session.scalar(select(PlanningRun.status).where(PlanningRun.id == run_id)) == "running"


def beat(session: Session, run_id: int, progress: dict[str, Any], part: int | None = None) -> bool:
    """The worker's heartbeat with its latest progress; whether the run should stop (cancel asked, or it ended)."""
    session.execute(
        update(PlanningRun)
        .where(PlanningRun.id == run_id, PlanningRun.status.in_(ACTIVE))
        .values(heartbeat_at=utc_now(), **({"progress": progress} if part is None else {}))
    )
    if part is not None:
        session.execute(
            update(PlanningPart)
            .where(PlanningPart.run_id == run_id, PlanningPart.part == part)
            .values(progress=progress)
        )
        session.execute(
            update(PlanningRun)
            .where(PlanningRun.id == run_id, PlanningRun.status.in_(ACTIVE))
            .values(progress=parts_progress(session, run_id))
        )
    return not still_ours(session, run_id)


def parts_progress(session: Session, run_id: int) -> dict[str, Any]:
    """A split run's progress: its parts' reports summed (parts done, solutions, objective, bound)."""
    rows = session.execute(
        select(PlanningPart.status, PlanningPart.progress).where(PlanningPart.run_id == run_id)
    ).all()
    reports = [progress or {} for _, progress in rows]

    def total(key: str) -> float | None:
        values = [r.get(key) for r in reports]
        return None if any(v is None for v in values) else round(sum(float(v) for v in values if v is not None), 1)

    return {
        "solutions": sum(int(r.get("solutions") or 0) for r in reports),
        "objective": total("objective"),
        "bound": total("bound"),
        "area": sum(1 for status, _ in rows if status == "done"),
        "areas": len(rows),
        "elapsed_seconds": max((float(r.get("elapsed_seconds") or 0) for r in reports), default=0.0),
    }


def request_cancel(session: Session, run_id: int, actor: str, finished: datetime) -> str:
    """Cancel a run: at once while it waits in the queue, else through its worker; its new status."""
    status, worker = session.execute(
        select(PlanningRun.status, PlanningRun.worker).where(PlanningRun.id == run_id)
    ).one_or_none() or (None, None)
    if status is None:
        raise NotFound(f"no planning run {run_id}")
    if status not in ACTIVE:
        raise NotRunning(f"run {run_id} is {status}: there is nothing to cancel")
    waiting = PlanningRun.worker.is_(None) if worker is None else PlanningRun.worker == worker
    new = "cancelled" if worker is None else "cancelling"
    values: dict[str, Any] = {"status": new, **({"finished_at": finished} if worker is None else {})}
    changed = session.execute(
        update(PlanningRun).where(PlanningRun.id == run_id, PlanningRun.status.in_(ACTIVE), waiting).values(**values)
    ).rowcount  # type: ignore[attr-defined]
    if not changed:  # a worker took it (or it ended) between the read and the update: ask again
        return request_cancel(session, run_id, actor, finished)
    session.add(AuditEntry(actor=actor, action="cancel", entity="planning_run", entity_id=str(run_id)))
    return new
