"""A counsellor's or staff member's own notices: newest first with the unread count, and marking them read.

Each reads only their own (`scheduler.services.notice_lists`); a counsellor's notice names their
client (id and alias) while the client is still theirs, a staff member's never names a client.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from api.deps import Caller, ClockDep, SessionDep, allow
from api.errors import ERRORS
from api.problems import problem
from scheduler.services.notice_lists import mark_all_read, mark_read, notice_list, recipient_of
from scheduler.storage.models import CounsellorRow, StaffRow

__all__ = ["router"]

router = APIRouter(prefix="/me/notices", tags=["me"])

Reader = Annotated[Caller, Depends(allow("counsellor", "staff"))]


class NoticeOut(BaseModel):
    """One notice in the reader's language."""

    id: int
    kind: str = Field(description="absences, offer_made, offer_expiring, session_cancelled or session_moved")
    created_at: datetime
    read: bool
    group_id: str | None
    day: date | None = Field(description="the session's date in the weekly rhythm, or the offered seat's first day")
    title: str
    text: str
    client_id: str | None = Field(default=None, description="the counsellor's own client it is about (never to staff)")
    alias: str | None = Field(default=None, description="that client's alias, only to their own counsellor")
    mail: str = Field(description="its e-mail: none (list only), pending, sent or failed")


class NoticesOut(BaseModel):
    unread: int
    total: int
    items: list[NoticeOut] = Field(description="newest first")


class MarkedOut(BaseModel):
    marked: int = Field(description="notices marked read now")


def _recipient(caller: Caller) -> str | None:
    if caller.role == "counsellor":
        return recipient_of(counsellor_id=caller.counsellor_id)
    return recipient_of(staff_id=caller.staff_id)


def _stored_lang(db: Session, caller: Caller) -> str:
    """The reader's own language for notices (their `lang`), Finnish when unknown."""
    row = (
        db.get(CounsellorRow, caller.counsellor_id)
        if caller.role == "counsellor" and caller.counsellor_id
        else db.get(StaffRow, caller.staff_id)
        if caller.staff_id
        else None
    )
    return row.lang if row is not None and row.lang else "fi"


@router.get("", response_model=NoticesOut, responses=ERRORS)
def my_notices(
    caller: Reader,
    db: SessionDep,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500, description="at most this many, newest first")] = 50,
    unread: Annotated[bool, Query(description="only the unread ones")] = False,
    lang: Annotated[Literal["fi", "sv", "en"] | None, Query(description="default: the reader's own language")] = None,
) -> NoticesOut:
    """The caller's own notices, newest first, and how many are unread."""
    found = notice_list(
        db, _recipient(caller), lang or _stored_lang(db, caller), request.app.state.settings.public_url, limit, unread
    )
    return NoticesOut(
        unread=found.unread,
        total=found.total,
        items=[
            NoticeOut(
                id=n.id,
                kind=n.kind,
                created_at=n.created_at,
                read=n.read_at is not None,
                group_id=n.group_id,
                day=n.day,
                title=n.title,
                text=n.text,
                client_id=n.client_id if caller.role == "counsellor" else None,
                alias=n.alias if caller.role == "counsellor" else None,
                mail=n.mail_status,
            )
            for n in found.items
        ],
    )


@router.post("/read", response_model=MarkedOut, responses=ERRORS)
def read_all(caller: Reader, db: SessionDep, clock: ClockDep) -> MarkedOut:
    """Mark every unread notice of the caller read."""
    marked = mark_all_read(db, _recipient(caller), clock.now())
    db.commit()
    return MarkedOut(marked=marked)


@router.post(
    "/{notice_id}/read",
    status_code=204,
    response_class=Response,
    responses={404: problem("no such notice of yours"), **ERRORS},
)
def read_one(
    notice_id: Annotated[int, Path(ge=1, description="the notice's number")],
    caller: Reader,
    db: SessionDep,
    clock: ClockDep,
) -> Response:
    """Mark one of the caller's notices read (another's is a 404)."""
    mark_read(db, _recipient(caller), notice_id, clock.now())
    db.commit()
    return Response(status_code=204)
