"""The live group offering: published groups as counsellors and the public see them.

Free seats are counted from the active enrollments, the pending offers (a seat held
for a client until they answer) and the trial visits booked for a coming session
(`trial_seats.trial_seats_held`) at the moment of the request, so a reservation shows in
the next answer. Nothing here names a client: the offering is
public. A group's capacity is what the hard rules allow: the template's largest size,
the room's places minus the leaders, and four while the group has a single leader
(`five_need_two_leaders`, H5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.contract import TemplateName
from scheduler.contract.base import trimmed
from scheduler.contract.rules import MAX_LEADERS, ONE_LEADER_UP_TO
from scheduler.contract.term import session_dates, term_end
from scheduler.contract.travel import travel_minutes
from scheduler.services.trial_seats import trial_seats_held
from scheduler.storage.models import (
    Closure,
    EnrollmentRow,
    GroupModelRow,
    GroupRow,
    HubRow,
    OfferRow,
    PlanningSettings,
    RoomRow,
    SessionChange,
    StaffRow,
)

__all__ = [
    "FeedLinks",
    "OfferedGroup",
    "OfferingFilter",
    "Place",
    "capacity",
    "first_name",
    "load_offering",
    "select_offering",
]


def first_name(name: str | None, staff_id: str) -> str:
    """What the public sees of a leader: the first word of their name, or their id when the name is blank.

    A stored name may predate the text check (or be written around it): a word of invisible
    characters alone (zero-width spaces, controls) is no word, so the answer is never empty.
    """
    words = [word for word in (trimmed(part) for part in (name or "").split()) if word]
    return words[0] if words else staff_id


class Place(BaseModel):
    """Where an in-person group meets."""

    hub_id: str
    hub: str
    municipality: str
    address: str | None
    lat: float
    lon: float
    accessible: bool


class FeedLinks(BaseModel):
    """The group's calendar feed: to download (`ics`) and to subscribe to (`webcal`)."""

    ics: str
    webcal: str


class OfferedGroup(BaseModel):
    """A published group with its free seats now and its next sessions."""

    id: str
    template_id: str
    name: TemplateName
    kind: str
    theme: str
    audience: str
    modality: Literal["in_person", "remote"]
    place: Place | None
    language: str
    day: str
    start: str
    end: str
    term_start: date
    term_end: date
    leaders: list[str]
    capacity: int
    free_seats: int
    next_sessions: list[date]
    travel_minutes: int | None = None
    status: Literal["running", "cancelled"] = "running"
    feeds: FeedLinks | None = None


@dataclass
class OfferingFilter:
    """What a counsellor narrows the offering by; None means any."""

    municipality: str | None = None
    hub: str | None = None
    language: str | None = None
    day: str | None = None
    theme: str | None = None
    audience: str | None = None
    modality: str | None = None
    free_only: bool = False
    near: tuple[float, float] | None = None
    within_minutes: int | None = None
    mode: str = "car"


def capacity(max_size: int, room_capacity: int | None, leaders: int) -> int:
    """Seats the rules allow: template size, room places less leaders, four with one leader."""
    seats = max_size if leaders >= MAX_LEADERS else min(max_size, ONE_LEADER_UP_TO)
    if room_capacity is not None:
        seats = min(seats, room_capacity - leaders)
    return max(seats, 0)


OFFERED_COLUMNS = (
    GroupRow.id,
    GroupRow.modality,
    GroupRow.language,
    GroupRow.day,
    GroupRow.start,
    GroupRow.end,
    GroupRow.leaders,
    GroupRow.status,
    GroupModelRow.id.label("template_id"),
    GroupModelRow.name.label("template_name"),
    GroupModelRow.kind,
    GroupModelRow.theme,
    GroupModelRow.audience,
    GroupModelRow.max_size,
    HubRow.id.label("hub_id"),
    HubRow.name.label("hub_name"),
    HubRow.municipality,
    HubRow.address,
    HubRow.lat,
    HubRow.lon,
    RoomRow.capacity.label("room_capacity"),
    RoomRow.accessible.label("room_accessible"),
)
"""What the offering shows of a group, its template, hub and room: plain columns, not whole rows (the
rows' other JSON columns and the ORM's bookkeeping were most of the offering's time under load)."""


def load_offering(
    session: Session, today: date, upcoming: int = 3, only: str | None = None, cancelled: bool = False
) -> list[OfferedGroup]:
    """Every running group (or `only` the one), with seats taken now and its next `upcoming` sessions.

    With `cancelled`, cancelled groups too (calendar feeds keep them to the end of their term).
    """
    frame = session.get(PlanningSettings, 1)
    if frame is None:
        return []
    closures = {c.day: c.reason or "closed" for c in session.scalars(select(Closure))}
    called_off = set(session.execute(select(SessionChange.group_id, SessionChange.day).where(SessionChange.cancelled)))
    taken: dict[str, int] = {}
    for table, held in ((EnrollmentRow, EnrollmentRow.status == "active"), (OfferRow, OfferRow.status == "pending")):
        one = [table.group_id == only] if only else []
        for group, n in session.execute(
            select(table.group_id, func.count()).where(held, *one).group_by(table.group_id)
        ):
            taken[group] = taken.get(group, 0) + int(n)
    for group, n in trial_seats_held(session, today, only).items():  # a seat held on one coming session
        taken[group] = taken.get(group, 0) + n
    first_names = {sid: first_name(name, sid) for sid, name in session.execute(select(StaffRow.id, StaffRow.name))}
    rows = session.execute(
        select(*OFFERED_COLUMNS)
        .join(GroupModelRow, GroupModelRow.id == GroupRow.template_id)
        .outerjoin(HubRow, HubRow.id == GroupRow.hub_id)
        .outerjoin(RoomRow, RoomRow.id == GroupRow.room_id)
        .where(
            GroupRow.status.in_(("running", "cancelled") if cancelled else ("running",)),
            *([GroupRow.id == only] if only else []),
        )
        .order_by(GroupRow.id)
    )
    end = term_end(frame.term_start, frame.term_weeks)
    dates_by_day: dict[str, list[date]] = {}
    offered = []
    for row in rows:
        seats = capacity(row.max_size, row.room_capacity, len(row.leaders))
        if upcoming and row.day not in dates_by_day:  # the term's dates are the same for every group of a weekday
            dates_by_day[row.day] = [
                d.day
                for d in session_dates(row.day, frame.term_start, frame.term_weeks, closures, closures)
                if d.cancelled_because is None and d.day >= today
            ]
        dates = [d for d in dates_by_day.get(row.day, []) if (row.id, d) not in called_off]
        place = (
            None
            if row.hub_id is None
            else Place(
                hub_id=row.hub_id,
                hub=row.hub_name,
                municipality=row.municipality,
                address=row.address,
                lat=row.lat,
                lon=row.lon,
                accessible=bool(row.room_accessible),
            )
        )
        offered.append(
            OfferedGroup(
                id=row.id,
                template_id=row.template_id,
                name=TemplateName.model_validate(row.template_name),
                kind=row.kind,
                theme=row.theme,
                audience=row.audience,
                modality=row.modality,
                place=place,
                language=row.language,
                day=row.day,
                start=row.start,
                end=row.end,
                term_start=frame.term_start,
                term_end=end,
                leaders=[first_names.get(s, s) for s in row.leaders],
                capacity=seats,
                free_seats=max(seats - taken.get(row.id, 0), 0),
                next_sessions=dates[:upcoming],
                status="cancelled" if row.status == "cancelled" else "running",
            )
        )
    return offered


def select_offering(groups: list[OfferedGroup], where: OfferingFilter) -> list[OfferedGroup]:
    """The groups that pass every filter; with a point given, each carries its travel minutes.

    An audience filter keeps the groups open to all as well; a remote group is zero minutes away.
    """
    chosen = []
    for group in groups:
        place = group.place
        checks = (
            (where.municipality, place.municipality if place else None),
            (where.hub, place.hub_id if place else None),
            (where.language, group.language),
            (where.day, group.day),
            (where.theme, group.theme),
            (where.modality, group.modality),
        )
        if any(wanted is not None and wanted != value for wanted, value in checks):
            continue
        if where.audience is not None and group.audience not in (where.audience, "all"):
            continue
        if where.free_only and group.free_seats == 0:
            continue
        if where.near is not None:
            minutes = 0 if place is None else travel_minutes(*where.near, place.lat, place.lon, where.mode)
            if where.within_minutes is not None and minutes > where.within_minutes:
                continue
            group = group.model_copy(update={"travel_minutes": minutes})
        chosen.append(group)
    return chosen
