"""Head counts: how many came to one session of an open pop-up group (it has no roster to mark).

`PUT /groups/{id}/sessions/{day}/head-count {"head_count": N}` records (again overwrites) and
`GET` reads it back. The same people may as for attendance (`api.routers.attendance.as_leader`):
a leader of the session (the group's leaders, or that day's substitute) or a coordinator; other
staff and counsellors get a 403. A rostered group's session is a 422 naming `group_id` (mark its
attendance instead), and attendance on a pop-up is a 422 pointing here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import ClockDep, Leader, SessionDep
from api.errors import ERRORS
from api.problems import problem
from api.routers.attendance import Day, GroupId, as_leader
from api.schemas import ApiIn
from scheduler.services.head_counts import MAX_HEAD_COUNT, SessionHeadCount, read_head_count, record_head_count

__all__ = ["router"]

router = APIRouter(tags=["attendance"])

ANSWERS: dict[int | str, dict[str, Any]] = {
    403: problem("not a leader of this session"),
    404: problem("no such group"),
    **ERRORS,
}


class HeadCountIn(ApiIn):
    head_count: int = Field(ge=0, le=MAX_HEAD_COUNT, description="how many came (at most the room's places)")


class HeadCountOut(BaseModel):
    group_id: str
    day: date = Field(description="the session's date in the weekly rhythm (its key)")
    held_on: date = Field(description="the date it is held (a moved session's new date)")
    cancelled: bool = Field(description="a cancelled session takes no head count")
    head_count: int | None = Field(description="how many came; none: not recorded yet")
    limit: int = Field(description="the most it may say: the room's places less the leaders")
    marked_by: str | None
    marked_at: datetime | None


def _out(found: SessionHeadCount) -> HeadCountOut:
    return HeadCountOut(
        group_id=found.group_id,
        day=found.day,
        held_on=found.term.day,
        cancelled=not found.term.held,
        head_count=found.head_count,
        limit=found.limit,
        marked_by=found.marked_by,
        marked_at=found.marked_at,
    )


@router.get("/groups/{group_id}/sessions/{day}/head-count", response_model=HeadCountOut, responses=ANSWERS)
def read(group_id: GroupId, day: Day, caller: Leader, db: SessionDep) -> HeadCountOut:
    """The pop-up session's head count (`head_count` none when not recorded yet)."""
    as_leader(db, caller, group_id, day)
    return _out(read_head_count(db, group_id, day))


@router.put("/groups/{group_id}/sessions/{day}/head-count", response_model=HeadCountOut, responses=ANSWERS)
def record(
    group_id: GroupId, day: Day, body: HeadCountIn, caller: Leader, db: SessionDep, clock: ClockDep
) -> HeadCountOut:
    """Record how many came to the pop-up session (again overwrites). Not for a cancelled session or one not yet
    held (422 naming `day`), nor above the room's places (422 naming `head_count`)."""
    as_leader(db, caller, group_id, day)
    found = record_head_count(db, group_id, day, body.head_count, caller.actor, clock.today(), clock.now())
    db.commit()
    return _out(found)
