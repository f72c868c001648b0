"""What a planning worker does with a run: the task code, the same on every queue.

A run's first task (`plan_run`) takes the run from the queue (`runs.claim`) and either
plans it whole, or, when the solver is the real one and the problem falls apart into
independent parts (`solver.split`), stores the parts and hands them back to be queued as
tasks of their own (`plan_part`); when the last part is done, `merge_parts` makes the
run's plan (`solver.merge`) and stores the draft. While a task works, a beat thread
writes its progress and heartbeat about twice a second and stops the solve when the run
was cancelled (by any web process) or the worker is stopping.

A task never raises: how a run ended is stored on the run, never lost in a worker.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select

import solver
from scheduler.contract import Plan, Problem
from scheduler.services.clock import SYSTEM_CLOCK, Clock
from scheduler.services.planning import runs
from scheduler.services.planning.flow import Solve, end_run, store_draft
from scheduler.storage.database import session_scope
from scheduler.storage.models import PlanningPart, PlanningRun

__all__ = ["STOPPING", "RunTask", "failed", "merge_parts", "plan_part", "plan_run", "worker_name"]

log = logging.getLogger("tarjotin.worker")

BEAT_EVERY = 0.5
STOPPED = "interrupted: the worker stopped"
REAL_SOLVER = "solver:solve"
STOPPING = threading.Event()
"""Set when the worker process is asked to stop: a run it plans stops and is stored as failed."""
ACTIVITY = {"working": 0, "since": time.monotonic()}
"""How many tasks this process is working on, and since when it has worked on none (the local worker
stops when idle for long; the service starts it again for the next run)."""


@dataclass(frozen=True)
class RunTask:
    """What the queue carries for a run: its id, the coordinator's options and who asked (all picklable)."""

    run_id: int
    ticket: str
    """The run's ticket (`PlanningRun.ticket`): a message for another run of the same id is ignored."""
    actor: str
    time_limit: float = 20.0
    seed: int = 0
    solve_path: str = REAL_SOLVER
    """The solve, as `module:function` with `solver.solve`'s shape; a stand-in in tests."""
    clock: Clock = SYSTEM_CLOCK
    split: bool = True
    """Plan a problem's independent parts as tasks of their own (only with the real solver)."""
    workers: int = 2
    """CP-SAT's search workers in each solve."""

    def params(self) -> solver.SolveParams:
        return solver.SolveParams(time_limit=self.time_limit, seed=self.seed, workers=self.workers)

    def solve(self) -> Solve:
        module, _, name = self.solve_path.partition(":")
        found: Solve = getattr(importlib.import_module(module), name)
        return found


def worker_name() -> str:
    """Which worker: host, process and thread."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


@dataclass
class _Beat:
    """The beat thread's state: the solve's observer, and why the solve was stopped."""

    observer: solver.Observer = field(default_factory=solver.Observer)
    began: float = field(default_factory=time.monotonic)
    stop_reason: str | None = None
    cancelled: bool = False

    def progress(self) -> dict[str, Any]:
        latest = self.observer.latest
        report: dict[str, Any] = {"solutions": 0, "objective": None, "bound": None, "area": 0, "areas": 0}
        if latest is not None:
            report = {
                "solutions": latest.solutions,
                "objective": latest.objective,
                "bound": latest.bound,
                "area": latest.area,
                "areas": latest.areas,
            }
        return {**report, "elapsed_seconds": round(time.monotonic() - self.began, 1)}


@contextmanager
def _beating(engine: Engine, run_id: int, part: int | None = None) -> Iterator[_Beat]:
    """Beat for the run while the block works; the observer is cancelled when the run must stop."""
    state, done = _Beat(), threading.Event()

    def loop() -> None:
        while not done.wait(BEAT_EVERY):
            try:
                with session_scope(engine) as session:
                    stop = runs.beat(session, run_id, state.progress(), part)
            except Exception as error:  # noqa: BLE001 - a missed beat is retried; the timeout is generous
                log.warning("could not store the heartbeat of planning run %s: %s", run_id, error)
                continue
            if STOPPING.is_set() and state.stop_reason is None:
                state.stop_reason = STOPPED
                state.observer.cancel()
            elif stop and not state.cancelled:
                state.cancelled = True
                state.observer.cancel()

    thread = threading.Thread(target=loop, name=f"planning-beat-{run_id}", daemon=True)
    ACTIVITY["working"] += 1
    thread.start()
    try:
        yield state
    finally:
        done.set()
        thread.join()
        ACTIVITY["working"] -= 1
        ACTIVITY["since"] = time.monotonic()


def _solve(step: Callable[[solver.Observer], Plan], state: _Beat) -> tuple[Plan | None, str, str | None]:
    """Run a solve; its plan, or how it ended (`cancelled`, `failed` with why)."""
    plan, status, error = None, "failed", None
    try:
        plan, status = step(state.observer), "draft"
    except solver.PlanningCancelled:
        status = "cancelled"
    except solver.PlanningError as problem:
        error = str(problem)
    except Exception as unexpected:  # noqa: BLE001 - stored on the run, never lost in a worker
        log.exception("a planning solve failed")
        error = f"unexpected error: {unexpected}"
    if state.observer.cancelled:
        plan, status, error = None, "failed" if state.stop_reason else "cancelled", state.stop_reason
    return plan, status, error


def _finish(
    engine: Engine,
    task: RunTask,
    problem: Problem,
    ended: tuple[Plan | None, str, str | None],
    progress: dict[str, Any] | None = None,
) -> None:
    """Store how the run ended (`_solve`'s plan, status and error) and its last progress, unless it ended already
    (failed by heartbeat, say)."""
    plan, status, error = ended
    with session_scope(engine) as session:
        run = session.get(PlanningRun, task.run_id, with_for_update=True)
        if run is None or run.status not in runs.ACTIVE:
            log.warning("planning run %s ended meanwhile (%s): its result is dropped", task.run_id, run and run.status)
            return
        if progress is not None:
            run.progress = progress
        if run.status == "cancelling" and plan is not None:
            plan, status, error = None, "cancelled", None
        if plan is not None:
            store_draft(session, run, problem, plan, task.actor, task.clock)
        else:
            end_run(run, status, error, task.clock)
        runs.drop_parts(session, task.run_id)


def failed(engine: Engine, task: RunTask, error: BaseException) -> str:
    """A task broke outside the solve (the database went away, say): its run fails with why, if it can be stored."""
    log.exception("planning run %s: a task failed", task.run_id)
    try:
        with session_scope(engine) as session:
            run = session.get(PlanningRun, task.run_id, with_for_update=True)
            if run is not None and run.status in runs.ACTIVE and run.ticket == task.ticket:
                end_run(run, "failed", f"unexpected error: {error}", task.clock)
                runs.drop_parts(session, task.run_id)
    except Exception:  # noqa: BLE001 - the heartbeat's timeout fails it instead
        log.exception("planning run %s: could not store the failure", task.run_id)
    return "failed"


def plan_run(engine: Engine, task: RunTask, fan_out: Callable[[list[int]], None]) -> str:
    """The run's first task: plan it whole, or store its parts and `fan_out` their numbers; what happened."""
    with session_scope(engine) as session:
        if not runs.claim(session, task.run_id, task.ticket, worker_name()):
            return "skipped"
        problem = Problem.model_validate(
            session.scalar(select(PlanningRun.problem).where(PlanningRun.id == task.run_id))
        )
    solve, params = task.solve(), task.params()
    with _beating(engine, task.run_id) as state:
        parts = _split(problem, params) if task.split and task.solve_path == REAL_SOLVER else []
        if len(parts) < 2:
            ended = _solve(lambda observer: solve(problem, params, observer), state)
    if len(parts) < 2:
        _finish(engine, task, problem, ended, state.progress())
        return ended[1]
    with session_scope(engine) as session:
        if not runs.still_ours(session, task.run_id):
            return "cancelled"
        for number, part in enumerate(parts):
            session.add(
                PlanningPart(
                    run_id=task.run_id,
                    part=number,
                    clients=len(part.problem.clients),
                    status="queued",
                    problem=part.problem.dump(),
                    params=part.params.model_dump(mode="json"),
                )
            )
        run = session.get(PlanningRun, task.run_id)
        assert run is not None
        run.parts = len(parts)
    fan_out(list(range(len(parts))))
    return "split"


def _split(problem: Problem, params: solver.SolveParams) -> list[solver.Part]:
    try:
        return solver.split(problem, params)
    except Exception:  # noqa: BLE001 - the run is then planned whole, as before
        log.exception("could not split a planning problem; planning it whole")
        return []


def plan_part(engine: Engine, task: RunTask, part: int) -> str:
    """One part of a split run: planned with its share of the time limit; its plan stored on the part."""
    with session_scope(engine) as session:
        if not runs.claim(session, task.run_id, task.ticket, worker_name(), part):
            return "skipped"
        row = session.get(PlanningPart, (task.run_id, part))
        assert row is not None
        problem, params = Problem.model_validate(row.problem), solver.SolveParams.model_validate(row.params)
    with _beating(engine, task.run_id, part) as state:
        plan, status, error = _solve(lambda observer: solver.solve(problem, params, observer), state)
    with session_scope(engine) as session:
        row = session.get(PlanningPart, (task.run_id, part))
        if row is None:  # the run ended meanwhile (failed by heartbeat, or another part failed)
            return "skipped"
        row.status = "done" if plan is not None else status
        row.plan = plan.dump() if plan is not None else None
        row.error = error
        if status == "failed" and error is not None:  # the run cannot be whole: the parts still queued skip
            run = session.get(PlanningRun, task.run_id, with_for_update=True)
            if run is not None and run.status in runs.ACTIVE:
                end_run(run, "failed", f"part {part}: {error}", task.clock)
                runs.drop_parts(session, task.run_id)
                return "failed"
        return row.status


def merge_parts(engine: Engine, task: RunTask) -> str:
    """After the last part: the run's plan from its parts' plans, stored as the draft."""
    with session_scope(engine) as session:
        run = session.get(PlanningRun, task.run_id)
        if run is None or run.status not in runs.ACTIVE:
            return "skipped"
        problem = Problem.model_validate(run.problem)
        rows = list(
            session.scalars(select(PlanningPart).where(PlanningPart.run_id == task.run_id).order_by(PlanningPart.part))
        )
        statuses = {row.status for row in rows}
        plans = [Plan.model_validate(row.plan) for row in rows if row.plan is not None]
    if statuses != {"done"}:
        status = "cancelled" if "cancelled" in statuses or "skipped" in statuses else "failed"
        _finish(engine, task, problem, (None, status, None if status == "cancelled" else "a part did not finish"))
        return status
    with _beating(engine, task.run_id) as state:
        ended = _solve(lambda observer: solver.merge(problem, plans, task.params()), state)
    with session_scope(engine) as session:
        progress = runs.parts_progress(session, task.run_id)
    _finish(engine, task, problem, ended, progress)
    return ended[1]
