"""Seats: a counsellor reserves one for a client, gives it up, or queues the client for a full group.

`Idempotency-Key` makes a retried reservation book once. A full group answers 409 and
points to its waiting list. A counsellor acts only for their own clients and the shared
queue (`scheduler.services.ownership`): another counsellor's client is a 403, and a waiting
list shows them only as a count.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.deps import Counsellor, SessionDep, today
from api.errors import ERRORS, Refused
from api.idempotency import IdempotencyKey, run_once
from api.problems import Problem, problem
from api.routers.resources_types import Ref
from api.schemas import ApiIn
from scheduler.contract import Reason
from scheduler.contract.errors import Invalid, NotFound
from scheduler.contract.followup import EndReason, NextStep
from scheduler.services.ownership import check_handles, visible
from scheduler.services.reservations import (
    GroupFull,
    UnknownClient,
    Unsuitable,
    cancel_seat,
    join_waitlist,
    reserve_seat,
    waiting,
)
from scheduler.storage.models import ClientRow, GroupRow

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
    remote: bool = Field(default=False, description="a hybrid group's seat taken from home")


class FullProblem(Problem):
    """The group is full: its waiting list is where the client may queue."""

    waiting_list: str = Field(description="where to add the client to the waiting list")


class UnsuitableProblem(Problem):
    """The group breaks the planner's rules for the client: which, and why."""

    reasons: list[Reason] = Field(default_factory=list)


class CancelOut(BaseModel):
    group_id: str
    client_id: str
    free_seats: int
    waiting: int = Field(description="clients on the group's waiting list, to offer the freed seat")


class WaitlistOut(BaseModel):
    group_id: str
    waiting: list[str] = Field(description="pseudonymous client ids, first come first (those the caller handles)")
    others: int = Field(0, description="other counsellors' clients on the list, only counted")


class QueuedOut(BaseModel):
    group_id: str
    client_id: str
    position: int


RESERVE_ERRORS = {
    404: problem("no such running group"),
    409: problem(
        "full (with its waiting list), unsuitable (with the reasons, `closed` among them), taken, or an open "
        "pop-up (anyone may just come: no seat)",
        FullProblem | UnsuitableProblem | Problem,
    ),
    **ERRORS,
}
SEAT_ERRORS = {404: problem("no such running group"), 409: problem("the client holds no seat in the group"), **ERRORS}

T = TypeVar("T")


def _explained(group_id: str, work: Callable[[], T]) -> T:
    """Do a seat change; an unknown client is a fault of the `client_id` field, and a refusal says what to do."""
    try:
        return work()
    except UnknownClient as unknown:
        raise Invalid.of("client_id", unknown.detail) from unknown
    except GroupFull as full:
        raise Refused(full.detail, {"waiting_list": f"/groups/{group_id}/waitlist"}) from full
    except Unsuitable as unsuitable:
        raise Refused(unsuitable.detail, {"reasons": [r.model_dump() for r in unsuitable.reasons]}) from unsuitable


@router.post("/enrollments", status_code=201, response_model=ReservationOut, responses=RESERVE_ERRORS)
def reserve(
    group_id: Ref,
    body: SeatIn,
    db: SessionDep,
    caller: Counsellor,
    on: Annotated[date, Depends(today)],
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Reserve a seat in the group for the client, from its next session."""
    check_handles(db, caller.handler, body.client_id)

    def work() -> dict[str, object]:
        seat = _explained(group_id, lambda: reserve_seat(db, group_id, body.client_id, caller.actor, on))
        return ReservationOut(
            enrollment_id=seat.enrollment_id,
            group_id=seat.group_id,
            client_id=seat.client_id,
            from_date=seat.from_date,
            free_seats=seat.free_seats,
            remote=seat.remote,
        ).model_dump(mode="json")

    return run_once(db, idempotency_key, {"group": group_id, "client": body.client_id, "op": "reserve"}, 201, work)


@router.delete("/enrollments/{client_id}", response_model=CancelOut, responses=SEAT_ERRORS)
def cancel(
    group_id: Ref,
    client_id: Ref,
    db: SessionDep,
    caller: Counsellor,
    on: Annotated[date, Depends(today)],
    end_reason: Annotated[
        EndReason | None, Query(description="why the seat ends; `completed` completes it, any other interrupts it")
    ] = None,
    next_step: Annotated[NextStep | None, Query(description="where the client goes next")] = None,
    leave_service: Annotated[
        bool, Query(description="the client leaves the service (else they keep waiting for another group)")
    ] = False,
) -> CancelOut:
    """Give up or end the client's seat, with why and where the client goes next: the seat is free again and
    the client keeps waiting for a group unless `leave_service`."""
    check_handles(db, caller.handler, client_id)
    free = cancel_seat(db, group_id, client_id, caller.actor, on, end_reason, next_step, leave_service)
    queue = len(waiting(db, group_id))
    db.commit()
    return CancelOut(group_id=group_id, client_id=client_id, free_seats=free, waiting=queue)


@router.get("/waitlist", response_model=WaitlistOut, responses={404: problem("no such group"), **ERRORS})
def waitlist(group_id: Ref, db: SessionDep, caller: Counsellor) -> WaitlistOut:
    """Who waits for a seat in the group: the clients the caller handles, and how many others."""
    if db.get(GroupRow, group_id) is None:
        raise NotFound(f"no group {group_id!r}")
    queue = waiting(db, group_id)
    mine = set(db.scalars(select(ClientRow.id).where(ClientRow.id.in_(queue), visible(caller.handler))))
    shown = [client for client in queue if client in mine]
    return WaitlistOut(group_id=group_id, waiting=shown, others=len(queue) - len(shown))


@router.post("/waitlist", status_code=201, response_model=QueuedOut, responses=RESERVE_ERRORS)
def queue(
    group_id: Ref, body: SeatIn, db: SessionDep, caller: Counsellor, on: Annotated[date, Depends(today)]
) -> QueuedOut:
    """Add the client to the group's waiting list (again gives their place)."""
    check_handles(db, caller.handler, body.client_id)
    position = _explained(group_id, lambda: join_waitlist(db, group_id, body.client_id, caller.actor, on))
    db.commit()
    return QueuedOut(group_id=group_id, client_id=body.client_id, position=position)
