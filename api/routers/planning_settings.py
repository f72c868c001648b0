"""The county's planning settings a coordinator edits: how many open pop-up sessions a week it runs.

`GET /planning/settings` reads and `PUT /planning/settings {"popup_slots": N}` changes them; the
next planning run places up to that many pop-ups a week (`scheduler.services.planning.popup_slots`).
The offer terms have their own route (`/offers/settings`).
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import Coordinator, SessionDep
from api.errors import ERRORS
from api.problems import problem
from api.schemas import ApiIn
from scheduler.services.planning.popup_slots import MAX_POPUP_SLOTS, popup_slots, set_popup_slots

__all__ = ["router"]

router = APIRouter(prefix="/planning", tags=["plans"])


class PlanningSettingsIn(ApiIn):
    popup_slots: int = Field(ge=0, le=MAX_POPUP_SLOTS, description="open pop-up sessions a week the planner may place")


class PlanningSettingsOut(BaseModel):
    popup_slots: int = Field(description="open pop-up sessions a week the planner may place")


@router.get("/settings", response_model=PlanningSettingsOut, summary="The county's planning settings", responses=ERRORS)
def read_settings(db: SessionDep, _: Coordinator) -> PlanningSettingsOut:
    """How many open pop-up sessions a week the county runs."""
    return PlanningSettingsOut(popup_slots=popup_slots(db))


@router.put(
    "/settings",
    response_model=PlanningSettingsOut,
    summary="Change the county's planning settings",
    responses={404: problem("no planning settings yet: import a problem first"), **ERRORS},
)
def change_settings(body: PlanningSettingsIn, db: SessionDep, caller: Coordinator) -> PlanningSettingsOut:
    """Set how many open pop-up sessions a week the next planning runs may place."""
    slots = set_popup_slots(db, caller.actor, body.popup_slots)
    db.commit()
    return PlanningSettingsOut(popup_slots=slots)
