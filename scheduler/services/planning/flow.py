"""One planning flow for the command line and the background jobs.

A weekly plan takes these steps, each a function that both paths call:

1. `take_snapshot`: the database as a problem (running groups with their active
   participants, pinned unless moves are allowed) and the offering version it was read
   on; `open_run` stores a run over it.
2. the solve: a `SolveStep`, `solve(problem, observer) -> Plan`; the observer hears the
   solve's progress and may cancel it (`solver.PlanningCancelled`).
3. `store_draft`: the run becomes a draft with its plan and metrics, and
4. its diff against the running groups (`diff_plan`, a typed `PlanDiff`), audited.
5. publishing the draft: `workflow.publish_run`, for the command line and the API alike.

`plan_run` takes steps 1-4 at once in the caller's transaction (the command line and the
tests). `jobs.PlanningJobs` takes the same steps apart: the snapshot and a `running` run
in one transaction, the solve in a thread outside any, then `store_draft` (or `end_run`:
failed or cancelled) in another. When a run ends is read from the `Clock` given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

import solver
from scheduler.contract import Plan, Problem
from scheduler.services.clock import SYSTEM_CLOCK, Clock
from scheduler.services.erasure import drop_erased
from scheduler.services.planning.diff import PlanDiff, diff_plan
from scheduler.services.planning.policy import with_policy
from scheduler.storage.models import AuditEntry, OfferingVersion, PlanningRun
from scheduler.storage.repository import export_problem

__all__ = [
    "Snapshot",
    "Solve",
    "SolveStep",
    "current_version",
    "end_run",
    "open_run",
    "plan_run",
    "snapshot",
    "store_draft",
    "take_snapshot",
    "with_params",
]

SolveStep = Callable[[Problem, solver.Observer], Plan]
"""The flow's solve: a problem and an observer to a plan (raises on cancel or when no plan can be made)."""

Solve = Callable[[Problem, solver.SolveParams, solver.Observer], Plan]
"""The solver's own shape (`solver.solve`), or a stand-in with it."""


@dataclass(frozen=True)
class Snapshot:
    """The database as a planning problem, and the offering version it was read on."""

    problem: Problem
    based_on_version: int


def current_version(session: Session) -> int:
    """The published offering version (0 before anything is published)."""
    return int(session.scalar(select(func.max(OfferingVersion.id))) or 0)


def snapshot(
    session: Session, allow_moves: bool = False, policy: Mapping[str, Any] | None = None, today: date | None = None
) -> Problem:
    """The database as a planning problem; running groups pinned unless moves are allowed.

    `policy`: the policy fields chosen for this run, in place of the county's (`planning.policy`).
    `today`: the planning day, from which new seats may start (`seats_from`: a client is placed only
    for sessions from then on inside a decision in force)."""
    problem = with_policy(export_problem(session), policy)
    if allow_moves or today is not None:
        data = problem.dump()
        for group in data["groups"] if allow_moves else []:
            group["pinned"] = False
        if today is not None:
            data["seats_from"] = today.isoformat()
        problem = Problem.model_validate(data)
    return problem


def take_snapshot(
    session: Session, allow_moves: bool = False, policy: Mapping[str, Any] | None = None, today: date | None = None
) -> Snapshot:
    """Step 1: the problem to plan (under the chosen policy) and the offering version it is planned on."""
    return Snapshot(snapshot(session, allow_moves, policy, today), current_version(session))


def open_run(session: Session, taken: Snapshot, status: str) -> PlanningRun:
    """A new run over the snapshot; flushed, so it has an id."""
    run = PlanningRun(status=status, based_on_version=taken.based_on_version, problem=taken.problem.dump())
    session.add(run)
    session.flush()
    return run


def with_params(solve: Solve, params: solver.SolveParams) -> SolveStep:
    """Step 2 from the solver (or a stand-in) and the coordinator's options."""
    return lambda problem, observer: solve(problem, params, observer)


def store_draft(
    session: Session, run: PlanningRun, problem: Problem, plan: Plan, actor: str, clock: Clock = SYSTEM_CLOCK
) -> PlanDiff:
    """Steps 3 and 4: the run becomes a draft with its plan, metrics and diff against the problem's running groups."""
    diff = diff_plan(problem, plan)
    run.plan, run.diff = plan.dump(), diff.to_json()
    run.metrics = plan.metrics.model_dump(mode="json", exclude_none=True)
    run.status, run.finished_at = "draft", clock.now()
    drop_erased(session, run)
    session.add(
        AuditEntry(actor=actor, action="plan", entity="planning_run", entity_id=str(run.id), detail=diff.to_json())
    )
    return diff


def end_run(run: PlanningRun, status: str, error: str | None, clock: Clock = SYSTEM_CLOCK) -> None:
    """The run ends without a draft: `failed` (with why) or `cancelled`; clients erased meanwhile are dropped."""
    run.status, run.error, run.finished_at = status, error, clock.now()
    session = object_session(run)
    if session is not None:
        drop_erased(session, run)


def plan_run(
    session: Session,
    solve: Callable[..., Plan],
    actor: str,
    allow_moves: bool = False,
    observer: solver.Observer | None = None,
    clock: Clock = SYSTEM_CLOCK,
    policy: Mapping[str, Any] | None = None,
) -> PlanningRun:
    """Plan from the database and store a draft run, in the caller's transaction.

    `solve(problem) -> Plan`; given an observer, `solve(problem, observer) -> Plan` (a `SolveStep`).
    `policy`: the policy fields chosen for this run (the problem, stored with the run, carries them).
    """
    step: SolveStep = solve if observer is not None else (lambda problem, _: solve(problem))
    taken = take_snapshot(session, allow_moves, policy, clock.today())
    plan = step(taken.problem, observer or solver.Observer())
    run = open_run(session, taken, status="draft")
    store_draft(session, run, taken.problem, plan, actor, clock)
    return run
