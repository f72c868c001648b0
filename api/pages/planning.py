"""Running planning from a page: start a run, watch it, read its diff, publish it or cancel it.

Coordinators only. The run is the same background job the JSON API starts
(`app.state.jobs`, `scheduler.jobs`), its options checked by the same request model
(`PlanRequest`), and publishing is `planning.workflow.publish_run`. Without JavaScript
the run's page refreshes itself every two seconds while it plans; with JavaScript a
small script fetches the progress fragment into a live region instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from babel.numbers import format_decimal
from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from api.deps import ClockDep, SessionDep
from api.pages.context import CoordinatorPage, Page, PageError, PageForm
from api.pages.errors import PAGE_TAG
from api.pages.i18n import N_
from api.pages.render import render, see_other
from api.pages.week import POLICY_NAMES, RUN_STATUSES
from api.routers.plans import PlanRequest
from scheduler.contract import PlanMetrics, Policy
from scheduler.services.planning.jobs import ACTIVE, JobOptions, NotRunning, PlanningBusy, PlanningJobs
from scheduler.services.planning.workflow import StaleRunError, current_version, publish_run, run_today
from scheduler.services.week import draft_diff
from scheduler.storage.models import AuditEntry, OfferingVersion, PlanningRun

__all__ = ["router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

RunId = Annotated[int, Path(ge=1, le=2**31 - 1)]
LIMITS = PlanRequest.model_fields["time_limit"].metadata
LOW, HIGH = (next(getattr(m, attr) for m in LIMITS if hasattr(m, attr)) for attr in ("ge", "le"))
FIELD_PROBLEMS = {
    "time_limit": N_("Time limit: give a number of seconds from %(low)s to %(high)s."),
    "policy": N_("Planning policy: choose one of the policies listed."),
}


def _number(page: Page) -> Callable[[float], str]:
    """Whole numbers as the page's language groups their digits (30 000 in Finnish, 30,000 in English)."""
    return lambda value: format_decimal(round(value), locale=page.lang.code)


def _jobs(request: Request) -> PlanningJobs:
    jobs: PlanningJobs = request.app.state.jobs
    return jobs


def _recent(db: Session) -> list[PlanningRun]:
    query = (
        select(PlanningRun)
        .options(defer(PlanningRun.problem), defer(PlanningRun.plan))
        .order_by(PlanningRun.id.desc())
        .limit(10)
    )
    return list(db.scalars(query))


def _form_page(
    page: Page, db: Session, status: int = 200, values: dict[str, object] | None = None, **context: object
) -> Response:
    """The planning form: the fields as entered (else their defaults), the recent runs, any problems."""
    values = {"time_limit": 20, "allow_moves": False, "policy": "", **(values or {})}
    return render(
        page,
        "week/planning.html",
        policies=POLICY_NAMES,
        status=status,
        runs=_recent(db),
        statuses=RUN_STATUSES,
        version=current_version(db),
        values=values,
        running=_jobs(page.request).running(),
        **context,
    )


@router.get("/planning")
def planning_page(page: CoordinatorPage, db: SessionDep) -> Response:
    """The run-planning form and the latest runs."""
    return _form_page(page, db)


@router.post("/planning")
def start_planning(page: CoordinatorPage, form: PageForm, db: SessionDep) -> Response:
    """Start a run with the form's options and go to its page; a bad field is named in the answer."""
    values: dict[str, object] = {
        "time_limit": str(form.get("time_limit") or "").strip(),
        "allow_moves": form.get("allow_moves") == "on",
    }
    preset = str(form.get("policy") or "").strip()
    asked = {**values, "policy": {"preset": preset}} if preset else dict(values)
    values["policy"] = preset  # as chosen, for the form shown again
    try:
        options = PlanRequest.model_validate(asked, strict=False)  # a form's fields are text
    except ValidationError as error:
        fields = sorted({str(e["loc"][0]) for e in error.errors()})
        problems = [page.t(FIELD_PROBLEMS.get(f, N_("This field is not valid.")), low=LOW, high=HIGH) for f in fields]
        return _form_page(page, db, 422, values=values, problems=problems)
    try:
        chosen = JobOptions(options.time_limit, options.allow_moves, policy=options.chosen_policy())
        run_id = _jobs(page.request).start(chosen, page.caller.actor)
    except PlanningBusy as busy:
        message = page.t(N_("Run %(id)s is still planning. Wait for it to finish or stop it first."), id=busy.run_id)
        return _form_page(page, db, 409, values=values, problems=[message], busy=busy.run_id)
    return see_other(page.request, f"/planning/{run_id}")


def _run(db: Session, run_id: int) -> PlanningRun:
    run = db.get(PlanningRun, run_id)
    if run is None:
        raise PageError(404, N_("There is no planning run %(id)s."), id=str(run_id))
    return run


def _run_page(page: Page, db: Session, run: PlanningRun, status: int = 200, **context: object) -> Response:
    metrics = PlanMetrics.model_validate(run.metrics) if run.metrics else None
    version = db.scalar(select(OfferingVersion.id).where(OfferingVersion.run_id == run.id))
    made = (
        db.scalar(
            select(AuditEntry.detail).where(
                AuditEntry.action == "publish",
                AuditEntry.entity == "offering_version",
                AuditEntry.entity_id == str(version),
            )
        )
        if version is not None
        else None
    )
    policy = run.problem.get("policy") if run.problem else None
    return render(
        page,
        "week/run.html",
        status=status,
        run=run,
        metrics=metrics,
        policy=Policy.model_validate(policy) if policy else None,
        policies=POLICY_NAMES,
        diff=draft_diff(db, run),
        active=run.status in ACTIVE,
        statuses=RUN_STATUSES,
        version=version,
        made=made if isinstance(made, dict) else {},
        number=_number(page),
        **context,
    )


@router.get("/planning/{run_id}")
def run_page(page: CoordinatorPage, db: SessionDep, run_id: RunId) -> Response:
    """A run: its progress while it plans; when a draft, its diff against what is published and a publish button."""
    _jobs(page.request).recover()  # a run whose worker died reads as failed
    return _run_page(page, db, _run(db, run_id))


@router.get("/planning/{run_id}/progress")
def progress_fragment(page: CoordinatorPage, db: SessionDep, run_id: RunId) -> Response:
    """Only the progress block, for the page's script to put into its live region."""
    _jobs(page.request).recover()
    run = _run(db, run_id)
    return render(
        page, "week/progress.html", run=run, active=run.status in ACTIVE, statuses=RUN_STATUSES, number=_number(page)
    )


@router.post("/planning/{run_id}/publish")
def publish(page: CoordinatorPage, form: PageForm, db: SessionDep, clock: ClockDep, run_id: RunId) -> Response:
    """Publish the draft as the offering; a stale draft is refused with "plan again"."""
    run = _run(db, run_id)
    if run.status != "draft":
        message = page.t(
            N_("Only a draft can be published; this run is %(status)s."),
            status=page.t(RUN_STATUSES.get(run.status, run.status)),
        )
        return _run_page(page, db, run, 409, problem=message)
    try:
        publish_run(db, run, page.caller.actor, today=run_today(run, clock))
    except StaleRunError:
        db.rollback()
        message = page.t(
            N_("The offering has changed since this draft was planned, so it cannot be published. Plan again.")
        )
        return _run_page(page, db, _run(db, run_id), 409, problem=message, replan=True)
    db.commit()
    return see_other(page.request, f"/planning/{run_id}")


@router.post("/planning/{run_id}/cancel")
def cancel(page: CoordinatorPage, form: PageForm, db: SessionDep, run_id: RunId) -> Response:
    """Stop a run that is planning; it becomes cancelled within about a second."""
    run = _run(db, run_id)
    try:
        _jobs(page.request).cancel(run_id, page.caller.actor)
    except NotRunning:
        message = page.t(N_("Run %(id)s is no longer planning, so there is nothing to stop."), id=run_id)
        return _run_page(page, db, run, 409, problem=message)
    return see_other(page.request, f"/planning/{run_id}")
