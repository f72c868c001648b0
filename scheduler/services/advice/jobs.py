"""Advice and what-ifs as background jobs on the planning queue, and what they show while they run.

`AdviceJobs` stores an advice job or a what-if and queues it (`scheduler.services.advice.tasks`);
the web processes read their state from the database. Advice is anytime: its state holds the
best changes verified so far. A job whose worker stopped beating (it was killed) is failed
when read, as planning runs are.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.contract import Problem, trimmed
from scheduler.contract.advice import Advice, AdviceItem, WhatIfDiff
from scheduler.contract.errors import Conflict, Invalid, NotFound
from scheduler.contract.whatif import Change, apply_changes
from scheduler.services.advice.advise import AdviceParams, Tally, advice_of
from scheduler.services.advice.runs import planned_run
from scheduler.services.advice.tasks import ADVICE_ACTIVE, WHATIF_ACTIVE, WHATIF_SECONDS, aware, change_list, params_of
from scheduler.services.planning.jobs import PlanningJobs
from scheduler.storage.database import session_scope
from scheduler.storage.models import AdviceCandidate, AdviceRun, AuditEntry, PlanningRun, WhatIf

__all__ = ["AdviceJobs", "AdviceState", "WhatIfState"]

STALE_AFTER = 30.0
"""Seconds beyond a task's own time limit after which a job whose worker said nothing is failed."""
WORKER_STOPPED = "interrupted: the worker stopped"
NAME_LENGTH = 200


def _now() -> datetime:
    return datetime.now(UTC)


class AdviceState(BaseModel):
    """An advice job: how far it has got, and the best changes verified so far."""

    id: int
    run_id: int
    status: str
    created_at: datetime
    finished_at: datetime | None = None
    candidates: int = 0
    screened_out: int = 0
    verified: int = 0
    pruned: int = 0
    waiting: int = 0
    """Candidates queued or being verified."""
    advice: Advice | None = None
    error: str | None = None

    @property
    def active(self) -> bool:
        return self.status in ADVICE_ACTIVE


class WhatIfState(BaseModel):
    """A saved what-if: its changes and, once planned, what they bring."""

    id: int
    name: str
    run_id: int
    changes: list[Change]
    status: str
    created_at: datetime
    finished_at: datetime | None = None
    diff: WhatIfDiff | None = None
    error: str | None = None

    @property
    def active(self) -> bool:
        return self.status in WHATIF_ACTIVE


def _planned_run(session: Session, run_id: int) -> PlanningRun:
    return planned_run(session, str(run_id))


def _stale(beat: datetime | None, limit: float) -> bool:
    beat = aware(beat)
    return beat is not None and _now() - beat > timedelta(seconds=limit + STALE_AFTER)


class AdviceJobs:
    """The service's advice jobs and what-ifs, queued on the planning queue of `jobs`."""

    def __init__(self, engine: Engine, jobs: PlanningJobs) -> None:
        self._engine = engine
        self._jobs = jobs

    # --- advice -------------------------------------------------------------------------------------------------

    def start_advice(self, run_id: int, actor: str, params: AdviceParams) -> int:
        """Store an advice job on the run's plan and queue it."""
        with session_scope(self._engine) as session:
            _planned_run(session, run_id)
            row = AdviceRun(
                run_id=run_id, created_by=actor[:200], status="queued", params=params.__dict__, created_at=_now()
            )
            session.add(row)
            session.flush()
            advice_id = row.id
            session.add(AuditEntry(at=_now(), actor=actor[:200], action="advise", entity="plan", entity_id=str(run_id)))
        self._queue("prepare_advice", advice_id, failed=lambda s, e: self._advice_failed(s, advice_id, e))
        return advice_id

    def _queue(self, task: str, key: int, failed: Any) -> None:
        try:
            self._jobs.queue.tasks[task](key)
        except Exception as error:
            with session_scope(self._engine) as session:
                failed(session, f"could not reach the planning queue: {error}")
            raise
        self._jobs.wake()

    @staticmethod
    def _advice_failed(session: Session, advice_id: int, error: str) -> None:
        row = session.get(AdviceRun, advice_id)
        if row is not None:
            row.status, row.error, row.finished_at = "failed", error, _now()

    def stop_advice(self, advice_id: int, actor: str) -> AdviceState:
        """Stop the advice: what is verified stays, a queued candidate is not re-planned, a running one ends."""
        with session_scope(self._engine) as session:
            row = session.get(AdviceRun, advice_id, with_for_update=True)
            if row is None:
                raise NotFound(f"no advice {advice_id}")
            if row.status in ("queued", "preparing", "verifying"):
                session.add(
                    AuditEntry(at=_now(), actor=actor[:200], action="stop", entity="advice", entity_id=str(advice_id))
                )
                row.status = "stopped" if row.status == "queued" else "stopping"
            if row.status == "stopping" and row.fixed is not None:
                cands = list(session.scalars(select(AdviceCandidate).where(AdviceCandidate.advice_id == advice_id)))
                for cand in cands:
                    if cand.status == "queued":
                        cand.status = "skipped"
                if not any(c.status == "running" for c in cands):
                    row.status = "stopped"
            if row.status == "stopped" and row.finished_at is None:
                row.finished_at = _now()
        return self.advice_state(advice_id)

    def advice_state(self, advice_id: int) -> AdviceState:
        """The advice as it stands (the best verified so far while it runs)."""
        with session_scope(self._engine) as session:
            row = session.get(AdviceRun, advice_id)
            if row is None:
                raise NotFound(f"no advice {advice_id}")
            params = params_of(row)
            cands = list(session.scalars(select(AdviceCandidate).where(AdviceCandidate.advice_id == advice_id)))
            working = row.status == "preparing" or any(c.status == "running" for c in cands)
            if working and _stale(row.heartbeat_at, params.replan_seconds * 3):  # queued tasks wait, never stale
                row.status, row.error, row.finished_at = "failed", WORKER_STOPPED, _now()
                for cand in cands:
                    if cand.status in ("queued", "running"):
                        cand.status = "skipped"
            counts: dict[str, int] = {}
            for cand in cands:
                counts[cand.status] = counts.get(cand.status, 0) + 1
            items = [AdviceItem.model_validate(c.item) for c in cands if c.item is not None]
            summary = row.summary or {}
            advice = None
            if row.base is not None:
                ended = row.finished_at or _now()
                began = aware(row.started_at) or aware(row.created_at) or _now()
                status = {"complete": "complete", "stopped": "stopped", "failed": "stopped"}.get(row.status, "running")
                base = row.base or {}
                tally = Tally(
                    base_placed=len({c for g in base.get("groups", []) for c in g.get("participants", [])}),
                    unplaced=int(summary.get("unplaced", 0)),
                    waiting=len(summary.get("waiting", [])),
                    candidates=int(summary.get("candidates", 0)),
                    screened_out=int(summary.get("screened_out", 0)),
                    pruned=counts.get("pruned", 0),
                )
                advice = advice_of(tally, items, params.top, status, ((aware(ended) or _now()) - began).total_seconds())
            return AdviceState(
                id=row.id,
                run_id=row.run_id,
                status=row.status,
                created_at=aware(row.created_at) or _now(),
                finished_at=aware(row.finished_at),
                candidates=int(summary.get("candidates", 0)),
                screened_out=int(summary.get("screened_out", 0)),
                verified=len(items),
                pruned=counts.get("pruned", 0),
                waiting=counts.get("queued", 0) + counts.get("running", 0),
                advice=advice,
                error=row.error,
            )

    def latest_advice(self, run_id: int) -> int | None:
        with session_scope(self._engine) as session:
            found: int | None = session.scalar(
                select(AdviceRun.id).where(AdviceRun.run_id == run_id).order_by(AdviceRun.id.desc()).limit(1)
            )
            return found

    def wait_advice(self, advice_id: int, timeout: float | None = None) -> bool:
        """Wait for the advice to end; whether it has."""
        return self._wait(lambda: self.advice_state(advice_id).active, timeout)

    @staticmethod
    def _wait(active: Any, timeout: float | None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while active():
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.2)
        return True

    # --- what-ifs -----------------------------------------------------------------------------------------------

    def create_whatif(self, run_id: int, name: str, changes: list[Change], actor: str) -> int:
        """Save a named what-if on the run's plan and queue its planning; each faulty change is named."""
        checked = trimmed(name)
        if not checked:
            raise Invalid.of("name", "must not be blank")
        if len(checked) > NAME_LENGTH:
            raise Invalid.of("name", f"must be at most {NAME_LENGTH} characters")
        if not changes:
            raise Invalid.of("changes", "state at least one change")
        try:
            with session_scope(self._engine) as session:
                run = _planned_run(session, run_id)
                apply_changes(Problem.model_validate(run.problem), changes)
                row = WhatIf(
                    name=checked,
                    run_id=run_id,
                    changes=[c.model_dump(mode="json") for c in changes],
                    status="queued",
                    created_by=actor[:200],
                    created_at=_now(),
                )
                session.add(row)
                session.flush()
                whatif_id = row.id
                session.add(
                    AuditEntry(at=_now(), actor=actor[:200], action="create", entity="whatif", entity_id=str(whatif_id))
                )
        except IntegrityError as error:
            raise Conflict(f"a what-if named {name.strip()!r} exists already: choose another name") from error
        self._queue("plan_whatif", whatif_id, failed=lambda s, e: self._whatif_failed(s, whatif_id, e))
        return whatif_id

    @staticmethod
    def _whatif_failed(session: Session, whatif_id: int, error: str) -> None:
        row = session.get(WhatIf, whatif_id)
        if row is not None:
            row.status, row.error, row.finished_at = "failed", error, _now()

    def _whatif_of(self, row: WhatIf) -> WhatIfState:
        if row.status in WHATIF_ACTIVE and row.worker is not None and _stale(row.heartbeat_at, WHATIF_SECONDS * 2):
            row.status, row.error, row.finished_at = "failed", WORKER_STOPPED, _now()
        return WhatIfState(
            id=row.id,
            name=row.name,
            run_id=row.run_id,
            changes=change_list(row.changes),
            status=row.status,
            created_at=aware(row.created_at) or _now(),
            finished_at=aware(row.finished_at),
            diff=None if row.diff is None else WhatIfDiff.model_validate(row.diff),
            error=row.error,
        )

    def whatif_state(self, whatif_id: int) -> WhatIfState:
        with session_scope(self._engine) as session:
            row = session.get(WhatIf, whatif_id)
            if row is None:
                raise NotFound(f"no what-if {whatif_id}")
            return self._whatif_of(row)

    def list_whatifs(self, run_id: int | None = None) -> list[WhatIfState]:
        """The saved what-ifs, newest first (of one run, if named)."""
        with session_scope(self._engine) as session:
            query = select(WhatIf).order_by(WhatIf.id.desc())
            if run_id is not None:
                query = query.where(WhatIf.run_id == run_id)
            return [self._whatif_of(row) for row in session.scalars(query)]

    def delete_whatif(self, whatif_id: int, actor: str) -> None:
        with session_scope(self._engine) as session:
            row = session.get(WhatIf, whatif_id)
            if row is None:
                raise NotFound(f"no what-if {whatif_id}")
            session.delete(row)
            session.add(
                AuditEntry(at=_now(), actor=actor[:200], action="delete", entity="whatif", entity_id=str(whatif_id))
            )

    def wait_whatif(self, whatif_id: int, timeout: float | None = None) -> bool:
        return self._wait(lambda: self.whatif_state(whatif_id).active, timeout)
