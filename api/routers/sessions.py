"""One session of a group, and a whole group, changed by a coordinator: what calendar subscribers see next.

A session is named by the date the weekly rhythm gives it. Cancel it, move it (another date,
time, hub or room), give it a substitute leader, or undo the change; cancel a whole group
from a date. Each change raises the group's SEQUENCE in the feeds.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, Field, model_validator
from sqlalchemy.orm import Session

from api.deps import ClockDep, Coordinator, SessionDep, allow
from api.errors import ERRORS
from api.problems import problem
from api.routers.resources_types import IsoDate, Ref, Text300, Time
from api.schemas import ApiIn
from scheduler.contract.rules import MAX_LEADERS, MIN_LEADERS
from scheduler.services.session_changes import (
    cancel_group,
    cancel_session,
    change_session,
    restore_session,
)
from scheduler.services.substitutes import Substitute, Substitutes, suggest_substitutes
from scheduler.services.term_sessions import SessionStatus, TermSession, group_sessions

__all__ = ["router"]

router = APIRouter(prefix="/groups", tags=["sessions"])

GroupId = Annotated[Ref, Path(description="the group's id")]
Day = Annotated[IsoDate, Path(description="the session's date in the weekly rhythm, YYYY-MM-DD")]
ANSWERS: dict[int | str, dict[str, Any]] = {
    404: problem("no such group or session change"),
    409: problem("the group is not running"),
    **ERRORS,
}


class SessionOut(BaseModel):
    """One date of the group's term and what happens on it."""

    planned: date = Field(description="the date the weekly rhythm gives")
    status: SessionStatus
    reason: str | None = Field(description="why it is cancelled, or the coordinator's note on a change")
    cause: str | None = Field(description="holiday, closure, session (this one called off) or group")
    day: date
    start: str
    end: str
    hub_id: str | None
    room_id: str | None
    leaders: list[str]
    changed_at: datetime | None


class ReasonOut(BaseModel):
    """One criterion for one staff member, met or not, in words."""

    criterion: str = Field(
        description="available, not_busy, can_drive, weekly_minutes (together: free), speaks_language, "
        "qualified, skills or drive"
    )
    ok: bool
    rule: str | None = Field(description="the hard rule's key behind it (docs/rules.md); none for the drive")
    text: str = Field(description="the reason in words (English; the coordinator's page says it in fi, sv or en)")


class CriteriaOut(BaseModel):
    """A flag per criterion, in the order the list is sorted by."""

    free: bool = Field(
        description="available, not leading an overlapping session, time to drive, within weekly minutes"
    )
    available: bool = Field(description="their windows on that weekday cover the session")
    not_busy: bool = Field(description="no other session of theirs overlaps it that day")
    can_drive: bool = Field(description="time to drive by car between their other sessions that day and this one")
    within_weekly_minutes: bool = Field(description="their sessions that week stay within max_weekly_minutes")
    speaks_language: bool
    qualified_where_needed: bool = Field(description="qualified, or a qualified leader stays")
    skills_covered: bool = Field(description="has the group model's skills the staying leader lacks")
    drive_minutes: int | None = Field(description="car minutes from their base hub (0 for a remote session)")


class SubstituteOut(BaseModel):
    """A staff member weighed for the session."""

    staff_id: str
    name: str
    base_hub: str
    fits: bool = Field(description="every criterion met: they could take the session")
    why: CriteriaOut
    reasons: list[ReasonOut]


class SubstitutesOut(BaseModel):
    """Who could lead the session, best first: those who fit, then the others with why not."""

    group_id: str
    planned: date = Field(description="the session's date in the weekly rhythm")
    day: date = Field(description="the date it is held (a moved session's new date)")
    start: str
    end: str
    hub_id: str | None
    language: str
    replacing: str | None = Field(description="the leader replaced; none: an extra leader")
    staying: list[str] = Field(description="the leaders who stay")
    needs_qualified: bool = Field(description="no qualified leader stays, so the substitute must be qualified")
    needs_skills: list[str] = Field(description="skills the group model requires that the staying leader lacks")
    total: int = Field(description="staff weighed")
    fitting: int = Field(description="of whom fit every criterion")
    items: list[SubstituteOut]


class CancelIn(ApiIn):
    reason: Text300 | None = Field(default=None, description="shown to subscribers, say 'the leader is ill'")


class ChangeIn(ApiIn):
    """What is different about this one session; leave out what stays."""

    moved_to: IsoDate | None = Field(default=None, description="another date in the term")
    start: Time | None = None
    end: Time | None = None
    hub_id: Ref | None = None
    room_id: Ref | None = None
    leaders: Annotated[list[Ref], Field(min_length=MIN_LEADERS, max_length=MAX_LEADERS)] | None = Field(
        default=None, description="the substitute leader(s) for this session"
    )
    reason: Text300 | None = None

    @model_validator(mode="after")
    def _something(self) -> ChangeIn:
        if not self.model_fields_set - {"reason"}:
            raise ValueError("say what changes: moved_to, start, end, hub_id, room_id or leaders")
        return self


class GroupCancelIn(ApiIn):
    on: IsoDate = Field(description="the first date without sessions; seats end then")
    reason: Text300 | None = None


def _out(term: TermSession) -> SessionOut:
    return SessionOut(
        planned=term.planned,
        status=term.status,
        reason=term.reason,
        cause=term.cause,
        day=term.day,
        start=term.start,
        end=term.end,
        hub_id=term.hub_id,
        room_id=term.room_id,
        leaders=list(term.leaders),
        changed_at=term.changed_at,
    )


def _substitute(found: Substitute) -> SubstituteOut:
    return SubstituteOut(
        staff_id=found.staff_id,
        name=found.name,
        base_hub=found.base_hub,
        fits=found.fits,
        why=CriteriaOut(
            free=found.free,
            available=found.available,
            not_busy=found.not_busy,
            can_drive=found.can_drive,
            within_weekly_minutes=found.within_weekly_minutes,
            speaks_language=found.speaks_language,
            qualified_where_needed=found.qualified_where_needed,
            skills_covered=found.skills_covered,
            drive_minutes=found.drive_minutes,
        ),
        reasons=[ReasonOut(criterion=r.criterion, ok=r.ok, rule=r.rule, text=r.text) for r in found.reasons],
    )


def substitutes_out(found: Substitutes, limit: int) -> SubstitutesOut:
    return SubstitutesOut(
        group_id=found.group_id,
        planned=found.planned,
        day=found.day,
        start=found.start,
        end=found.end,
        hub_id=found.hub_id,
        language=found.language,
        replacing=found.replacing,
        staying=list(found.staying),
        needs_qualified=found.needs_qualified,
        needs_skills=list(found.needs_skills),
        total=len(found.substitutes),
        fitting=sum(1 for s in found.substitutes if s.fits),
        items=[_substitute(s) for s in found.substitutes[:limit]],
    )


def _sessions(db: Session, group_id: str) -> list[SessionOut]:
    return [_out(t) for t in group_sessions(db, group_id)]


def _run(db: Session, change: Any) -> None:
    """Make a change and commit it; its faults answer 404, 409 or 422 on the field (`api.errors`)."""
    change()
    db.commit()


@router.get(
    "/{group_id}/sessions",
    response_model=list[SessionOut],
    responses=ANSWERS,
    dependencies=[Depends(allow("coordinator", "counsellor"))],
)
def list_sessions(group_id: GroupId, db: SessionDep) -> list[SessionOut]:
    """The group's sessions over the term: held, cancelled (with the reason), moved or with a substitute."""
    return _sessions(db, group_id)


@router.get(
    "/{group_id}/sessions/{day}/substitutes",
    response_model=SubstitutesOut,
    responses=ANSWERS,
    dependencies=[Depends(allow("coordinator"))],
)
def substitutes(
    group_id: GroupId,
    day: Day,
    db: SessionDep,
    replacing: Annotated[
        Ref | None, Query(description="the leader who is away (staff id); leave out for an extra leader")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="how many to list, best first")] = 20,
) -> SubstitutesOut:
    """Staff who could lead this session, best first: free then (available, no overlapping session, time to
    drive, within weekly minutes), speak the group's language, qualified where the group needs it, the skills
    it needs, the shortest drive from their base hub. Those who cannot follow, each with why not."""
    return substitutes_out(suggest_substitutes(db, group_id, day, replacing), limit)


@router.post("/{group_id}/sessions/{day}/cancel", response_model=list[SessionOut], responses=ANSWERS)
def cancel_one(
    group_id: GroupId, day: Day, body: CancelIn, caller: Coordinator, db: SessionDep, clock: ClockDep
) -> list[SessionOut]:
    """Call off one session; the group's other sessions stay. Within 48 hours of its start, its leaders and the
    participants' counsellors get a notice (and an e-mail when configured, after the answer)."""
    _run(db, lambda: cancel_session(db, group_id, day, body.reason, caller.actor, clock.now()))
    return _sessions(db, group_id)


@router.patch("/{group_id}/sessions/{day}", response_model=list[SessionOut], responses=ANSWERS)
def change_one(
    group_id: GroupId, day: Day, body: ChangeIn, caller: Coordinator, db: SessionDep, clock: ClockDep
) -> list[SessionOut]:
    """Move one session (date, time, hub, room) or give it a substitute leader. A move within 48 hours of the old
    or new start is told to the leaders and the participants' counsellors by notice."""
    changes = body.model_dump(exclude_unset=True)
    _run(db, lambda: change_session(db, group_id, day, changes, caller.actor, clock.now()))
    return _sessions(db, group_id)


@router.delete("/{group_id}/sessions/{day}", status_code=204, response_class=Response, responses=ANSWERS)
def restore_one(group_id: GroupId, day: Day, caller: Coordinator, db: SessionDep) -> Response:
    """Undo the change: the session is held as the weekly rhythm says."""
    _run(db, lambda: restore_session(db, group_id, day, caller.actor))
    return Response(status_code=204)


@router.post("/{group_id}/cancel", response_model=list[SessionOut], responses=ANSWERS)
def cancel_whole(
    group_id: GroupId, body: GroupCancelIn, caller: Coordinator, db: SessionDep, clock: ClockDep
) -> list[SessionOut]:
    """Cancel the group from a date: its seats end, and feeds show it cancelled until its term ends. Its sessions
    within 48 hours are told to the leaders and the participants' counsellors by notice."""
    _run(db, lambda: cancel_group(db, group_id, body.on, body.reason, caller.actor, clock.now()))
    return _sessions(db, group_id)
