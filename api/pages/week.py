"""The coordinator's week as pages: the board, staff timetables, unplaced clients and capacity.

Coordinators only. Each page shows what a `scheduler.week` service computes; nothing
here decides anything of its own.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from sqlalchemy import select

from api.deps import SessionDep, today
from api.pages.context import CoordinatorPage, PageError
from api.pages.errors import PAGE_TAG
from api.pages.i18n import N_
from api.pages.render import render
from scheduler.services.week import (
    latest_draft_shape,
    load_board,
    load_capacity,
    load_staff_loads,
    load_timetable,
    shown_run,
    unplaced_of,
    week_shape,
)
from scheduler.storage.models import PlanningRun

__all__ = ["POLICY_NAMES", "REASON_TITLES", "router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

Today = Annotated[date, Depends(today)]
RunQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="a planning run")]
RUN_STATUSES = {
    "running": N_("planning"),
    "cancelling": N_("stopping"),
    "draft": N_("draft"),
    "published": N_("published"),
    "failed": N_("failed"),
    "cancelled": N_("stopped"),
}
REASON_TITLES = {
    "interest": N_("No group on their interests"),
    "audience": N_("Groups meant for other audiences"),
    "language": N_("No group in a language they speak"),
    "remote": N_("Cannot take part remotely"),
    "travel": N_("Too far to travel"),
    "accessibility": N_("No accessible room within reach"),
    "availability": N_("No session at a time they can come"),
    "leaders": N_("No leaders for the times they could come"),
    "capacity": N_("No free seat in a suitable group"),
}
"""A short heading per reason code; `labels.REASONS` explains each in a sentence."""
POLICY_NAMES = {
    "handbook": N_("the handbook's groups (two leaders, five or more)"),
    "placement": N_("clients placed first"),
}
"""The planning policy's presets in words."""


@router.get("/week")
def board_page(page: CoordinatorPage, db: SessionDep, on: Today) -> Response:
    """Weekdays × hubs: every running group with its time, language, leaders and fill; the shape of the
    published groups (two leaders, sizes, groups at their minimum) beside the newest draft's."""
    return render(
        page,
        "week/board.html",
        board=load_board(db, on),
        on=on,
        shape=week_shape(db),
        draft=latest_draft_shape(db),
        policies=POLICY_NAMES,
    )


@router.get("/week/staff")
def staff_list_page(page: CoordinatorPage, db: SessionDep, on: Today) -> Response:
    """Every staff member's weekly load, each linking to their timetable."""
    return render(page, "week/staff_list.html", loads=load_staff_loads(db, on))


@router.get("/week/staff/{staff_id}")
def timetable_page(
    page: CoordinatorPage, db: SessionDep, on: Today, staff_id: Annotated[str, Path(max_length=128)]
) -> Response:
    """A staff member's sessions in time order, with the drives between hubs as rows of their own."""
    table = load_timetable(db, staff_id, on)
    if table is None:
        raise PageError(404, N_("There is no staff member %(id)s."), id=repr(staff_id))
    return render(page, "week/timetable.html", table=table)


@router.get("/week/unplaced")
def unplaced_page(page: CoordinatorPage, db: SessionDep, on: Today, run: RunQuery = None) -> Response:
    """The clients a run left out, by reason: the latest published run unless another is chosen."""
    chosen = shown_run(db, run)
    if run is not None and chosen is None:
        raise PageError(404, N_("There is no planning run %(id)s."), id=str(run))
    choices = db.execute(
        select(PlanningRun.id, PlanningRun.status, PlanningRun.created_at)
        .where(PlanningRun.status.in_(("draft", "published")))
        .order_by(PlanningRun.id.desc())
        .limit(20)
    ).all()
    return render(
        page,
        "week/unplaced.html",
        unplaced=unplaced_of(chosen, on) if chosen else None,
        run=chosen,
        choices=choices,
        titles=REASON_TITLES,
        statuses=RUN_STATUSES,
    )


@router.get("/week/capacity")
def capacity_page(page: CoordinatorPage, db: SessionDep, on: Today) -> Response:
    """Municipality × language: waiting clients, seats and free seats, shortfalls marked."""
    return render(page, "week/capacity.html", table=load_capacity(db, on))
