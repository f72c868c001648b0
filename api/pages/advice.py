"""Capacity advice from a page: start it on a run's plan, watch the best changes arrive, stop it, make a what-if.

Coordinators only. Advice is the job `app.state.advice` runs on the planning queue
(`scheduler.services.advice.jobs`); the page shows its counts and the best changes verified so
far, each said in the page's language with the clients it places, its cost and the groups it
would open. Without JavaScript the page refreshes itself every two seconds while advice runs;
with JavaScript the planning page's script fetches the progress fragment into a live region.
`/advice/{id}` and its stop are also the JSON API's addresses (`api.routers.advice`): a browser
asking for HTML without a bearer token gets the page, as `/reports/county` does.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from api.deps import SessionDep
from api.pages.advice_view import ADVICE_STATUSES, NONE_WHY, advice_jobs, run_names
from api.pages.context import CoordinatorPage, Page, PageError, PageForm
from api.pages.errors import PAGE_TAG
from api.pages.i18n import N_
from api.pages.render import render, see_other
from api.pages.week import RUN_STATUSES
from scheduler.contract.errors import Conflict, NotFound
from scheduler.contract.whatif import Change
from scheduler.services.advice.advise import AdviceParams
from scheduler.services.advice.jobs import AdviceState
from scheduler.storage.models import PlanningRun

__all__ = ["CHANGE", "router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
CHANGE: TypeAdapter[Change] = TypeAdapter(Change)
LIMITS = {"time_limit": (5, 600), "top": (1, 20)}
DEFAULTS = {"time_limit": "60", "top": "5"}
FIELD_PROBLEMS = {
    "time_limit": N_("Time limit: give a number of seconds from %(low)s to %(high)s."),
    "top": N_("Changes to find: give a whole number from %(low)s to %(high)s."),
}
NAME_ROOM = 200
"""A what-if's name is at most this long (`AdviceJobs.create_whatif`)."""


def _run(db: Session, run_id: int) -> PlanningRun:
    run = db.get(PlanningRun, run_id)
    if run is None:
        raise PageError(404, N_("There is no planning run %(id)s."), id=str(run_id))
    return run


def _form(
    page: Page, db: Session, run_id: int, status: int = 200, values: dict[str, str] | None = None, **context: object
) -> Response:
    """The advice form: the fields as entered (else their defaults), the run, the latest advice, any problems."""
    run = _run(db, run_id)
    latest = advice_jobs(page.request).latest_advice(run_id)
    return render(
        page,
        "week/advice_start.html",
        status=status,
        run=run,
        statuses=RUN_STATUSES,
        latest=latest,
        values={**DEFAULTS, **(values or {})},
        limits=LIMITS,
        **context,
    )


@router.get("/planning/{run_id}/advice")
def advice_form(page: CoordinatorPage, db: SessionDep, run_id: Id) -> Response:
    """The form that starts advice on the run's plan, and a link to its latest advice."""
    return _form(page, db, run_id)


def _number(text: str, field: str, whole: bool) -> float | None:
    low, high = LIMITS[field]
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        return None
    return value if low <= value <= high else None


@router.post("/planning/{run_id}/advice")
def start_advice(page: CoordinatorPage, form: PageForm, db: SessionDep, run_id: Id) -> Response:
    """Start advice with the form's time limit and number of changes; a bad field is named."""
    values = {f: str(form.get(f) or "").strip() for f in LIMITS}
    time_limit, top = _number(values["time_limit"], "time_limit", False), _number(values["top"], "top", True)
    bad = [f for f, v in (("time_limit", time_limit), ("top", top)) if v is None]
    if bad or time_limit is None or top is None:
        problems = [page.t(FIELD_PROBLEMS[f], low=LIMITS[f][0], high=LIMITS[f][1]) for f in bad]
        return _form(page, db, run_id, 422, values=values, problems=problems, bad=bad)
    try:
        advice_id = advice_jobs(page.request).start_advice(
            run_id, page.caller.actor, AdviceParams(time_limit=time_limit, top=int(top))
        )
    except NotFound as missing:
        raise PageError(404, N_("There is no planning run %(id)s."), id=str(run_id)) from missing
    except Conflict:
        run = _run(db, run_id)
        message = page.t(
            N_("Run %(id)s has no plan (it is %(status)s): advice starts from a plan."),
            id=run_id,
            status=page.t(RUN_STATUSES.get(run.status, run.status)),
        )
        return _form(page, db, run_id, 409, values=values, problems=[message])
    return see_other(page.request, f"/advice/{advice_id}")


def _state(page: Page, advice_id: int) -> AdviceState:
    try:
        return advice_jobs(page.request).advice_state(advice_id)
    except NotFound as missing:
        raise PageError(404, N_("There is no advice %(id)s."), id=str(advice_id)) from missing


def _context(page: Page, db: Session, state: AdviceState) -> dict[str, Any]:
    return {
        "state": state,
        "statuses": ADVICE_STATUSES,
        "none_why": NONE_WHY,
        "names": run_names(page, db, state.run_id),
        "change_json": lambda change: CHANGE.dump_json(change).decode(),
    }


@router.get("/advice/{advice_id}")
def advice_page(page: CoordinatorPage, db: SessionDep, advice_id: Id) -> Response:
    """The advice: its status and counts, the best changes found so far, a what-if from each."""
    state = _state(page, advice_id)
    return render(page, "week/advice.html", **_context(page, db, state))


@router.get("/advice/{advice_id}/progress")
def advice_fragment(page: CoordinatorPage, db: SessionDep, advice_id: Id) -> Response:
    """Only the live block (status, counts, best changes), for the page's script."""
    state = _state(page, advice_id)
    return render(page, "week/advice_progress.html", **_context(page, db, state))


@router.post("/advice/{advice_id}/stop")
def stop_advice(page: CoordinatorPage, form: PageForm, advice_id: Id) -> Response:
    """Stop the advice: the changes verified so far stay."""
    try:
        advice_jobs(page.request).stop_advice(advice_id, page.caller.actor)
    except NotFound as missing:
        raise PageError(404, N_("There is no advice %(id)s."), id=str(advice_id)) from missing
    return see_other(page.request, f"/advice/{advice_id}")


def _free_name(page: Page, said: str) -> str:
    """The change in words as a what-if's name, shortened to fit and numbered if the name is taken."""
    taken = {w.name for w in advice_jobs(page.request).list_whatifs()}
    stem = said if len(said) <= NAME_ROOM - 6 else said[: NAME_ROOM - 7].rstrip() + "…"
    name, n = stem, 1
    while name in taken:
        n += 1
        name = f"{stem} ({n})"
    return name


@router.post("/advice/{advice_id}/whatif")
def make_whatif(page: CoordinatorPage, form: PageForm, db: SessionDep, advice_id: Id) -> Response:
    """A what-if with one change of the advice, named after the change in the page's language."""
    state = _state(page, advice_id)
    try:
        change = CHANGE.validate_json(str(form.get("change") or ""))
    except ValidationError as bad:
        raise PageError(
            422, N_("The change sent is not one this advice found. Reload the page and try again.")
        ) from bad
    names = run_names(page, db, state.run_id)
    name = _free_name(page, names.change(change))
    try:
        whatif_id = advice_jobs(page.request).create_whatif(state.run_id, name, [change], page.caller.actor)
    except (NotFound, Conflict) as refused:
        raise PageError(409, N_("The what-if could not be made: %(why)s"), why=str(refused)) from refused
    return see_other(page.request, f"/whatifs/{whatif_id}")
