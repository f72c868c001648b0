"""Ending a seat: a client completes or interrupts a group, and the seat is free again.

A seat ends with a reason (contract `END_REASONS`: `completed` for a seat that ran its course,
the others interrupt it) and where the client goes next (`NEXT_STEPS`), both optional except
that a completed seat's reason is `completed`; the county's figures count them.

A group that falls below its minimum size is never closed or deleted here: it keeps
running and is flagged, so the coordinator decides whether to fill it at the next
planning, merge it or close it. Nothing here commits: the caller's transaction
(`session_scope`) makes a seat change and its audit entry land together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.contract.errors import Conflict, Invalid
from scheduler.contract.followup import END_REASONS, NEXT_STEPS
from scheduler.contract.rules import SMALLEST_GROUP
from scheduler.storage.locks import lock_seat_holders
from scheduler.storage.models import AuditEntry, ClientRow, EnrollmentRow, GroupModelRow, GroupRow, OfferRow

__all__ = [
    "Ending",
    "EnrollmentChange",
    "EnrollmentError",
    "GroupShortfall",
    "check_ending",
    "end_enrollment",
    "ending_of",
    "groups_below_minimum",
    "withdraw_pending",
]

Ending = Literal["completed", "interrupted"]


class EnrollmentError(Conflict):
    """A seat change that the stored seats refuse, said in plain words."""


def ending_of(reason: str | None) -> Ending:
    """How a seat with this end reason ends: `completed` ran its course, every other reason interrupts it."""
    return "completed" if reason in (None, "completed") else "interrupted"


def check_ending(status: str, reason: str | None, next_step: str | None) -> None:
    """An end reason and next step from the contract's lists, the reason agreeing with the status;
    Invalid naming `end_reason` or `next_step` otherwise."""
    if reason is not None and reason not in END_REASONS:
        raise Invalid.of("end_reason", f"{reason!r} is not an end reason: one of {', '.join(END_REASONS)}")
    if next_step is not None and next_step not in NEXT_STEPS:
        raise Invalid.of("next_step", f"{next_step!r} is not a next step: one of {', '.join(NEXT_STEPS)}")
    if status == "active" and (reason is not None or next_step is not None):
        field = "end_reason" if reason is not None else "next_step"
        raise Invalid.of(field, "an active seat has not ended: give it with status 'completed' or 'interrupted'")
    if reason is not None and status != "active" and ending_of(reason) != status:
        raise Invalid.of(
            "end_reason",
            f"a seat that ends for {reason!r} is {ending_of(reason)!r}, not {status!r}"
            + (": only a seat that ran its course ends as 'completed'" if status == "completed" else ""),
        )


@dataclass(frozen=True)
class EnrollmentChange:
    """A seat that ended, and how many active participants its group has left."""

    client_id: str
    group_id: str
    status: Ending
    on: date
    left_service: bool
    active: int
    needed: int
    below_minimum: bool


@dataclass(frozen=True)
class GroupShortfall:
    """A running group with fewer active participants than it needs."""

    group_id: str
    template_id: str
    active: int
    needed: int


def end_enrollment(
    session: Session,
    client_id: str,
    group_id: str,
    status: Ending,
    on: date,
    actor: str,
    leaves_service: bool = True,
    reason: str | None = None,
    next_step: str | None = None,
) -> EnrollmentChange:
    """End the client's active seat in the group; the client leaves the service unless kept waiting.

    `reason` (a completed seat's is `completed` when not given) and `next_step` are kept on the seat;
    a reason or step not in the contract's lists, or a reason at odds with `status`, is Invalid.

    The client's row and then the group's row are locked first (`lock_seat_holders`, the
    order every seat change takes them in), so two seat changes in one group take turns
    and each counts the participants the other left.
    """
    if status not in ("completed", "interrupted"):
        raise EnrollmentError(f"a seat ends as 'completed' or 'interrupted', not {status!r}")
    check_ending(status, reason, next_step)
    lock_seat_holders(session, [client_id], [group_id])
    group = session.get(GroupRow, group_id, populate_existing=True)
    client = session.get(ClientRow, client_id)
    if group is None or client is None:
        found = (("client", client_id, client), ("group", group_id, group))
        missing = [f"{kind} {key!r}" for kind, key, row in found if row is None]
        raise EnrollmentError(f"no {' and no '.join(missing)} in the database")
    seat = _active_seat(session, client_id, group_id)
    on = max(on, seat.from_date)  # a seat given up before the group starts ends on its first day
    if leaves_service:
        _check_no_other_seat(session, client_id, group_id)
        client.in_service = False
        withdraw_pending(session, actor, client_id=client_id)  # an offer held by someone who left holds nothing
    seat.status, seat.to_date = status, on
    seat.end_reason = reason or ("completed" if status == "completed" else None)
    seat.next_step = next_step
    session.flush()
    active, needed = _active_count(session, group_id), _needed(session, group.template_id)
    change = EnrollmentChange(
        client_id,
        group_id,
        status,
        on,
        leaves_service,
        active,
        needed,
        below_minimum=group.status == "running" and active < needed,
    )
    _audit(session, actor, seat.id, change, seat.end_reason, seat.next_step)
    return change


def withdraw_pending(session: Session, actor: str, *, client_id: str | None = None, group_id: str | None = None) -> int:
    """Withdraw the pending offers of a client who left the service, or of a group called off; how many.

    Such an offer holds no seat any more: left pending, it would name a client or group the next plan's
    problem no longer has."""
    query = select(OfferRow).where(OfferRow.status == "pending")
    if client_id is not None:
        query = query.where(OfferRow.client_id == client_id)
    if group_id is not None:
        query = query.where(OfferRow.group_id == group_id)
    offers = list(session.scalars(query))
    for offer in offers:
        offer.status, offer.answered_by = "withdrawn", actor[:200]
    return len(offers)


def groups_below_minimum(session: Session) -> list[GroupShortfall]:
    """Running groups with fewer active participants than max(3, the template's minimum).

    Only seats count: a pending offer is not yet a participant who comes, so a group whose
    offers are unanswered shows here until they are accepted."""
    counts = (
        select(EnrollmentRow.group_id, func.count().label("active"))
        .where(EnrollmentRow.status == "active")
        .group_by(EnrollmentRow.group_id)
        .subquery()
    )
    active = func.coalesce(counts.c.active, 0)
    rows = session.execute(
        select(GroupRow.id, GroupRow.template_id, active, GroupModelRow.min_size)
        .join(GroupModelRow, GroupModelRow.id == GroupRow.template_id)
        .outerjoin(counts, counts.c.group_id == GroupRow.id)
        .where(GroupRow.status == "running")
        .order_by(GroupRow.id)
    )
    shortfalls = [
        GroupShortfall(group, template, int(active), max(SMALLEST_GROUP, min_size))
        for group, template, active, min_size in rows
    ]
    return [s for s in shortfalls if s.active < s.needed]


def _active_seat(session: Session, client_id: str, group_id: str) -> EnrollmentRow:
    seat = session.scalars(
        select(EnrollmentRow)
        .where(
            EnrollmentRow.client_id == client_id, EnrollmentRow.group_id == group_id, EnrollmentRow.status == "active"
        )
        .order_by(EnrollmentRow.id)
        .with_for_update()
    ).first()
    if seat is not None:
        return seat
    past = session.scalars(
        select(EnrollmentRow)
        .where(EnrollmentRow.client_id == client_id, EnrollmentRow.group_id == group_id)
        .order_by(EnrollmentRow.id.desc())
    ).first()
    ended = f" (their seat there was {past.status} on {past.to_date})" if past is not None else ""
    raise EnrollmentError(f"client {client_id!r} has no active seat in group {group_id!r}{ended}")


def _check_no_other_seat(session: Session, client_id: str, group_id: str) -> None:
    """A client seated in another group stays in the service: leaving would orphan that seat."""
    other = session.scalars(
        select(EnrollmentRow.group_id)
        .where(
            EnrollmentRow.client_id == client_id, EnrollmentRow.group_id != group_id, EnrollmentRow.status == "active"
        )
        .order_by(EnrollmentRow.group_id)
    ).first()
    if other is not None:
        raise EnrollmentError(
            f"client {client_id!r} still has an active seat in group {other!r}: "
            "end that seat too, or keep the client waiting (stay in the service)"
        )


def _active_count(session: Session, group_id: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(EnrollmentRow)
            .where(EnrollmentRow.group_id == group_id, EnrollmentRow.status == "active")
        )
        or 0
    )


def _needed(session: Session, template_id: str) -> int:
    template = session.get(GroupModelRow, template_id)
    return max(SMALLEST_GROUP, template.min_size if template is not None else SMALLEST_GROUP)


def _audit(
    session: Session, actor: str, seat_id: int, change: EnrollmentChange, seat_reason: str | None, seat_step: str | None
) -> None:
    """One entry for the seat; a second, on the group, when it fell below its minimum."""
    detail = {
        "client": change.client_id,
        "group": change.group_id,
        "status": change.status,
        "on": change.on.isoformat(),
        "left_service": change.left_service,
        "end_reason": seat_reason,
        "next_step": seat_step,
        "active": change.active,
        "needed": change.needed,
    }
    action = "complete" if change.status == "completed" else "interrupt"
    session.add(AuditEntry(actor=actor, action=action, entity="enrollment", entity_id=str(seat_id), detail=detail))
    if change.below_minimum:
        session.add(
            AuditEntry(
                actor=actor,
                action="below_minimum",
                entity="group",
                entity_id=change.group_id,
                detail={"active": change.active, "needed": change.needed},
            )
        )
