"""Who am I; for a staff member the sessions they lead (with their participants' aliases); for a
counsellor their clients."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.deps import Caller, SessionDep, allow, today
from api.errors import ERRORS
from scheduler.services.caseload import ClientStanding, caseload, led_participants
from scheduler.services.offering import OfferedGroup, load_offering
from scheduler.storage.models import GroupRow

__all__ = ["router"]

router = APIRouter(prefix="/me", tags=["me"])

AnyRole = Annotated[Caller, Depends(allow("coordinator", "counsellor", "staff"))]
StaffOnly = Annotated[Caller, Depends(allow("staff"))]
CounsellorOnly = Annotated[Caller, Depends(allow("counsellor"))]


class MeOut(BaseModel):
    role: str
    name: str
    staff_id: str | None
    counsellor_id: str | None = None


class Participants(BaseModel):
    """Who takes part in a group, as its leaders call them: aliases, or a neutral numbered label."""

    group_id: str
    names: list[str] = Field(description="each participant's alias, or 'participant N' when they have none")


class SessionsOut(BaseModel):
    staff_id: str
    groups: list[OfferedGroup] = Field(description="the running groups they lead, with their next sessions")
    participants: list[Participants] = Field(
        default_factory=list, description="per group they lead, its participants' aliases (never a client id)"
    )


class OfferHeld(BaseModel):
    id: int
    group_id: str
    starts_on: date
    reply_by: date = Field(description="the last day to answer (accept or decline at /offers)")


class SeatHeld(BaseModel):
    group_id: str
    from_date: date
    to_date: date | None = Field(description="the seat's last day (its service period's end); none: open")
    next_session: date | None


class SeatEnded(BaseModel):
    group_id: str
    from_date: date
    to_date: date | None
    status: Literal["completed", "interrupted"]
    end_reason: str | None = Field(description="why it ended (END_REASONS); none when nobody said")
    next_step: str | None = Field(description="where the client went next (NEXT_STEPS)")


class TrialHeld(BaseModel):
    id: int
    group_id: str
    day: date = Field(description="the session the client tries (after it: offer the group or let the visit end)")


class MyClient(BaseModel):
    """A client as their counsellor follows them today."""

    id: str
    alias: str | None = Field(description="the display name, only on the counsellor's own clients")
    queue: bool = Field(description="a client of the shared queue (no responsible counsellor yet)")
    status: Literal["waiting", "offered", "seated", "left"]
    waiting_since: date = Field(description="waiting counts from here: the case opening, or waiting_since")
    offers: list[OfferHeld] = Field(description="offers waiting for the client's answer")
    seats: list[SeatHeld]
    ended_seats: list[SeatEnded] = Field(default_factory=list, description="the latest ended seats, the latest first")
    next_session: date | None
    next_evaluation: date | None
    decision_end: date | None = Field(description="the last day of the service period in force (capped)")
    decision_due: date | None = Field(description="the §45 deadline: three months from the case opening")
    deadline_past: bool = Field(description="the §45 deadline has passed with no decision on record")
    attention: list[
        Literal["decision_overdue", "decision_ends_soon", "evaluation_due", "absences", "trial_visited"]
    ] = Field(
        description="what needs attention, most urgent first (`absences`: absences without notice in a row; "
        "`trial_visited`: a trial visit's day has passed: offer the group or let the visit end)"
    )
    absences: dict[str, int] = Field(
        default_factory=dict,
        description="per group, how many of the client's latest marked sessions were absences without notice in a row "
        "(listed from two; see GET /clients/{id}/attendance)",
    )
    trial_visits: list[TrialHeld] = Field(
        default_factory=list, description="booked trial visits (GET /clients/{id}/trial-visits for all)"
    )


class OthersOut(BaseModel):
    """Other counsellors' clients in the service, only counted."""

    clients: int
    waiting: int
    seated: int


class MyClientsOut(BaseModel):
    counsellor_id: str | None
    clients: list[MyClient] = Field(description="the counsellor's own clients, those needing attention first")
    queue: list[MyClient] = Field(description="the shared queue: clients in service with no counsellor yet")
    others: OthersOut


@router.get("", response_model=MeOut, responses=ERRORS)
def me(caller: AnyRole) -> MeOut:
    """The role and name of the token."""
    assert caller.role is not None
    return MeOut(role=caller.role, name=caller.name, staff_id=caller.staff_id, counsellor_id=caller.counsellor_id)


@router.get("/sessions", response_model=SessionsOut, responses=ERRORS)
def my_sessions(caller: StaffOnly, db: SessionDep, on: Annotated[date, Depends(today)]) -> SessionsOut:
    """The groups the staff member leads: where, when, the next dates and who takes part (by alias). Only their own."""
    assert caller.staff_id is not None
    led = {
        g.id for g in db.scalars(select(GroupRow).where(GroupRow.status == "running")) if caller.staff_id in g.leaders
    }
    groups = [g for g in load_offering(db, on, upcoming=100) if g.id in led]
    names = led_participants(db, sorted(led))
    return SessionsOut(
        staff_id=caller.staff_id,
        groups=groups,
        participants=[Participants(group_id=group, names=names[group]) for group in sorted(led)],
    )


def _client(standing: ClientStanding) -> MyClient:
    dates = standing.dates
    return MyClient(
        id=standing.id,
        alias=None if standing.queue else standing.alias,
        queue=standing.queue,
        status=standing.status,
        waiting_since=standing.waiting_since,
        offers=[
            OfferHeld(id=o.id, group_id=o.group_id, starts_on=o.starts_on, reply_by=o.reply_by) for o in standing.offers
        ],
        seats=[
            SeatHeld(group_id=s.group_id, from_date=s.from_date, to_date=s.to_date, next_session=s.next_session)
            for s in standing.seats
        ],
        ended_seats=[
            SeatEnded(
                group_id=e.group_id,
                from_date=e.from_date,
                to_date=e.to_date,
                status=e.status,
                end_reason=e.end_reason,
                next_step=e.next_step,
            )
            for e in standing.ended
        ],
        next_session=standing.next_session,
        next_evaluation=dates.next_evaluation,
        decision_end=dates.decision_end,
        decision_due=dates.decision_due,
        deadline_past=dates.decision_overdue,
        attention=standing.attention,
        absences=standing.absences,
        trial_visits=[TrialHeld(id=t.id, group_id=t.group_id, day=t.day) for t in standing.trials],
    )


@router.get("/clients", response_model=MyClientsOut, responses=ERRORS)
def my_clients(caller: CounsellorOnly, db: SessionDep, on: Annotated[date, Depends(today)]) -> MyClientsOut:
    """The counsellor's clients today, those needing attention first (a decision ending within four weeks, an
    evaluation due, the §45 deadline past), then the shared queue; other counsellors' clients only as counts."""
    found = caseload(db, caller.handler, on)
    others = found.others
    return MyClientsOut(
        counsellor_id=caller.counsellor_id,
        clients=[_client(s) for s in found.mine],
        queue=[_client(s) for s in found.queue],
        others=OthersOut(clients=others.clients, waiting=others.waiting, seated=others.seated),
    )
