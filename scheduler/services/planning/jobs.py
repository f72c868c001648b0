"""Planning runs as background jobs: one at a time, watched while they plan, cancellable.

The steps are the shared planning flow (`scheduler.services.planning.flow`), taken
apart: `start` takes the snapshot and opens a run with status `running` in one short
transaction and answers at once; a daemon thread then solves outside any transaction,
a second thread writes the solve's progress to the run about twice a second, and the
run ends as a `draft` (`store_draft`: plan, metrics, diff), `failed` (with the error) or
`cancelled` (`end_run`). A run whose process died while it planned is marked failed
when the service starts. When a run ends is read from the jobs' clock.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import SQLAlchemyError

import solver
from scheduler.contract import Plan, Problem
from scheduler.contract.errors import Conflict, NotFound
from scheduler.services.clock import SYSTEM_CLOCK, Clock
from scheduler.services.planning.flow import Solve, end_run, open_run, store_draft, take_snapshot, with_params
from scheduler.storage.database import session_scope
from scheduler.storage.models import AuditEntry, PlanningRun

__all__ = ["ACTIVE", "JobOptions", "NotRunning", "PlanningBusy", "PlanningJobs", "RESTARTED", "Solve"]

log = logging.getLogger("tarjotin.jobs")

ACTIVE = ("running", "cancelling")
RESTARTED = "interrupted: the service restarted"
STOPPED = "interrupted: the service stopped"
WRITE_EVERY = 0.5


class PlanningBusy(Conflict):
    """Another run is still planning: only one plans at a time."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"planning run {run_id} is still running: wait for it to finish or cancel it")
        self.run_id = run_id


class NotRunning(Conflict):
    """The run is not planning in this service, so there is nothing to cancel."""


@dataclass(frozen=True)
class JobOptions:
    """What a coordinator chooses for a run."""

    time_limit: float = 20.0
    allow_moves: bool = False
    seed: int = 0
    policy: Mapping[str, Any] | None = None
    """The policy fields chosen for this run (preset, weights, leader reach); the county's otherwise."""


@dataclass
class _Job:
    run_id: int
    problem: Problem
    options: JobOptions
    actor: str
    observer: solver.Observer = field(default_factory=solver.Observer)
    began: float = field(default_factory=time.monotonic)
    done: threading.Event = field(default_factory=threading.Event)
    stop_reason: str | None = None

    def progress(self) -> dict[str, Any]:
        """The latest report, with the time since the run began."""
        latest = self.observer.latest
        report: dict[str, int | float | None] = {
            "solutions": 0,
            "objective": None,
            "bound": None,
            "area": 0,
            "areas": 0,
        }
        if latest is not None:
            report = {
                "solutions": latest.solutions,
                "objective": latest.objective,
                "bound": latest.bound,
                "area": latest.area,
                "areas": latest.areas,
            }
        return {**report, "elapsed_seconds": round(time.monotonic() - self.began, 1)}


class PlanningJobs:
    """The service's planning runner: starts runs in the background and cancels them."""

    def __init__(self, engine: Engine, solve: Solve = solver.solve, clock: Clock = SYSTEM_CLOCK) -> None:
        self._engine = engine
        self._solve = solve
        self._clock = clock
        self._lock = threading.Lock()
        self._job: _Job | None = None
        self._thread: threading.Thread | None = None
        _RUNNERS.add(self)

    def recover(self) -> list[int]:
        """Runs left planning by a process that died become failed; returns their ids."""
        try:
            with session_scope(self._engine) as session:
                ours = [self._job.run_id] if self._job is not None else []
                left = select(PlanningRun.id).where(PlanningRun.status.in_(ACTIVE), PlanningRun.id.not_in(ours))
                ids = list(session.scalars(left))
                session.execute(
                    update(PlanningRun)
                    .where(PlanningRun.id.in_(ids))
                    .values(status="failed", error=RESTARTED, finished_at=self._clock.now())
                )
        except SQLAlchemyError as error:
            log.warning("could not look for interrupted planning runs: %s", error)
            return []
        return ids

    def start(self, options: JobOptions, actor: str) -> int:
        """Store a running run over a snapshot of the database and plan it in the background."""
        with self._lock:
            if self._job is not None:
                raise PlanningBusy(self._job.run_id)
            with session_scope(self._engine) as session:
                busy = session.scalar(select(PlanningRun.id).where(PlanningRun.status.in_(ACTIVE)).limit(1))
                if busy is not None:
                    raise PlanningBusy(busy)
                taken = take_snapshot(session, options.allow_moves, options.policy, self._clock.today())
                run = open_run(session, taken, status="running")
                job = _Job(run.id, taken.problem, options, actor)
                run.progress = job.progress()
            self._job = job
            name = f"planning-run-{job.run_id}"
            self._thread = threading.Thread(target=self._run, args=(job,), name=name, daemon=True)
            self._thread.start()
        return job.run_id

    def cancel(self, run_id: int, actor: str) -> None:
        """Ask a planning run to stop; its status becomes `cancelling`, then `cancelled`."""
        with self._lock:
            job = self._job if self._job is not None and self._job.run_id == run_id else None
            if job is not None:
                job.observer.cancel()
            with session_scope(self._engine) as session:
                status = session.scalar(select(PlanningRun.status).where(PlanningRun.id == run_id))
                if status is None:
                    raise NotFound(f"no planning run {run_id}")
                if job is None or status not in ACTIVE:
                    where = "in another process of the service" if status in ACTIVE else "finished"
                    raise NotRunning(f"run {run_id} is {status} ({where}): there is nothing to cancel here")
                session.execute(update(PlanningRun).where(PlanningRun.id == run_id).values(status="cancelling"))
                session.add(AuditEntry(actor=actor, action="cancel", entity="planning_run", entity_id=str(run_id)))

    def running(self) -> int | None:
        """The id of the run planning now, if any."""
        job = self._job
        return job.run_id if job is not None else None

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the current run to finish; whether none is left running."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return thread is None or not thread.is_alive()

    def shutdown(self, timeout: float = 10.0) -> None:
        """The service stops: a planning run stops too and is stored as failed."""
        job = self._job
        if job is not None:
            job.stop_reason = STOPPED
            job.observer.cancel()
        self.wait(timeout)

    def _run(self, job: _Job) -> None:
        """The job thread: solve, then store how it ended."""
        writer = threading.Thread(target=self._write_progress, args=(job,), name="planning-progress", daemon=True)
        writer.start()
        plan, status, error = None, "failed", None
        try:
            params = solver.SolveParams(time_limit=job.options.time_limit, seed=job.options.seed)
            plan, status = with_params(self._solve, params)(job.problem, job.observer), "draft"
        except solver.PlanningCancelled:
            status = "cancelled"
        except solver.PlanningError as problem:
            error = str(problem)
        except Exception as unexpected:  # noqa: BLE001 - stored on the run, never lost in a thread
            log.exception("planning run %s failed", job.run_id)
            error = f"unexpected error: {unexpected}"
        finally:
            job.done.set()
            writer.join()
        if job.observer.cancelled:
            plan, status, error = None, "failed" if job.stop_reason else "cancelled", job.stop_reason
        with self._lock:  # a cancel either comes before the run's end is stored or sees it finished
            self._finish(job, plan, status, error)
            self._job = None

    def _finish(self, job: _Job, plan: Plan | None, status: str, error: str | None) -> None:
        try:
            with session_scope(self._engine) as session:
                run = session.get(PlanningRun, job.run_id)
                assert run is not None
                run.progress = job.progress()
                if plan is not None:
                    store_draft(session, run, job.problem, plan, job.actor, self._clock)
                else:
                    end_run(run, status, error, self._clock)
        except SQLAlchemyError:
            log.exception("could not store how planning run %s ended", job.run_id)

    def _write_progress(self, job: _Job) -> None:
        """The progress thread: the latest report into the run, about twice a second."""
        while not job.done.wait(WRITE_EVERY):
            try:
                with session_scope(self._engine) as session:
                    this_run = PlanningRun.id == job.run_id
                    session.execute(update(PlanningRun).where(this_run).values(progress=job.progress()))
            except SQLAlchemyError as error:
                log.warning("could not store the progress of planning run %s: %s", job.run_id, error)


_RUNNERS: weakref.WeakSet[PlanningJobs] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    """When Python exits, a run still planning stops first: CP-SAT is never cut off mid-search."""
    for jobs in list(_RUNNERS):
        jobs.shutdown(timeout=5)
