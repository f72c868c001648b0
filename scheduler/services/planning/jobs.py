"""Planning runs as jobs on the planning queue: the web process's side.

`start` takes the county's planning lock, checks that no run is planning, takes the
snapshot and stores the run (`running`, no worker yet) in one short transaction, then
puts the run's task on the queue (`queue.PlanningQueue`) and answers at once. A worker
process (`tarjotin worker`, or with no broker the local worker this service starts) plans
it (`execute`); progress, heartbeat, cancel and the result go through the run's row
(`runs`), so any web process answers for any run. A run whose worker died fails by its
heartbeat (`runs.reap_stale`), never because another process started.
"""

from __future__ import annotations

import atexit
import logging
import time
import uuid
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from scheduler.services.clock import SYSTEM_CLOCK, Clock
from scheduler.services.planning import runs
from scheduler.services.planning.execute import STOPPED, RunTask
from scheduler.services.planning.flow import Solve, open_run, take_snapshot
from scheduler.services.planning.queue import PlanningQueue, planning_queue
from scheduler.services.planning.runs import ACTIVE, NotRunning, PlanningBusy
from scheduler.services.planning.worker import LocalWorker
from scheduler.settings import Settings
from scheduler.storage.database import session_scope
from scheduler.storage.models import PlanningRun

__all__ = ["ACTIVE", "JobOptions", "NotRunning", "PlanningBusy", "PlanningJobs", "STOPPED", "Solve"]

log = logging.getLogger("tarjotin.jobs")


@dataclass(frozen=True)
class JobOptions:
    """What a coordinator chooses for a run."""

    time_limit: float = 20.0
    allow_moves: bool = False
    seed: int = 0
    policy: Mapping[str, Any] | None = None
    """The policy fields chosen for this run (preset, weights, leader reach); the county's otherwise."""
    workers: int = 2
    """CP-SAT's search workers in each solve (`solver.SolveParams.workers`)."""


def _solver_path(solve: Solve | str) -> str:
    """A solve as the queue names it: `module:function` (a worker imports it)."""
    if isinstance(solve, str):
        return solve
    path = f"{solve.__module__}:{solve.__qualname__}"
    if "<" in path or "." in solve.__qualname__:
        raise ValueError(f"a planning solve must be a module-level function a worker can import, not {path}")
    return path


class PlanningJobs:
    """The service's planning runs: started on the queue, cancelled through the database."""

    def __init__(
        self,
        engine: Engine,
        solve: Solve | str | None = None,
        clock: Clock = SYSTEM_CLOCK,
        settings: Settings | None = None,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self.settings = settings or Settings(database_url=engine.url.render_as_string(hide_password=False))
        self._solver = _solver_path(solve if solve is not None else self.settings.planning_solver)
        self._timeout = self.settings.heartbeat_timeout_seconds
        self.queue: PlanningQueue = planning_queue(self.settings)
        self._local = LocalWorker(self.settings) if self.queue.embedded else None
        self._last: int | None = None
        _RUNNERS.add(self)

    def recover(self) -> list[int]:
        """Runs whose worker stopped beating become failed; returns their ids (runs other workers plan go on).
        With the embedded queue, a run still waiting for a worker gets the local one (started again if it had
        stopped, idle, just as the run was queued)."""
        try:
            with session_scope(self._engine) as session:
                failed = runs.reap_stale(session, self._timeout, self._clock.now())
                waiting = session.scalar(
                    select(PlanningRun.id).where(PlanningRun.status.in_(ACTIVE), PlanningRun.worker.is_(None)).limit(1)
                )
        except SQLAlchemyError as error:
            log.warning("could not look for interrupted planning runs: %s", error)
            return []
        if waiting is not None and self._local is not None:
            self._local.ensure()
        return failed

    def start(self, options: JobOptions, actor: str) -> int:
        """Store a run over a snapshot of the database and queue it; one run at a time, under the county's lock."""
        ticket = uuid.uuid4().hex
        with session_scope(self._engine) as session:
            runs.lock_county(session)
            runs.reap_stale(session, self._timeout, self._clock.now())
            busy = session.scalar(select(PlanningRun.id).where(PlanningRun.status.in_(ACTIVE)).limit(1))
            if busy is not None:
                raise PlanningBusy(busy)
            taken = take_snapshot(session, options.allow_moves, options.policy, self._clock.today())
            run = open_run(session, taken, status="running")
            run.ticket = ticket
            run.progress = {"solutions": 0, "objective": None, "bound": None, "area": 0, "areas": 0}
            run_id = run.id
        task = RunTask(
            run_id, ticket, actor, options.time_limit, options.seed, self._solver, self._clock, workers=options.workers
        )
        try:
            self.queue.enqueue(task)
        except Exception as error:  # the broker is down: the run cannot be planned, and says why
            log.exception("could not queue planning run %s", run_id)
            with session_scope(self._engine) as session:
                stored = session.get(PlanningRun, run_id)
                if stored is not None:
                    stored.status, stored.error = "failed", f"could not reach the planning queue: {error}"
                    stored.finished_at = self._clock.now()
            raise
        if self._local is not None:
            self._local.ensure()
        self._last = run_id
        return run_id

    def wake(self) -> None:
        """With the embedded queue, make sure the local worker runs (for a task just queued)."""
        if self._local is not None:
            self._local.ensure()

    def cancel(self, run_id: int, actor: str) -> str:
        """Ask a run to stop: cancelled at once while it waits, else `cancelling` until its worker stops it."""
        with session_scope(self._engine) as session:
            return runs.request_cancel(session, run_id, actor, self._clock.now())

    def running(self) -> int | None:
        """The id of the run planning now, if any (in any process)."""
        with session_scope(self._engine) as session:
            runs.reap_stale(session, self._timeout, self._clock.now())
            return session.scalar(select(PlanningRun.id).where(PlanningRun.status.in_(ACTIVE)).limit(1))

    def wait(self, timeout: float | None = None, run_id: int | None = None) -> bool:
        """Wait for a run (the last this service started) to end; whether it has."""
        wanted = run_id if run_id is not None else self._last
        if wanted is None:
            return True
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with session_scope(self._engine) as session:
                runs.reap_stale(session, self._timeout, self._clock.now())
                status = session.scalar(select(PlanningRun.status).where(PlanningRun.id == wanted))
            if status not in ACTIVE:
                return True
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.1)

    def shutdown(self, timeout: float = 15.0) -> None:
        """The service stops: its local worker stops too, and a run it plans is stored as failed."""
        if self._local is not None:
            self._local.stop(timeout)


_RUNNERS: weakref.WeakSet[PlanningJobs] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    """When Python exits, the local workers stop first: CP-SAT is never cut off mid-search."""
    for jobs in list(_RUNNERS):
        jobs.shutdown(timeout=10)
