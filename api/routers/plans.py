"""Planning runs as resources: start one, watch its progress, publish its draft or cancel it.

Coordinators only. `POST /plans` answers 202 at once; the solver runs in the
background (`scheduler.jobs`), never in a request thread.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from api.deps import ClockDep, Coordinator, SessionDep
from api.errors import ERRORS, Refused
from api.links import Root
from api.problems import Problem, problem
from api.schemas import ApiIn, Page
from scheduler.contract import Group, PlanMetrics, PlanShape, Policy, Unassigned, parse_plan
from scheduler.contract.errors import NotFound
from scheduler.services.planning.jobs import JobOptions, PlanningBusy, PlanningJobs
from scheduler.services.planning.workflow import publish_run, run_diff, run_today
from scheduler.storage.models import PlanningRun

__all__ = ["router"]


router = APIRouter(prefix="/plans", tags=["planning"])

RunId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the planning run's id")]
NOT_FOUND: dict[int | str, dict[str, object]] = {404: problem("no such planning run")}
Status = Literal["running", "cancelling", "draft", "published", "failed", "cancelled"]


Weight = Annotated[int | None, Field(default=None, ge=0, le=30_000, description="points; overrides the preset")]


class PolicyRequest(ApiIn):
    """The policy for this run, in place of the county's (docs/contract.md, `policy`); fields left out keep the
    county's. A preset other than the county's is taken whole, with any weights given here."""

    preset: Literal["handbook", "placement"] | None = Field(
        default=None,
        description="handbook: groups as the handbook runs them; placement: clients placed first; null: the county's",
    )
    group_opened: Weight = None
    second_leader: Weight = None
    small_group: Weight = None
    fragile_group: Weight = None
    leader_reach_minutes: int | None = Field(
        default=None,
        ge=0,
        le=600,
        description="a leader runs groups only at hubs this many minutes by car from their base (null: anywhere)",
    )


class PlanRequest(ApiIn):
    """What a coordinator chooses for a run."""

    time_limit: float = Field(default=20, ge=1, le=600, description="seconds the solver may take")
    allow_moves: bool = Field(default=False, description="let running groups move (kept in place otherwise)")
    seed: int = Field(default=0, ge=0, le=2**31 - 1, description="CP-SAT random seed")
    policy: PolicyRequest | None = Field(default=None, description="the planning policy for this run")

    def chosen_policy(self) -> dict[str, object] | None:
        """The policy fields this request sets (null leader reach included: anywhere)."""
        return self.policy.model_dump(include=self.policy.model_fields_set) if self.policy else None


class RunLinks(BaseModel):
    self: str
    publish: str
    cancel: str


class RunStarted(BaseModel):
    id: int
    status: Status
    links: RunLinks


class CancelOut(RunStarted):
    """A cancel was asked for: the run is `cancelling` until its worker stops it, then `cancelled` (at once
    while it still waits in the queue)."""


class BusyProblem(Problem):
    """Another run is still planning; only one plans at a time."""

    run_id: int = Field(description="the run planning now")


class ProgressOut(BaseModel):
    """How far the solve is: plans found, their value and the best still possible (maximised)."""

    solutions: int = 0
    objective: float | None = None
    bound: float | None = None
    elapsed_seconds: float = 0.0
    area: int = Field(default=0, description="the area being planned, from 1")
    areas: int = Field(default=0, description="how many independent areas the problem falls into")


class RunSummary(BaseModel):
    id: int
    status: Status
    created_at: datetime
    finished_at: datetime | None = None
    based_on_version: int | None = Field(default=None, description="the offering version the run was planned on")
    progress: ProgressOut | None = None
    metrics: PlanMetrics | None = None
    error: str | None = Field(default=None, description="why a failed run failed")
    worker: str | None = Field(
        default=None, description="the worker process planning it (host:process:thread); none while it waits queued"
    )
    parts: int | None = Field(
        default=None, description="how many independent parts the run was split into, each planned as its own task"
    )


class DiffOut(BaseModel):
    """What the draft changes in the published offering, and the groups' shape before and after."""

    opened: list[str]
    closed: list[str]
    moved: list[str]
    clients_added: int
    shape_before: PlanShape | None = Field(default=None, description="the running groups' shape")
    shape_after: PlanShape | None = Field(default=None, description="the draft's groups' shape")


class RunOut(RunSummary):
    policy: Policy | None = Field(default=None, description="the policy the run planned under")
    diff: DiffOut | None = None
    groups: list[Group] | None = Field(default=None, description="the planned groups, when done")
    unassigned: list[Unassigned] | None = Field(default=None, description="clients left out, with reasons")
    links: RunLinks


class PublishedOut(BaseModel):
    run: int
    version: int = Field(description="the new offering version")
    replaces: int
    published_at: datetime
    offers_made: int = Field(description="new placements offered to their clients (GET /offers?status=pending)")
    seats_made: int = Field(description="new placements seated at once (when the county accepts offers at once)")
    offers_withdrawn: int = Field(description="pending offers the published plan no longer holds")


def get_jobs(request: Request) -> PlanningJobs:
    jobs: PlanningJobs = request.app.state.jobs
    return jobs


JobsDep = Annotated[PlanningJobs, Depends(get_jobs)]


@router.post(
    "",
    status_code=202,
    response_model=RunStarted,
    summary="Start a planning run in the background",
    responses={
        202: {"headers": {"Location": {"description": "the run", "schema": {"type": "string"}}}},
        409: problem(
            "another run is still planning (with its id), or the stored records do not make a valid problem "
            "(`errors` names each record's field)",
            BusyProblem | Problem,
        ),
        **ERRORS,
    },
)
def start_plan(
    caller: Coordinator,
    jobs: JobsDep,
    response: Response,
    root: Root,
    body: Annotated[PlanRequest | None, Body()] = None,
) -> RunStarted:
    """Snapshot the database and plan it in the background; poll the run for progress and the draft."""
    options = body or PlanRequest()
    try:
        chosen = JobOptions(options.time_limit, options.allow_moves, options.seed, options.chosen_policy())
        run_id = jobs.start(chosen, caller.actor)
    except PlanningBusy as busy:
        raise Refused(busy.detail, {"run_id": busy.run_id}) from busy
    response.headers["Location"] = f"{root}/plans/{run_id}"
    return RunStarted(id=run_id, status="running", links=_links(run_id, root))


@router.get("", response_model=Page[RunSummary], summary="List planning runs, newest first", responses={**ERRORS})
def list_plans(
    db: SessionDep,
    _: Coordinator,
    jobs: JobsDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> Page[RunSummary]:
    """Every run with its status, progress and metrics, without the plans themselves."""
    jobs.recover()  # a run whose worker died reads as failed
    total = db.scalar(select(func.count()).select_from(PlanningRun)) or 0
    query = (
        select(PlanningRun)
        .options(defer(PlanningRun.problem), defer(PlanningRun.plan), defer(PlanningRun.diff))
        .order_by(PlanningRun.id.desc())
        .limit(limit)
        .offset(offset)
    )
    items = [_summary(run) for run in db.scalars(query)]
    return Page[RunSummary](items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/{run_id}",
    response_model=RunOut,
    summary="A planning run: progress, then its plan",
    responses={**NOT_FOUND, **ERRORS},
)
def get_plan(run_id: RunId, db: SessionDep, _: Coordinator, jobs: JobsDep, root: Root) -> RunOut:
    """While it runs: progress. When done: metrics, diff, the planned groups and who was left out, and why."""
    jobs.recover()  # a run whose worker died reads as failed
    run = _run(db, run_id)
    plan = parse_plan(run.plan) if run.plan is not None else None
    diff = run_diff(run)
    return RunOut(
        **dict(_summary(run)),
        policy=Policy.model_validate(run.problem["policy"]) if run.problem.get("policy") else None,
        diff=DiffOut.model_validate(diff, from_attributes=True) if diff else None,
        groups=plan.groups if plan else None,
        unassigned=plan.unassigned if plan else None,
        links=_links(run.id, root),
    )


@router.post(
    "/{run_id}/publish",
    response_model=PublishedOut,
    summary="Publish a draft as the offering",
    responses={**NOT_FOUND, 409: problem("not a draft, or planned on an offering that changed since"), **ERRORS},
)
def publish_plan(run_id: RunId, db: SessionDep, caller: Coordinator, clock: ClockDep) -> PublishedOut:
    """Apply the draft's groups in one transaction and record a new offering version: each new placement becomes
    an offer the client answers (`/offers`), or a seat at once when the county accepts offers at once."""
    run = _run(db, run_id)
    published = publish_run(db, run, caller.actor, today=run_today(run, clock))  # a stale draft: 409
    db.commit()
    version = published.version
    return PublishedOut(
        run=run_id,
        version=version.id,
        replaces=version.replaces,
        published_at=_aware(version.published_at),
        offers_made=published.offers,
        seats_made=published.seats,
        offers_withdrawn=published.withdrawn,
    )


@router.post(
    "/{run_id}/cancel",
    status_code=202,
    response_model=CancelOut,
    summary="Cancel a planning run",
    responses={**NOT_FOUND, 409: problem("the run has already finished"), **ERRORS},
)
def cancel_plan(run_id: RunId, jobs: JobsDep, db: SessionDep, caller: Coordinator, root: Root) -> CancelOut:
    """Ask a running run to stop, through any process of the service: it is `cancelling` now and `cancelled` within
    about a second (at once while it still waits in the queue for a worker)."""
    _run(db, run_id)
    db.rollback()  # end the read before the planner's own transaction
    status = jobs.cancel(run_id, caller.actor)  # a run that has finished is a Conflict (409)
    return CancelOut(id=run_id, status=status, links=_links(run_id, root))


def _run(db: Session, run_id: int) -> PlanningRun:
    run = db.get(PlanningRun, run_id)
    if run is None:
        raise NotFound(f"no planning run {run_id}")
    return run


def _summary(run: PlanningRun) -> RunSummary:
    """The small fields of a run."""
    return RunSummary(
        id=run.id,
        status=run.status,
        created_at=_aware(run.created_at),
        finished_at=_aware(run.finished_at) if run.finished_at else None,
        based_on_version=run.based_on_version,
        progress=ProgressOut(**run.progress) if run.progress else None,
        metrics=PlanMetrics.model_validate(run.metrics) if run.metrics else None,
        error=run.error,
        worker=run.worker,
        parts=run.parts,
    )


def _aware(moment: datetime) -> datetime:
    """SQLite hands back times without their zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _links(run_id: int, root: str) -> RunLinks:
    """The run's addresses, under the service's root path."""
    base = f"{root}/plans/{run_id}"
    return RunLinks(self=base, publish=f"{base}/publish", cancel=f"{base}/cancel")
