"""Seats: a counsellor reserves one for a client, gives it up, or queues the client for a full group.

`Idempotency-Key` makes a retried reservation book once. A full group answers 409 and
points to its waiting list.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from scheduler.contract import Reason
from scheduler.storage.enrollments import EnrollmentError
from scheduler.storage.models import GroupRow
from scheduler.services.reservations import (
    GroupFull,
    UnknownClient,
    Unsuitable,
    cancel_seat,
    join_waitlist,
    reserve_seat,
    waiting,
)

from api.deps import Counsellor, SessionDep, today
from api.errors import ERRORS, Conflict, ErrorOut, NotFound, field_errors
from api.idempotency import run_once
from api.schemas import ApiIn
from api.routers.resources_types import Ref

__all__ = ["router"]

router = APIRouter(prefix="/groups/{group_id}", tags=["reservations"])


class SeatIn(ApiIn):
    client_id: Ref = Field(description="the client's pseudonymous id")


class ReservationOut(BaseModel):
    enrollment_id: int
    group_id: str
    client_id: str
    from_date: date
    free_seats: int = Field(description="free seats left in the group")


class FullOut(BaseModel):
    detail: str
    waiting_list: str = Field(description="where to add the client to the waiting list")


class UnsuitableOut(BaseModel):
    detail: str
    reasons: list[Reason] = Field(default_factory=list)


class CancelOut(BaseModel):
    group_id: str
    client_id: str
    free_seats: int
    waiting: int = Field(description="clients on the group's waiting list, to offer the freed seat")


class WaitlistOut(BaseModel):
    group_id: str
    waiting: list[str] = Field(description="pseudonymous client ids, first come first")


class QueuedOut(BaseModel):
    group_id: str
    client_id: str
    position: int


RESERVE_ERRORS = {404: {"model": ErrorOut}, 409: {"model": FullOut | UnsuitableOut | ErrorOut,  # type: ignore[dict-item]
                                                  "description": "full (with its waiting list), unsuitable or taken"},
                  **ERRORS}


def _conflict(error: Exception, group_id: str) -> Exception:
    if isinstance(error, UnknownClient):
        return field_errors("body", [("client_id", str(error))])
    if isinstance(error, LookupError):
        return NotFound(str(error).strip("'\""))
    if isinstance(error, GroupFull):
        return Conflict(str(error), {"waiting_list": f"/groups/{group_id}/waitlist"})
    if isinstance(error, Unsuitable):
        return Conflict(str(error), {"reasons": [r.model_dump() for r in error.reasons]})
    return Conflict(str(error))


@router.post("/enrollments", status_code=201, response_model=ReservationOut, responses=RESERVE_ERRORS)
def reserve(group_id: Ref, body: SeatIn, db: SessionDep, caller: Counsellor,
            on: Annotated[date, Depends(today)],
            idempotency_key: Annotated[str | None, Header(max_length=200, pattern=r"^[\x21-\x7e]+$",
                                                          description="a retry with the same key books once")] = None,
            ) -> JSONResponse:
    """Reserve a seat in the group for the client, from its next session."""
    def work() -> dict[str, object]:
        try:
            seat = reserve_seat(db, group_id, body.client_id, caller.actor, on)
        except (LookupError, EnrollmentError) as error:
            raise _conflict(error, group_id) from error
        return ReservationOut(enrollment_id=seat.enrollment_id, group_id=seat.group_id, client_id=seat.client_id,
                              from_date=seat.from_date, free_seats=seat.free_seats).model_dump(mode="json")

    return run_once(db, idempotency_key, {"group": group_id, "client": body.client_id, "op": "reserve"}, 201, work)


@router.delete("/enrollments/{client_id}", response_model=CancelOut, responses={404: {"model": ErrorOut},
               409: {"model": ErrorOut}, **ERRORS})
def cancel(group_id: Ref, client_id: Ref, db: SessionDep, caller: Counsellor,
           on: Annotated[date, Depends(today)]) -> CancelOut:
    """Give up the client's seat: it is free again and the client keeps waiting for a group."""
    try:
        free = cancel_seat(db, group_id, client_id, caller.actor, on)
    except (LookupError, EnrollmentError) as error:
        raise _conflict(error, group_id) from error
    queue = len(waiting(db, group_id))
    db.commit()
    return CancelOut(group_id=group_id, client_id=client_id, free_seats=free, waiting=queue)


@router.get("/waitlist", response_model=WaitlistOut, responses={404: {"model": ErrorOut}, **ERRORS})
def waitlist(group_id: Ref, db: SessionDep, _: Counsellor) -> WaitlistOut:
    """Who waits for a seat in the group."""
    if db.get(GroupRow, group_id) is None:
        raise NotFound(f"no group {group_id!r}")
    return WaitlistOut(group_id=group_id, waiting=waiting(db, group_id))


@router.post("/waitlist", status_code=201, response_model=QueuedOut, responses=RESERVE_ERRORS)
def queue(group_id: Ref, body: SeatIn, db: SessionDep, caller: Counsellor,
          on: Annotated[date, Depends(today)]) -> QueuedOut:
    """Add the client to the group's waiting list (again gives their place)."""
    try:
        position = join_waitlist(db, group_id, body.client_id, caller.actor, on)
    except (LookupError, EnrollmentError) as error:
        raise _conflict(error, group_id) from error
    db.commit()
    return QueuedOut(group_id=group_id, client_id=body.client_id, position=position)
