"""Where capacity is missing for a planning run's plan, as a coordinator page (docs/advice.md).

Coordinators only. The page shows the four tables `scheduler.services.advice.shortage`
computes from the run's stored problem and plan; it decides nothing of its own.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from api.deps import SessionDep
from api.pages.context import CoordinatorPage, PageError
from api.pages.errors import PAGE_TAG
from api.pages.i18n import N_
from api.pages.render import render
from api.pages.week import REASON_TITLES, RUN_STATUSES
from scheduler.contract import DAYS
from scheduler.services.advice import run_documents, shortage
from scheduler.storage.models import PlanningRun

__all__ = ["router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

RunId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/planning/{run_id}/shortage")
def shortage_page(page: CoordinatorPage, db: SessionDep, run_id: RunId) -> Response:
    """Unplaced clients by municipality, language, theme and reason; leaders' minutes, rooms' hours and hubs' free
    starts by weekday, for the run's plan."""
    run = db.get(PlanningRun, run_id)
    if run is None:
        raise PageError(404, N_("There is no planning run %(id)s."), id=str(run_id))
    if run.plan is None:
        raise PageError(
            409,
            N_("Run %(id)s has no plan yet: it is %(state)s."),
            id=str(run_id),
            state=page.t(RUN_STATUSES.get(run.status, run.status)),
        )
    found = shortage(*run_documents(run))
    days = [d for d in DAYS if any(s.day == d for s in found.free_slots)]
    places = list(dict.fromkeys((s.hub, s.hub_name, s.municipality) for s in found.free_slots))
    return render(
        page,
        "week/shortage.html",
        run=run,
        found=found,
        titles=REASON_TITLES,
        statuses=RUN_STATUSES,
        days=days,
        places=places,
        slots={(s.hub, s.day): s for s in found.free_slots},
    )
