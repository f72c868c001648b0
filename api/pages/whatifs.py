"""What-ifs from a page: state one on a run, follow its planning, read what it brings, compare, delete.

Coordinators only. A what-if is `app.state.advice`'s (`AdviceJobs.create_whatif`): a named list
of changes planned on a run's plan, every group of the plan kept. The form takes a change kind
and the fields that kind needs (`api.pages.whatif_form`); a bad field is named in the page's
language and the form kept (422). A what-if's page refreshes itself while it plans, as a run's does.
`/whatifs`, `/whatifs/{id}` and `/whatifs/compare` are also the JSON API's addresses
(`api.routers.advice`): a browser asking for HTML without a bearer token gets the page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from api.deps import SessionDep
from api.pages.advice_view import WHATIF_STATUSES, RunNames, advice_jobs, run_names
from api.pages.context import CoordinatorPage, Page, PageError, PageForm
from api.pages.errors import PAGE_TAG
from api.pages.i18n import N_
from api.pages.render import render, see_other
from api.pages.week import RUN_STATUSES
from api.pages.whatif_form import FIELDS, KIND_FIELDS, KINDS, FormFault, change_of, fields_of_error
from scheduler.contract.errors import Conflict, Invalid, NotFound
from scheduler.i18n import DAYS
from scheduler.services.advice.jobs import WhatIfState
from scheduler.storage.models import PlanningRun

__all__ = ["router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
RunQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="the run whose staff, hubs and rooms to offer")]
IdsQuery = Annotated[str, Query(max_length=200, description="the what-ifs to compare, by number: ids=3,5")]
PLANNED = ("draft", "published")
"""The statuses of a run that has a plan."""
FORM_FIELDS = ("name", "run", "kind", *sorted({f for fields in KIND_FIELDS.values() for f in fields}))
MOST_COMPARED = 6


def _planned_runs(db: Session) -> list[PlanningRun]:
    query = (
        select(PlanningRun)
        .options(defer(PlanningRun.problem), defer(PlanningRun.plan))
        .where(PlanningRun.status.in_(PLANNED))
        .order_by(PlanningRun.id.desc())
        .limit(20)
    )
    return list(db.scalars(query))


def _options(names: RunNames) -> dict[str, list[tuple[str, str]]]:
    """The form's choices from the run's problem: (value, label) pairs."""
    problem, lang = names.problem, names.page.lang.code
    if problem is None:
        return {"staff": [], "hub": [], "room": [], "template": [], "date": []}
    return {
        "staff": sorted(((s.id, s.name or s.id) for s in problem.staff), key=lambda o: o[1]),
        "hub": sorted(((h.id, names.names.hub(h.id)) for h in problem.hubs), key=lambda o: o[1]),
        "room": sorted(
            ((f"{h.id}|{r.id}", f"{r.name or r.id} – {names.names.hub(h.id)}") for h in problem.hubs for r in h.rooms),
            key=lambda o: o[1],
        ),
        "template": sorted(((m.id, names.names.template(m.id, lang)) for m in problem.templates), key=lambda o: o[1]),
        "date": [(d.isoformat(), names.page.lang.date(d, "medium")) for d in sorted(problem.closures)],
    }


def _list_page(
    page: Page,
    db: Session,
    run_id: int | None,
    status: int = 200,
    values: dict[str, str] | None = None,
    bad: list[str] | None = None,
    **context: object,
) -> Response:
    runs = _planned_runs(db)
    if run_id is None and runs:
        run_id = runs[0].id
    names = run_names(page, db, run_id) if run_id is not None else None
    whatifs = advice_jobs(page.request).list_whatifs()
    return render(
        page,
        "week/whatifs.html",
        status=status,
        whatifs=whatifs,
        runs=runs,
        run_id=run_id,
        run_statuses=RUN_STATUSES,
        statuses=WHATIF_STATUSES,
        kinds=KINDS,
        kinds_using={
            field: "; ".join(page.t(KINDS[kind]) for kind, fields in KIND_FIELDS.items() if field in fields)
            for field in FORM_FIELDS
        },
        options=_options(names) if names else {},
        day_choices=[(day, page.lang.weekday(day, alone=True)) for day in DAYS],
        values={"qualified": "on", **(values or {})},
        bad=bad or [],
        **context,
    )


@router.get("/whatifs")
def whatifs_page(page: CoordinatorPage, db: SessionDep, run: RunQuery = None) -> Response:
    """The saved what-ifs, a form to compare some, and a form to state a new one on a run."""
    return _list_page(page, db, run)


@router.post("/whatifs")
def create_whatif(page: CoordinatorPage, form: PageForm, db: SessionDep) -> Response:
    """Save a what-if from the form and go to its page; a bad field is named and the form kept."""
    values = {f: str(form.get(f) or "").strip() for f in FORM_FIELDS}
    run_text = values["run"]
    run_id = int(run_text) if run_text.isdigit() and 0 < int(run_text) < 2**31 else None
    try:
        change = change_of(values["kind"], values)
        if run_id is None:
            raise FormFault(["run"])
        whatif_id = advice_jobs(page.request).create_whatif(run_id, values["name"], [change], page.caller.actor)
    except FormFault as fault:
        return _refused(page, db, run_id, values, [*fault.fields, *(["run"] if run_id is None else [])])
    except Invalid as invalid:
        return _refused(page, db, run_id, values, fields_of_error(e.field for e in invalid.errors) or ["kind"])
    except NotFound:
        return _refused(page, db, None, values, ["run"])
    except Conflict as conflict:
        return _refused(page, db, run_id, values, ["name"] if "exists already" in conflict.detail else ["run"])
    return see_other(page.request, f"/whatifs/{whatif_id}")


def _refused(page: Page, db: Session, run_id: int | None, values: dict[str, str], fields: list[str]) -> Response:
    known = run_id if run_id is not None and db.get(PlanningRun, run_id) is not None else None
    bad = sorted(set(fields))
    problems = [page.t(FIELDS.get(f, FIELDS["kind"])) for f in bad]
    return _list_page(page, db, known, 422, values=values, bad=bad, problems=problems)


class CompareFault(Exception):
    """The what-ifs chosen to compare cannot be compared: a msgid and its values."""

    def __init__(self, message: str, **values: str) -> None:
        super().__init__(message)
        self.message, self.values = message, values


def _ids(asked: list[str]) -> list[int]:
    """The what-ifs' numbers, from 2 to MOST_COMPARED of them (`CompareFault` otherwise)."""
    ids: list[int] = []
    for part in (p.strip() for text in asked for p in text.split(",")):
        if not part.isdigit() or not 0 < int(part) < 2**31:
            raise CompareFault(N_("Compare: %(value)s is not a what-if's number."), value=repr(part))
        if int(part) not in ids:
            ids.append(int(part))
    if not 2 <= len(ids) <= MOST_COMPARED:
        raise CompareFault(N_("Compare: choose from 2 to %(most)s what-ifs."), most=str(MOST_COMPARED))
    return ids


def _state(page: Page, whatif_id: int) -> WhatIfState:
    try:
        return advice_jobs(page.request).whatif_state(whatif_id)
    except NotFound as missing:
        raise PageError(404, N_("There is no what-if %(id)s."), id=str(whatif_id)) from missing


@router.post("/whatifs/chosen")
def compare_chosen(page: CoordinatorPage, form: PageForm, db: SessionDep) -> Response:
    """The list's checked what-ifs compared (a form's checkboxes send `ids` once per box)."""
    try:
        ids = _ids([str(v) for v in form.getlist("ids")])
    except CompareFault as fault:
        return _list_page(page, db, None, 422, problems=[page.t(fault.message, **fault.values)])
    return see_other(page.request, f"/whatifs/compare?ids={','.join(map(str, ids))}")


@router.get("/whatifs/compare")
def compare_page(page: CoordinatorPage, db: SessionDep, ids: IdsQuery) -> Response:
    """Two or more what-ifs side by side: their changes, clients placed, groups, staff minutes and driving."""
    try:
        chosen = _ids([ids])
    except CompareFault as fault:
        raise PageError(422, fault.message, **fault.values) from fault
    states = [_state(page, i) for i in chosen]
    by_run = {run_id: run_names(page, db, run_id) for run_id in {s.run_id for s in states}}
    names = {s.id: by_run[s.run_id] for s in states}
    places = sorted({(p.municipality, p.language) for s in states if s.diff for p in s.diff.by_place})
    counts = {
        s.id: {(p.municipality, p.language): p.clients for p in s.diff.by_place} if s.diff else {} for s in states
    }
    return render(
        page, "week/whatif_compare.html", states=states, names=names, places=places, counts=counts,
        statuses=WHATIF_STATUSES,
    )  # fmt: skip


@router.get("/whatifs/{whatif_id:int}")
def whatif_page(page: CoordinatorPage, db: SessionDep, whatif_id: Id) -> Response:
    """A what-if: its changes, its status (refreshing while it plans) and what it brings."""
    state = _state(page, whatif_id)
    names = run_names(page, db, state.run_id)
    return render(page, "week/whatif.html", state=state, names=names, statuses=WHATIF_STATUSES)


@router.get("/whatifs/{whatif_id:int}/progress")
def whatif_fragment(page: CoordinatorPage, whatif_id: Id) -> Response:
    """Only the status block, for the page's script."""
    return render(page, "week/whatif_progress.html", state=_state(page, whatif_id), statuses=WHATIF_STATUSES)


@router.post("/whatifs/{whatif_id:int}/delete")
def delete_whatif(page: CoordinatorPage, form: PageForm, whatif_id: Id) -> Response:
    """Delete the what-if (the stored data it imagined a change to is untouched either way)."""
    try:
        advice_jobs(page.request).delete_whatif(whatif_id, page.caller.actor)
    except NotFound as missing:
        raise PageError(404, N_("There is no what-if %(id)s."), id=str(whatif_id)) from missing
    return see_other(page.request, "/whatifs")
