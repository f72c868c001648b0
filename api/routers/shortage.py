"""Where capacity is missing for a planning run's plan, in numbers (docs/advice.md).

Coordinators only. The tables are `scheduler.services.advice.shortage` of the problem and
plan the run stored; they name no client.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import Field

from api.deps import Coordinator, SessionDep
from api.errors import ERRORS
from api.problems import problem
from scheduler.services.advice import Shortage, planned_run, run_documents, shortage

__all__ = ["ShortageOut", "router"]

router = APIRouter(prefix="/plans", tags=["planning"])

RunRef = Annotated[
    str,
    Path(
        pattern=r"^(latest|[1-9][0-9]{0,9})$",
        description="the planning run's id, or `latest` for the newest run with a plan (a draft or published)",
    ),
]


class ShortageOut(Shortage):
    """Where capacity is missing for one run's plan: unplaced clients by municipality × language × theme × reason,
    each leader's minutes, each room's hours and each hub's free starts by weekday."""

    run_id: int = Field(description="the run whose plan this reads")
    status: str = Field(description="the run's status: draft or published")


@router.get(
    "/{run_id}/shortage",
    response_model=ShortageOut,
    summary="Where capacity is missing for a run's plan",
    responses={
        404: problem("no such planning run, or (for `latest`) no run has a plan yet"),
        409: problem("the run has no plan (still planning, failed or stopped)"),
        **ERRORS,
    },
)
def get_shortage(run_id: RunRef, db: SessionDep, _: Coordinator) -> ShortageOut:
    """The unplaced clients by where they live, their languages and themes and the reason that holds them back, and
    the use of what exists: leaders' minutes against their limits, rooms' hours, hubs' free starts by weekday."""
    run = planned_run(db, run_id)
    found = shortage(*run_documents(run))
    return ShortageOut(run_id=run.id, status=run.status, **found.model_dump())
