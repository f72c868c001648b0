"""A counsellor's caseload: each of their clients with where they stand today, and what needs attention.

"My clients" (the API's `GET /me/clients` and the `/my/clients` page) and the coordinator's
clients list read it. A client is `waiting`, `offered` (an offer waits for their answer),
`seated` (an active seat) or `left` (out of the service). Attention is due when the §45
deadline has passed with no decision on record, when the service period in force ends within
four weeks with no continuation, when an evaluation is due within four weeks (or is past), or when
the client's latest marked sessions of a group are absences without notice in a row
(`attendance.absence_streaks`; shown for the shared queue too, whose clients get no notice), or when a
booked trial visit's day has passed (`trial_visited`: offer the group or let the visit end).
Other counsellors' clients are only counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from scheduler.services.attendance import absence_streaks
from scheduler.services.ownership import Handler, visible
from scheduler.services.service_periods import ServiceDates, service_dates
from scheduler.services.term_sessions import groups_sessions
from scheduler.services.trial_seats import TrialHeld, booked_trials
from scheduler.storage.models import ClientRow, EnrollmentRow, GroupRow, OfferRow

__all__ = [
    "Caseload",
    "ClientStanding",
    "EndedSeat",
    "HeldOffer",
    "Others",
    "Seat",
    "attention_of",
    "caseload",
    "led_participants",
    "needs_attention",
    "standings",
]

Status = Literal["waiting", "offered", "seated", "left"]
ENDED_SHOWN = 3
"""How many of a client's ended seats their standing lists."""
Attention = Literal["decision_overdue", "decision_ends_soon", "evaluation_due", "absences", "trial_visited"]


def attention_of(client: ClientRow, dates: ServiceDates) -> list[Attention]:
    """What needs the counsellor's attention about the client today, most urgent first (none once they left)."""
    if not client.in_service:
        return []
    found: list[Attention] = []
    if dates.decision_overdue:
        found.append("decision_overdue")
    if dates.decision_ends_soon:
        found.append("decision_ends_soon")
    if dates.evaluation_due:
        found.append("evaluation_due")
    return found


def needs_attention(client: ClientRow, today: date) -> bool:
    return bool(attention_of(client, service_dates(client, today)))


@dataclass(frozen=True)
class HeldOffer:
    """An offer waiting for the client's answer."""

    id: int
    group_id: str
    starts_on: date
    reply_by: date


@dataclass(frozen=True)
class Seat:
    group_id: str
    from_date: date
    to_date: date | None
    next_session: date | None
    """The group's next session held on or after today."""


@dataclass(frozen=True)
class EndedSeat:
    """A seat that ended, with why and where the client went next (none when nobody said)."""

    group_id: str
    from_date: date
    to_date: date | None
    status: str
    end_reason: str | None
    next_step: str | None


@dataclass(frozen=True)
class ClientStanding:
    """A client as their counsellor follows them today."""

    id: str
    alias: str | None
    counsellor_id: str | None
    status: Status
    waiting_since: date
    """Where the waiting priority counts from: the case opening, or `waiting_since` without one."""
    offers: list[HeldOffer]
    seats: list[Seat]
    dates: ServiceDates
    attention: list[Attention]
    absences: dict[str, int] = field(default_factory=dict)
    """Groups where the client's latest marked sessions are absences in a row, with how many."""
    ended: list[EndedSeat] = field(default_factory=list)
    """The client's latest ended seats (up to `ENDED_SHOWN`), the latest first."""
    trials: list[TrialHeld] = field(default_factory=list)
    """The client's booked trial visits; one whose day has passed needs attention (`trial_visited`)."""

    @property
    def next_session(self) -> date | None:
        days = [s.next_session for s in self.seats if s.next_session is not None]
        return min(days) if days else None

    @property
    def queue(self) -> bool:
        """A client of the shared queue (no responsible counsellor yet)."""
        return self.counsellor_id is None


@dataclass(frozen=True)
class Others:
    """Other counsellors' clients, only as counts."""

    clients: int = 0
    waiting: int = 0
    seated: int = 0


@dataclass(frozen=True)
class Caseload:
    mine: list[ClientStanding]
    queue: list[ClientStanding]
    others: Others = field(default_factory=Others)


def _status(client: ClientRow, seats: list[Seat], offers: list[HeldOffer]) -> Status:
    if not client.in_service:
        return "left"
    if seats:
        return "seated"
    return "offered" if offers else "waiting"


def standings(session: Session, clients: Iterable[ClientRow], today: date) -> list[ClientStanding]:
    """Each client's standing today: attention first, then the longest waiting."""
    rows = list(clients)
    ids = [c.id for c in rows]
    seats: dict[str, list[EnrollmentRow]] = {}
    offers: dict[str, list[HeldOffer]] = {}
    for seat in session.scalars(
        select(EnrollmentRow)
        .where(EnrollmentRow.client_id.in_(ids), EnrollmentRow.status == "active")
        .order_by(EnrollmentRow.from_date, EnrollmentRow.id)
    ):
        seats.setdefault(seat.client_id, []).append(seat)
    for offer in session.scalars(
        select(OfferRow)
        .where(OfferRow.client_id.in_(ids), OfferRow.status == "pending")
        .order_by(OfferRow.reply_by, OfferRow.id)
    ):
        offers.setdefault(offer.client_id, []).append(
            HeldOffer(offer.id, offer.group_id, offer.starts_on, offer.reply_by)
        )
    groups = list(
        session.scalars(select(GroupRow).where(GroupRow.id.in_({s.group_id for v in seats.values() for s in v})))
    )
    upcoming = {
        group_id: next((s.day for s in sessions if s.held and s.day >= today), None)
        for group_id, sessions in groups_sessions(session, groups).items()
    }
    streaks = absence_streaks(session, ids)
    trials = booked_trials(session, ids)
    ended: dict[str, list[EndedSeat]] = {}
    for seat in session.scalars(
        select(EnrollmentRow)
        .where(EnrollmentRow.client_id.in_(ids), EnrollmentRow.status != "active")
        .order_by(EnrollmentRow.to_date.desc(), EnrollmentRow.id.desc())
    ):
        listed = ended.setdefault(seat.client_id, [])
        if len(listed) < ENDED_SHOWN:
            listed.append(
                EndedSeat(seat.group_id, seat.from_date, seat.to_date, seat.status, seat.end_reason, seat.next_step)
            )
    found = []
    for client in rows:
        held = [Seat(s.group_id, s.from_date, s.to_date, upcoming.get(s.group_id)) for s in seats.get(client.id, [])]
        waiting = offers.get(client.id, [])
        dates = service_dates(client, today)
        found.append(
            ClientStanding(
                id=client.id,
                alias=client.alias,
                counsellor_id=client.counsellor_id,
                status=_status(client, held, waiting),
                waiting_since=client.case_opened or client.waiting_since,
                offers=waiting,
                seats=held,
                dates=dates,
                attention=attention_of(client, dates)
                + (["absences"] if streaks.get(client.id) else [])
                + (["trial_visited"] if any(t.day < today for t in trials.get(client.id, [])) else []),
                absences=streaks.get(client.id, {}),
                ended=ended.get(client.id, []),
                trials=trials.get(client.id, []),
            )
        )
    found.sort(key=lambda s: (not s.attention, s.status == "left", s.waiting_since, s.id))
    return found


def _others(session: Session, who: Handler) -> Others:
    """Counts of the clients the caller does not handle (other counsellors' clients)."""
    theirs = and_(ClientRow.counsellor_id.is_not(None), ~visible(who))
    clients = list(session.scalars(select(ClientRow).where(theirs, ClientRow.in_service.is_(True))))
    seated = set(
        session.scalars(
            select(EnrollmentRow.client_id).where(
                EnrollmentRow.client_id.in_([c.id for c in clients]), EnrollmentRow.status == "active"
            )
        )
    )
    return Others(clients=len(clients), waiting=len(clients) - len(seated), seated=len(seated))


def caseload(session: Session, who: Handler, today: date) -> Caseload:
    """The caller's own clients and the shared queue, each with their standing; the rest only as counts."""
    mine = (
        list(session.scalars(select(ClientRow).where(ClientRow.counsellor_id == who.counsellor_id)))
        if who.counsellor_id is not None
        else []
    )
    queue = list(
        session.scalars(select(ClientRow).where(ClientRow.counsellor_id.is_(None), ClientRow.in_service.is_(True)))
    )
    return Caseload(standings(session, mine, today), standings(session, queue, today), _others(session, who))


def led_participants(session: Session, group_ids: list[str]) -> dict[str, list[str]]:
    """Each group's participants (active seats) as its leaders call them: their alias, or `participant N`
    numbered in the group's seat order. Never a client id."""
    names: dict[str, list[str]] = {group: [] for group in group_ids}
    seats = session.execute(
        select(EnrollmentRow.group_id, ClientRow.alias)
        .join(ClientRow, ClientRow.id == EnrollmentRow.client_id)
        .where(EnrollmentRow.group_id.in_(group_ids), EnrollmentRow.status == "active")
        .order_by(EnrollmentRow.group_id, EnrollmentRow.from_date, EnrollmentRow.id)
    )
    for group, alias in seats:
        listed = names[group]
        listed.append(alias or f"participant {len(listed) + 1}")
    return names
