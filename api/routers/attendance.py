"""Attendance: a session's leader marks who came; a counsellor reads their own client's attendance.

`PUT /groups/{id}/sessions/{day}/attendance` marks (overwriting earlier marks) and answers the whole
session; `GET` reads it back. A leader of the session (the group's leaders, or a substitute named for
that day) or a coordinator may; other staff and counsellors get a 403. A leader sees participants by
seat number and alias, never a client id; a coordinator sees client ids, never an alias.
`GET /clients/{id}/attendance` is the counsellor's (their own clients and the shared queue) and the
coordinator's.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path
from pydantic import BaseModel, Field, model_validator

from api.deps import Caller, ClockDep, Counsellor, Leader, SessionDep
from api.errors import ERRORS
from api.problems import problem
from api.routers.resources_types import IsoDate, Ref
from api.schemas import ApiIn
from scheduler.contract.errors import NotFound
from scheduler.contract.followup import ABSENCES_IN_A_ROW, AttendanceStatus
from scheduler.services.attendance import (
    Mark,
    SessionAttendance,
    check_leads,
    client_attendance,
    mark_attendance,
    read_attendance,
    session_on,
)
from scheduler.services.ownership import check_handles

__all__ = ["as_leader", "router"]

router = APIRouter(tags=["attendance"])

GroupId = Annotated[Ref, Path(description="the group's id")]
Day = Annotated[IsoDate, Path(description="the session's date in the weekly rhythm, YYYY-MM-DD")]
ANSWERS: dict[int | str, dict[str, Any]] = {
    403: problem("not a leader of this session (or a counsellor: read your client's attendance instead)"),
    404: problem("no such group or client"),
    **ERRORS,
}


class MarkIn(ApiIn):
    """One participant's status: named by `seat` (what a leader sees) or by `client_id` (a coordinator)."""

    client_id: Ref | None = Field(default=None, description="the client's pseudonymous id")
    seat: int | None = Field(default=None, ge=1, description="the participant's seat number, as GET shows it")
    status: AttendanceStatus = Field(description="present, excused (absent with notice) or absent (without notice)")

    @model_validator(mode="after")
    def _one_name(self) -> MarkIn:
        if (self.client_id is None) == (self.seat is None):
            raise ValueError("name the participant by client_id or by seat (one of them)")
        return self


class ParticipantOut(BaseModel):
    seat: int = Field(description="the participant's seat number in the group: how a leader names them")
    client_id: str | None = Field(description="the client's id, for a coordinator only")
    name: str | None = Field(description="the alias (or 'participant N'), for the session's leaders only")
    status: AttendanceStatus | None = Field(description="none: not marked yet")
    marked_by: str | None
    marked_at: datetime | None
    trial: bool = Field(
        default=False, description="a trial visitor of this one session (named 'trial visitor N' without an alias)"
    )


class AttendanceOut(BaseModel):
    group_id: str
    day: date = Field(description="the session's date in the weekly rhythm (its key)")
    held_on: date = Field(description="the date it is held (a moved session's new date)")
    cancelled: bool = Field(description="a cancelled session takes no attendance")
    participants: list[ParticipantOut]


class MarkedOut(BaseModel):
    group_id: str
    day: date
    status: AttendanceStatus
    marked_at: datetime


class ClientAttendanceOut(BaseModel):
    client_id: str
    sessions: list[MarkedOut] = Field(description="every marked session, in date order")
    absences_in_a_row: int = Field(
        description=f"absences without notice at the end of the latest group's marks ({ABSENCES_IN_A_ROW} notify)"
    )


def _out(found: SessionAttendance, leader: bool) -> AttendanceOut:
    people = []
    visitors = 0
    for n, p in enumerate(found.participants, start=1):
        visitors += p.trial
        label = f"trial visitor {visitors}" if p.trial else f"participant {n}"
        people.append(
            ParticipantOut(
                seat=p.seat,
                client_id=None if leader else p.client_id,
                name=(p.alias or label) if leader else None,
                status=p.status,
                marked_by=p.marked_by,
                marked_at=p.marked_at,
                trial=p.trial,
            )
        )
    return AttendanceOut(
        group_id=found.group_id,
        day=found.day,
        held_on=found.term.day,
        cancelled=not found.term.held,
        participants=people,
    )


def as_leader(db: SessionDep, caller: Caller, group_id: str, day: date) -> bool:
    """True for a staff caller who leads the session (else 403); False for a coordinator."""
    if caller.role != "staff":
        return False
    check_leads(db, group_id, session_on(db, group_id, day), caller.staff_id)
    return True


@router.get("/groups/{group_id}/sessions/{day}/attendance", response_model=AttendanceOut, responses=ANSWERS)
def read(group_id: GroupId, day: Day, caller: Leader, db: SessionDep) -> AttendanceOut:
    """The session's participants (a seat that covers its date) with what was marked; `status` none when not yet."""
    leader = as_leader(db, caller, group_id, day)
    return _out(read_attendance(db, group_id, day), leader)


@router.put("/groups/{group_id}/sessions/{day}/attendance", response_model=AttendanceOut, responses=ANSWERS)
def mark(
    group_id: GroupId,
    day: Day,
    caller: Leader,
    db: SessionDep,
    clock: ClockDep,
    body: Annotated[list[MarkIn], Body(max_length=200, description="each participant once, with their status")],
) -> AttendanceOut:
    """Mark the listed participants (again overwrites); answers the whole session. Not for a cancelled session
    or one not yet held (422 naming `day`); someone with no seat that day is a 422 naming their line.
    Absences without notice in a row notify the client's counsellor."""
    leader = as_leader(db, caller, group_id, day)
    marks = [Mark(m.status, m.client_id, m.seat) for m in body]
    found = mark_attendance(db, group_id, day, marks, caller.actor, clock.today(), clock.now())
    db.commit()
    return _out(found, leader)


@router.get("/clients/{client_id}/attendance", response_model=ClientAttendanceOut, responses=ANSWERS)
def of_client(
    client_id: Annotated[Ref, Path(description="the client's id")], caller: Counsellor, db: SessionDep
) -> ClientAttendanceOut:
    """The client's marked sessions: their own counsellor's (and the shared queue's), and coordinators'."""
    if check_handles(db, caller.handler, client_id) is None:
        raise NotFound(f"no client {client_id!r}")
    marked = client_attendance(db, client_id)
    latest = marked[-1].group_id if marked else None
    run = 0
    for m in reversed([m for m in marked if m.group_id == latest]):
        if m.status != "absent":
            break
        run += 1
    return ClientAttendanceOut(
        client_id=client_id,
        sessions=[MarkedOut(group_id=m.group_id, day=m.day, status=m.status, marked_at=m.marked_at) for m in marked],
        absences_in_a_row=run,
    )
