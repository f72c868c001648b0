"""Capacity advice and what-if plans on a planning run's plan, as resources (issue 19).

Coordinators only. Advice (`POST /plans/{run_id}/advice`) and a what-if (`POST /whatifs`)
answer 202 at once: their re-plans run on the planning queue (`scheduler.services.advice.jobs`),
never in a request thread. Advice is anytime: while it runs, `GET /advice/{id}` shows the
best changes verified so far. A what-if states changes to the resources (`Change`, see
docs/contract.md) and is planned without touching the stored data; its diff says what the
changes bring against the same re-plan without them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from api.deps import Coordinator, SessionDep
from api.errors import ERRORS, field_errors
from api.links import Root
from api.problems import problem
from api.routers.resources_types import Text200
from api.routers.shared_paths import ApiRoute
from api.schemas import ApiIn, Page
from scheduler.contract.advice import PlacedCount
from scheduler.contract.errors import NotFound
from scheduler.contract.whatif import Change
from scheduler.services.advice.advise import AdviceParams
from scheduler.services.advice.jobs import AdviceJobs, AdviceState, WhatIfState
from scheduler.storage.models import PlanningRun

__all__ = ["router"]

router = APIRouter(tags=["advice and what-ifs"], route_class=ApiRoute)

MAX_ID = 2**31 - 1
RunId = Annotated[int, Path(ge=1, le=MAX_ID, description="the planning run's id")]
AdviceId = Annotated[int, Path(ge=1, le=MAX_ID, description="the advice's id")]
WhatIfId = Annotated[int, Path(ge=1, le=MAX_ID, description="the what-if's id")]
NO_RUN: dict[int | str, dict[str, object]] = {404: problem("no such planning run")}
NO_ADVICE: dict[int | str, dict[str, object]] = {404: problem("no such advice")}
NO_WHATIF: dict[int | str, dict[str, object]] = {404: problem("no such what-if")}
LOCATION = {"Location": {"description": "the new resource", "schema": {"type": "string"}}}
MAX_CHANGES = 20
MAX_COMPARED = 20


class AdviceRequest(ApiIn):
    """How long advice may search and how much it lists."""

    time_limit: float = Field(default=60, ge=10, le=600, description="seconds the whole advice may take")
    top: int = Field(default=5, ge=1, le=20, description="how many changes to list, best first")
    replan_seconds: float = Field(
        default=2, ge=0.5, le=60, description="seconds each re-plan may take (the base and every candidate alike)"
    )
    seed: int = Field(default=0, ge=0, le=MAX_ID, description="CP-SAT random seed")


class AdviceLinks(BaseModel):
    self: str
    stop: str
    run: str


class AdviceOut(AdviceState):
    """An advice job: its status and counts, and the best changes found so far (ranked; final once complete)."""

    links: AdviceLinks


class WhatIfRequest(ApiIn):
    """Changes to the resources, stated on a planning run's plan and planned without touching the stored data."""

    run_id: int = Field(ge=1, le=MAX_ID, description="the planning run whose plan the what-if starts from")
    name: Text200 = Field(description="a name of its own, unique among the what-ifs")
    changes: list[Change] = Field(
        min_length=1, max_length=MAX_CHANGES, description="the changes, each by its `kind` (docs/contract.md)"
    )


class WhatIfLinks(BaseModel):
    self: str
    run: str


class WhatIfOut(WhatIfState):
    """A what-if: its changes, its status and, once planned, what the changes bring."""

    links: WhatIfLinks


class ComparedWhatIf(BaseModel):
    """One what-if's changes and what they bring, the figures null until it is planned."""

    id: int
    name: str
    run_id: int
    status: str
    changes: list[Change]
    placed_gain: int | None = Field(default=None, description="clients placed with the changes and not without")
    staff_minutes_gain: int | None = Field(default=None, description="minutes more the leaders lead a week")
    driving_minutes_gain: int | None = Field(default=None, description="minutes more the staff drive a week")
    groups_opened: int | None = Field(default=None, description="groups the what-if plan has and the other not")
    by_place: list[PlacedCount] | None = Field(
        default=None, description="the clients placed, by municipality and language"
    )


class WhatIfComparison(BaseModel):
    """What-ifs side by side, in the order asked for."""

    items: list[ComparedWhatIf]


def get_advice_jobs(request: Request) -> AdviceJobs:
    jobs: AdviceJobs = request.app.state.advice
    return jobs


AdviceDep = Annotated[AdviceJobs, Depends(get_advice_jobs)]


@router.post(
    "/plans/{run_id}/advice",
    status_code=202,
    response_model=AdviceOut,
    summary="Start capacity advice on a run's plan",
    responses={
        202: {"headers": LOCATION},
        **NO_RUN,
        409: problem("the run has no plan (still planning, failed or cancelled)"),
        **ERRORS,
    },
)
def start_advice(
    run_id: RunId,
    caller: Coordinator,
    jobs: AdviceDep,
    response: Response,
    root: Root,
    body: Annotated[AdviceRequest | None, Body()] = None,
) -> AdviceOut:
    """Look in the background for the single changes (a leader, a room, a language, a client's terms) that would
    place the most clients the plan leaves out, each verified by planning with it; poll the advice for them."""
    options = body or AdviceRequest()
    if options.replan_seconds * 2 > options.time_limit:
        raise field_errors(
            "body", [("replan_seconds", "must be at most half the time limit, or no change could be verified")]
        )
    params = AdviceParams(
        time_limit=options.time_limit, replan_seconds=options.replan_seconds, top=options.top, seed=options.seed
    )
    advice_id = jobs.start_advice(run_id, caller.actor, params)
    response.headers["Location"] = f"{root}/advice/{advice_id}"
    return _advice_out(jobs.advice_state(advice_id), root)


@router.get(
    "/plans/{run_id}/advice",
    response_model=AdviceOut,
    summary="The latest advice on a run's plan",
    responses={404: problem("no such planning run, or no advice on it yet"), **ERRORS},
)
def latest_advice(run_id: RunId, db: SessionDep, _: Coordinator, jobs: AdviceDep, root: Root) -> AdviceOut:
    """The newest advice started on the run, as `GET /advice/{advice_id}` shows it."""
    if db.get(PlanningRun, run_id) is None:
        raise NotFound(f"no planning run {run_id}")
    db.rollback()  # end the read before the jobs' own transactions
    advice_id = jobs.latest_advice(run_id)
    if advice_id is None:
        raise NotFound(f"no advice on planning run {run_id} yet: start it with POST /plans/{run_id}/advice")
    return _advice_out(jobs.advice_state(advice_id), root)


@router.get(
    "/advice/{advice_id}",
    response_model=AdviceOut,
    summary="Advice: progress, then the best changes",
    responses={**NO_ADVICE, **ERRORS},
)
def get_advice(advice_id: AdviceId, _: Coordinator, jobs: AdviceDep, root: Root) -> AdviceOut:
    """While it runs: the counts and the best changes verified so far. When done: the ranked changes, each with
    the clients it places (by municipality and language), the groups it opens and its cost in staff hours."""
    return _advice_out(jobs.advice_state(advice_id), root)


@router.post(
    "/advice/{advice_id}/stop",
    status_code=202,
    response_model=AdviceOut,
    summary="Stop advice early",
    responses={**NO_ADVICE, **ERRORS},
)
def stop_advice(advice_id: AdviceId, caller: Coordinator, jobs: AdviceDep, root: Root) -> AdviceOut:
    """Ask the advice to stop: no more changes are verified; it is `stopping`, then `stopped` with the changes
    verified so far. Advice that has already ended is shown as it is."""
    return _advice_out(jobs.stop_advice(advice_id, caller.actor), root)


@router.post(
    "/whatifs",
    status_code=202,
    response_model=WhatIfOut,
    summary="Plan a what-if in the background",
    responses={
        202: {"headers": LOCATION},
        404: problem("no such planning run"),
        409: problem("the name is taken by another what-if, or the run has no plan"),
        **ERRORS,
    },
)
def create_whatif(
    body: WhatIfRequest, caller: Coordinator, jobs: AdviceDep, response: Response, root: Root
) -> WhatIfOut:
    """Plan the run's plan again with the changes made, every group of the plan kept; a change naming a staff
    member, hub, room, group model, client or closure the run does not have is a 422 naming its field
    (`changes[0].staff`)."""
    whatif_id = jobs.create_whatif(body.run_id, body.name, list(body.changes), caller.actor)
    response.headers["Location"] = f"{root}/whatifs/{whatif_id}"
    return _whatif_out(jobs.whatif_state(whatif_id), root)


@router.get(
    "/whatifs",
    response_model=Page[WhatIfOut],
    summary="List what-ifs, newest first",
    responses={**ERRORS},
)
def list_whatifs(
    _: Coordinator,
    jobs: AdviceDep,
    root: Root,
    run_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="only those on this planning run")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> Page[WhatIfOut]:
    """Every saved what-if with its changes, status and diff."""
    found = jobs.list_whatifs(run_id)
    items = [_whatif_out(state, root) for state in found[offset : offset + limit]]
    return Page[WhatIfOut](items=items, total=len(found), limit=limit, offset=offset)


@router.get(
    "/whatifs/compare",
    response_model=WhatIfComparison,
    summary="What-ifs side by side",
    responses={404: problem("no such what-if (the detail names it)"), **ERRORS},
)
def compare_whatifs(
    _: Coordinator,
    jobs: AdviceDep,
    ids: Annotated[
        list[Annotated[int, Field(ge=1, le=MAX_ID)]],
        Query(
            min_length=2,
            max_length=MAX_COMPARED,
            description="the what-ifs to compare, each as its own parameter: `?ids=1&ids=2`",
        ),
    ],
) -> WhatIfComparison:
    """For each what-if: its name and changes, the clients placed, the staff's minutes and driving, the groups
    opened and where the clients placed live; null figures for one not yet planned."""
    return WhatIfComparison(items=[_compared(jobs.whatif_state(whatif_id)) for whatif_id in ids])


# `:int`: `/whatifs/compare` is never taken for a what-if's id (a DELETE there is a 405, not a 422)
@router.get(
    "/whatifs/{whatif_id:int}",
    response_model=WhatIfOut,
    summary="A what-if: status, then what the changes bring",
    responses={**NO_WHATIF, **ERRORS},
)
def get_whatif(whatif_id: WhatIfId, _: Coordinator, jobs: AdviceDep, root: Root) -> WhatIfOut:
    """While it plans: its status. When done: the diff against the same re-plan without the changes."""
    return _whatif_out(jobs.whatif_state(whatif_id), root)


@router.delete(
    "/whatifs/{whatif_id:int}",
    status_code=204,
    response_class=Response,
    summary="Delete a what-if",
    responses={**NO_WHATIF, **ERRORS},
)
def delete_whatif(whatif_id: WhatIfId, caller: Coordinator, jobs: AdviceDep) -> Response:
    """Forget a what-if (its name is free again); the stored data never held it."""
    jobs.delete_whatif(whatif_id, caller.actor)
    return Response(status_code=204)


def _advice_out(state: AdviceState, root: str) -> AdviceOut:
    base = f"{root}/advice/{state.id}"
    links = AdviceLinks(self=base, stop=f"{base}/stop", run=f"{root}/plans/{state.run_id}")
    return AdviceOut.model_validate({**dict(state), "links": links})


def _whatif_out(state: WhatIfState, root: str) -> WhatIfOut:
    links = WhatIfLinks(self=f"{root}/whatifs/{state.id}", run=f"{root}/plans/{state.run_id}")
    return WhatIfOut.model_validate({**dict(state), "links": links})


def _compared(state: WhatIfState) -> ComparedWhatIf:
    diff = state.diff
    return ComparedWhatIf(
        id=state.id,
        name=state.name,
        run_id=state.run_id,
        status=state.status,
        changes=state.changes,
        placed_gain=diff.placed_gain if diff else None,
        staff_minutes_gain=diff.staff_minutes_gain if diff else None,
        driving_minutes_gain=diff.driving_minutes_after - diff.driving_minutes_before if diff else None,
        groups_opened=len(diff.groups_opened) if diff else None,
        by_place=diff.by_place if diff else None,
    )
