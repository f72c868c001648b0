"""The seats trial visits hold, and who comes on one: what the offering, the attendance list and the
caseload read of trial visits (`scheduler.services.trial_visits` books them).

A booked trial visit holds one seat of its group on its day only. The offering's free seats are the
group's seats now, so they leave out the most trial visits booked for any one of its sessions from
today on (a seat given now is a seat on every coming session). The booking itself counts the visits
of its own day (`trial_seats_on`). This module reads storage only, so the offering and the attendance
service may import it without importing the booking rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.storage.models import ClientRow, TrialVisit

__all__ = [
    "TRIAL_SEAT_BASE",
    "TrialHeld",
    "TrialVisitor",
    "booked_trials",
    "trial_seats_held",
    "trial_seats_on",
    "trial_visitors_on",
]

TRIAL_SEAT_BASE = 2**30
"""A trial visitor's number on a session's attendance list: this plus the visit's id (never a seat's id)."""


def trial_seats_on(session: Session, group_id: str, day: date) -> int:
    """How many trial visits are booked in the group on that session (its rhythm date)."""
    query = select(func.count()).where(
        TrialVisit.group_id == group_id, TrialVisit.day == day, TrialVisit.status == "booked"
    )
    return int(session.scalar(query) or 0)


def trial_seats_held(session: Session, today: date, only: str | None = None) -> dict[str, int]:
    """Per group (or `only` the one), the most trial visits booked on any one of its sessions from today on."""
    query = (
        select(TrialVisit.group_id, TrialVisit.day, func.count())
        .where(TrialVisit.status == "booked", TrialVisit.day >= today, *([TrialVisit.group_id == only] if only else []))
        .group_by(TrialVisit.group_id, TrialVisit.day)
    )
    held: dict[str, int] = {}
    for group_id, _, count in session.execute(query):
        held[group_id] = max(held.get(group_id, 0), int(count))
    return held


@dataclass(frozen=True)
class TrialVisitor:
    """A client who comes (or came) to one session on a trial visit, as the session's list shows them."""

    visit_id: int
    client_id: str
    alias: str | None
    counsellor_id: str | None

    @property
    def seat(self) -> int:
        """Their number on the session's list, beside the participants' seat numbers."""
        return TRIAL_SEAT_BASE + self.visit_id


def trial_visitors_on(session: Session, group_id: str, day: date) -> list[TrialVisitor]:
    """The trial visitors of the group's session of that rhythm date (a cancelled visit is none), booking order."""
    rows = session.execute(
        select(TrialVisit.id, ClientRow.id, ClientRow.alias, ClientRow.counsellor_id)
        .join(ClientRow, ClientRow.id == TrialVisit.client_id)
        .where(TrialVisit.group_id == group_id, TrialVisit.day == day, TrialVisit.status != "cancelled")
        .order_by(TrialVisit.id)
    )
    return [TrialVisitor(*row) for row in rows]


@dataclass(frozen=True)
class TrialHeld:
    """A client's booked trial visit, as their counsellor follows it."""

    id: int
    group_id: str
    day: date


def booked_trials(session: Session, client_ids: Iterable[str]) -> dict[str, list[TrialHeld]]:
    """Each client's booked trial visits (not yet offered, let end or cancelled), in date order."""
    found: dict[str, list[TrialHeld]] = {}
    for visit in session.scalars(
        select(TrialVisit)
        .where(TrialVisit.client_id.in_(list(client_ids)), TrialVisit.status == "booked")
        .order_by(TrialVisit.day, TrialVisit.id)
    ):
        found.setdefault(visit.client_id, []).append(TrialHeld(visit.id, visit.group_id, visit.day))
    return found
