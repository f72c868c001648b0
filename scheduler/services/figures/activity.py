"""Offers, attendance, seats by municipality × language × kind, and how seats ended, for a period."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.contract.followup import END_REASONS, NEXT_STEPS
from scheduler.contract.service import DECLINE_REASONS
from scheduler.services.figures.clients import seats_in
from scheduler.services.figures.model import AttendanceFigures, EndingFigures, OfferFigures, SeatCell
from scheduler.storage.models import (
    AttendanceRow,
    EnrollmentRow,
    GroupModelRow,
    GroupRow,
    HeadCount,
    HubRow,
    OfferRow,
)

__all__ = ["REMOTE", "UNRECORDED", "attendance_figures", "ending_figures", "offer_figures", "seat_cells", "share"]

REMOTE = "remote"
"""The municipality of a group held remotely (it has no hub)."""
UNRECORDED = "unrecorded"
"""The key of seats that ended with no end reason (or next step) on record, and declines with no reason."""


def share(part: int, whole: int, digits: int = 4) -> float | None:
    """`part / whole` rounded, or none when there is nothing to divide."""
    return round(part / whole, digits) if whole else None


def offer_figures(session: Session, start: date, end: date) -> OfferFigures:
    """Offers made in the period, and what each has become by now (accepted, declined, expired, ...)."""
    made = list(session.scalars(select(OfferRow).where(OfferRow.made_on >= start, OfferRow.made_on <= end)))
    status = Counter(o.status for o in made)
    reasons = dict.fromkeys((*DECLINE_REASONS, UNRECORDED), 0)
    for offer in made:
        if offer.status == "declined":
            key = offer.decline_reason if offer.decline_reason in reasons else UNRECORDED
            reasons[key] += 1
    return OfferFigures(
        made=len(made),
        accepted=status["accepted"],
        declined=status["declined"],
        expired=status["expired"],
        withdrawn=status["withdrawn"],
        pending=status["pending"],
        declined_by_reason=reasons,
    )


def attendance_figures(session: Session, start: date, end: date) -> AttendanceFigures:
    """The leaders' marks of the period's sessions (by the session's rhythm date): present, excused, absent;
    and the open pop-up sessions' head counts (how many sessions were counted, and how many people)."""
    rows = session.execute(
        select(AttendanceRow.status).where(AttendanceRow.day >= start, AttendanceRow.day <= end)
    ).scalars()
    counts = Counter(rows)
    marked = counts["present"] + counts["excused"] + counts["absent"]
    heads = session.execute(
        select(func.count(), func.coalesce(func.sum(HeadCount.head_count), 0)).where(
            HeadCount.day >= start, HeadCount.day <= end
        )
    ).one()
    return AttendanceFigures(
        marked=marked,
        present=counts["present"],
        excused=counts["excused"],
        absent=counts["absent"],
        rate=share(counts["present"], marked),
        excused_share=share(counts["excused"], marked),
        absent_share=share(counts["absent"], marked),
        popup_sessions=int(heads[0]),
        popup_heads=int(heads[1]),
    )


def seat_cells(session: Session, start: date, end: date) -> list[SeatCell]:
    """Seats active in the period by the group's municipality (its hub's; remote: 'remote'), language and kind."""
    seats = seats_in(session, start, end)
    groups = {
        group.id: (hub or REMOTE, group.language, kind)
        for group, hub, kind in session.execute(
            select(GroupRow, HubRow.municipality, GroupModelRow.kind)
            .join(GroupModelRow, GroupModelRow.id == GroupRow.template_id)
            .outerjoin(HubRow, HubRow.id == GroupRow.hub_id)
            .where(GroupRow.id.in_({s.group_id for s in seats}))
        )
    }
    counts = Counter(groups[s.group_id] for s in seats)
    order = sorted(counts, key=lambda key: (key[0] == REMOTE, key))
    return [SeatCell(municipality=m, language=lang, kind=kind, seats=counts[m, lang, kind]) for m, lang, kind in order]


def ending_figures(session: Session, start: date, end: date) -> EndingFigures:
    """Seats that ended in the period (their last day in it), by end reason and next step."""
    ended = list(
        session.scalars(
            select(EnrollmentRow).where(
                EnrollmentRow.status.in_(("completed", "interrupted")),
                EnrollmentRow.to_date >= start,
                EnrollmentRow.to_date <= end,
            )
        )
    )
    reasons = dict.fromkeys((*END_REASONS, UNRECORDED), 0)
    steps = dict.fromkeys((*NEXT_STEPS, UNRECORDED), 0)
    for seat in ended:
        reasons[seat.end_reason if seat.end_reason in reasons else UNRECORDED] += 1
        steps[seat.next_step if seat.next_step in steps else UNRECORDED] += 1
    return EndingFigures(ended=len(ended), reasons=reasons, next_steps=steps)
