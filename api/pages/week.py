"""The coordinator's week as pages: the board, staff timetables, unplaced clients and capacity.

Coordinators only. Each page shows what a `scheduler.week` service computes; nothing
here decides anything of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from scheduler.contract.errors import TarjotinError
from scheduler.i18n import language_name
from scheduler.services.substitutes import Reason, Substitutes, suggest_substitutes
from scheduler.services.term_sessions import group_sessions
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
from scheduler.storage.models import GroupRow, PlanningRun

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
    "decision": N_("No decision in force for the term's sessions"),
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


DayQuery = Annotated[date | None, Query(description="the session's date in the weekly rhythm")]
ReplacingQuery = Annotated[str | None, Query(max_length=128, description="the leader away; empty: an extra leader")]


@router.get("/week/group/{group_id}")
def group_substitutes_page(
    page: CoordinatorPage,
    db: SessionDep,
    on: Today,
    group_id: Annotated[str, Path(max_length=128)],
    day: DayQuery = None,
    replacing: ReplacingQuery = None,
) -> Response:
    """A group for its coordinator: pick one of its coming sessions and the leader who is away, and see who
    could take it, best first, with why (`scheduler.services.substitutes`)."""
    group = db.get(GroupRow, group_id)
    if group is None:
        raise PageError(404, N_("There is no group %(id)s."), id=repr(group_id))
    sessions = [s for s in group_sessions(db, group_id) if s.held and s.day >= on]
    chosen = next((s for s in sessions if s.planned == day), sessions[0] if sessions and day is None else None)
    if chosen is not None and replacing is None and len(chosen.leaders) > 1:
        replacing = chosen.leaders[0]
    found: Substitutes | None = None
    problem = None
    if group.status != "running":
        problem = N_("This group is not running, so its sessions get no substitutes.")
    elif chosen is None:
        problem = (
            N_("Choose one of the group's coming sessions.") if sessions else N_("The group has no coming session.")
        )
    else:
        try:
            found = suggest_substitutes(db, group_id, chosen.planned, replacing or None)
        except TarjotinError:
            problem = N_("Choose the leader who is away: the session already has two leaders.")
    return render(
        page,
        "week/substitutes.html",
        group=group,
        sessions=sessions,
        chosen=chosen,
        replacing=replacing or "",
        found=found,
        reasons={
            s.staff_id: _reasons(page.lang.gettext, s.reasons, page.lang.code)
            for s in (found.substitutes if found else ())
        },
        problem=problem,
    )


def _reasons(gettext: Callable[..., str], reasons: Sequence[Reason], code: str) -> list[tuple[bool, str]]:
    """Each reason in the page's language: its msgid translated and filled in (a language named in words)."""
    shown = []
    for reason in reasons:
        values = dict(reason.values)
        if "language" in values:
            values["language"] = language_name(values["language"], code)
        shown.append((reason.ok, gettext(reason.message, **values)))
    return shown
