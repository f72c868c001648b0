"""Who am I, and for a staff member: the sessions they lead."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.deps import Caller, SessionDep, allow, today
from api.errors import ERRORS
from scheduler.services.offering import OfferedGroup, load_offering
from scheduler.storage.models import GroupRow

__all__ = ["router"]

router = APIRouter(prefix="/me", tags=["me"])

AnyRole = Annotated[Caller, Depends(allow("coordinator", "counsellor", "staff"))]
StaffOnly = Annotated[Caller, Depends(allow("staff"))]


class MeOut(BaseModel):
    role: str
    name: str
    staff_id: str | None


class SessionsOut(BaseModel):
    staff_id: str
    groups: list[OfferedGroup] = Field(description="the running groups they lead, with their next sessions")


@router.get("", response_model=MeOut, responses=ERRORS)
def me(caller: AnyRole) -> MeOut:
    """The role and name of the token."""
    assert caller.role is not None
    return MeOut(role=caller.role, name=caller.name, staff_id=caller.staff_id)


@router.get("/sessions", response_model=SessionsOut, responses=ERRORS)
def my_sessions(caller: StaffOnly, db: SessionDep, on: Annotated[date, Depends(today)]) -> SessionsOut:
    """The groups the staff member leads: where, when and the next dates. Only their own."""
    assert caller.staff_id is not None
    led = {g.id for g in db.scalars(select(GroupRow).where(GroupRow.status == "running"))
           if caller.staff_id in g.leaders}
    groups = [g for g in load_offering(db, on, upcoming=100) if g.id in led]
    return SessionsOut(staff_id=caller.staff_id, groups=groups)
