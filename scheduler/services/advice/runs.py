"""A planning run's stored problem and plan, read for advice: by id, or `latest` for the newest run with a plan."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract import ContractError, Plan, Problem, parse_plan, parse_problem
from scheduler.contract.errors import Conflict, NotFound
from scheduler.services.planning.workflow import resolve_run
from scheduler.storage.models import PlanningRun

__all__ = ["LATEST", "PLANNED", "planned_run", "run_documents"]

LATEST = "latest"
PLANNED = ("draft", "published")
"""The statuses of a run that holds a plan."""


def planned_run(session: Session, which: str) -> PlanningRun:
    """The run asked for (a number), or the newest run that has a plan (a draft or a published one) for `latest`.

    NotFound when there is no such run, or no run has a plan yet; Conflict when the run asked for has no plan
    (still planning, failed or stopped)."""
    if which == LATEST:
        query = select(PlanningRun).where(PlanningRun.status.in_(PLANNED)).order_by(PlanningRun.id.desc()).limit(1)
        run = session.scalars(query).first()
        if run is None:
            raise NotFound("no planning run has a plan yet: run planning first")
        return run
    run = resolve_run(session, which)  # a number; anything else is Invalid naming `run`
    if run.plan is None:
        raise Conflict(f"planning run {run.id} has no plan (it is {run.status}): wait for it or choose another run")
    return run


def run_documents(run: PlanningRun) -> tuple[Problem, Plan]:
    """The problem the run planned and its plan, as contract models; Conflict when they no longer read as the
    contract (a run stored by an older version)."""
    if run.plan is None:
        raise Conflict(f"planning run {run.id} has no plan (it is {run.status})")
    try:
        return parse_problem(run.problem), parse_plan(run.plan)
    except ContractError as error:
        raise Conflict(f"planning run {run.id}'s stored problem or plan no longer reads as the contract") from error
