"""The live group offering: published groups as counsellors and the public see them.

Free seats are counted from the active enrollments, the pending offers (a seat held
for a client until they answer) and the trial visits booked for a coming session
(`trial_seats.trial_seats_held`) at the moment of the request, so a reservation shows in
the next answer. Nothing here names a client: the offering is
public. A group's capacity is what the hard rules allow: the template's largest size,
the room's places minus the leaders, and four while the group has a single leader
(`five_need_two_leaders`, H5).

Group kinds (docs/group-kinds.md): each group runs its own term (`starts_on`, `sessions_left`);
a pop-up (its model's admission `open`) has no seats to book: `just_come`, `free_seats` 0 and
`capacity` the room's limit (its places less the leaders, at most the model's largest size); a
closed group (a process group) takes joiners up to its `closes_on` and then shows
`admission_open` false and `free_seats` 0; `waiting` counts a group's waiting list (never who).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.contract import TemplateName
from scheduler.contract.base import trimmed
from scheduler.contract.problem import ADMISSION_BY_KIND
from scheduler.contract.rules import MAX_LEADERS, ONE_LEADER_UP_TO
from scheduler.contract.term import SessionDate, session_dates, term_end
from scheduler.contract.travel import travel_minutes
from scheduler.services.term_sessions import closing_day, group_term
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
    WaitlistEntry,
)

__all__ = [
    "FeedLinks",
    "OfferedGroup",
    "OfferingFilter",
    "Place",
    "capacity",
    "popup_limit",
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
    modality: Literal["in_person", "remote", "hybrid"]
    place: Place | None
    language: str
    day: str
    start: str
    end: str
    term_start: date
    """The Monday of the group's first week: its own term, the season's start when it has none."""
    term_end: date
    """The Sunday of the group's last week."""
    leaders: list[str]
    capacity: int
    """Seats the rules allow; a pop-up's: the room's limit (its places less the leaders, at most the model's size)."""
    free_seats: int
    """Seats a counsellor may reserve now: 0 for a pop-up (nobody books) and when `admission_open` is false."""
    taken: int = 0
    """Seats held now (active seats and offers waiting for an answer; none in a pop-up)."""
    free_in_room: int | None = None
    """A hybrid group: of its free seats, those its room still takes (the rest only from home)."""
    next_sessions: list[date]
    travel_minutes: int | None = None
    status: Literal["running", "cancelled"] = "running"
    feeds: FeedLinks | None = None
    admission: Literal["open", "closed", "rolling"] = "rolling"
    """How the group takes people: open (a pop-up: just come), closed after `closes_after` sessions, rolling."""
    just_come: bool = False
    """A pop-up: anyone may come to a session without signing up."""
    admission_open: bool = True
    """Whether the group takes new joiners today (false: a closed group past its `closes_on`, or any group
    past its last session)."""
    closes_after: int | None = None
    """A closed group: the session after which it takes no joiners."""
    closes_on: date | None = None
    """A closed group: the last day a joiner may start (its `closes_after`-th weekly date, a holiday's week
    counted: `scheduler.services.term_sessions.closing_day`)."""
    remote_joining: bool = False
    """One may take part from home (a remote group, or a hybrid one beside its room)."""
    starts_on: date | None = None
    """The group's first session held (None: none is held in its term)."""
    sessions: int = 0
    """Sessions held in the group's own term."""
    sessions_left: int = 0
    """Sessions held from today on."""
    waiting: int = 0
    """Clients on the group's waiting list (a count, never who)."""
    reach: int | None = None
    """A pop-up, for coordinators only: waiting clients within its reach when it was planned."""


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


def popup_limit(max_size: int, room_capacity: int | None, leaders: int) -> int:
    """A pop-up's limit: the visitors its room takes besides its leaders, at most the model's largest size."""
    return max(min(max_size, room_capacity - leaders) if room_capacity is not None else max_size, 0)


OFFERED_COLUMNS = (
    GroupRow.id,
    GroupRow.modality,
    GroupRow.language,
    GroupRow.day,
    GroupRow.start,
    GroupRow.end,
    GroupRow.leaders,
    GroupRow.status,
    GroupRow.start_date,
    GroupRow.sessions,
    GroupRow.reach,
    GroupModelRow.id.label("template_id"),
    GroupModelRow.name.label("template_name"),
    GroupModelRow.kind,
    GroupModelRow.theme,
    GroupModelRow.audience,
    GroupModelRow.max_size,
    GroupModelRow.admission,
    GroupModelRow.closes_after,
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
    session: Session,
    today: date,
    upcoming: int = 3,
    only: str | None = None,
    cancelled: bool = False,
    coordinator: bool = False,
) -> list[OfferedGroup]:
    """Every running group (or `only` the one), with seats taken now and its next `upcoming` sessions.

    With `cancelled`, cancelled groups too (calendar feeds keep them to the end of their term); with
    `coordinator`, a pop-up's reach too (a planning figure the public does not see).
    """
    frame = session.get(PlanningSettings, 1)
    if frame is None:
        return []
    closures = {c.day: c.reason or "closed" for c in session.scalars(select(Closure))}
    called_off = set(session.execute(select(SessionChange.group_id, SessionChange.day).where(SessionChange.cancelled)))
    one = only is not None
    taken, from_home = _held(session, only)
    for group, n in trial_seats_held(session, today, only).items():  # a seat held on one coming session
        taken[group] = taken.get(group, 0) + n
    waiting = _counted(session, only, (WaitlistEntry, WaitlistEntry.status == "waiting"))
    first_names = {sid: first_name(name, sid) for sid, name in session.execute(select(StaffRow.id, StaffRow.name))}
    rows = session.execute(
        select(*OFFERED_COLUMNS)
        .join(GroupModelRow, GroupModelRow.id == GroupRow.template_id)
        .outerjoin(HubRow, HubRow.id == GroupRow.hub_id)
        .outerjoin(RoomRow, RoomRow.id == GroupRow.room_id)
        .where(
            GroupRow.status.in_(("running", "cancelled") if cancelled else ("running",)),
            *([GroupRow.id == only] if one else []),
        )
        .order_by(GroupRow.id)
    )
    rhythms: dict[tuple[str, date, int], list[SessionDate]] = {}
    offered = []
    for row in rows:
        monday, weeks = group_term(row.day, frame.term_start, frame.term_weeks, row.start_date, row.sessions)
        key = (row.day, monday, weeks)
        if key not in rhythms:  # the dates are the same for every group of a weekday and term
            rhythms[key] = session_dates(row.day, monday, weeks, closures, closures)
        rhythm = rhythms[key]
        held = [d.day for d in rhythm if d.cancelled_because is None and (row.id, d.day) not in called_off]
        ahead = [d for d in held if d >= today]
        admission = row.admission or ADMISSION_BY_KIND.get(row.kind, "rolling")
        closes_on = closing_day(rhythm[0].day, row.closes_after) if admission == "closed" and rhythm else None
        ended = not rhythm or today > rhythm[-1].day  # no seat starts after the group's last session
        admission_open = not ended and (closes_on is None or today <= closes_on)
        leaders, in_room = len(row.leaders), None
        if admission == "open":
            seats, free = popup_limit(row.max_size, row.room_capacity, leaders), 0
        elif row.modality == "hybrid":  # the room counts only those present
            seats = capacity(row.max_size, None, leaders)
            free = max(seats - taken.get(row.id, 0), 0) if admission_open else 0
            present = taken.get(row.id, 0) - from_home.get(row.id, 0)
            room = (row.room_capacity or 0) - leaders - present
            in_room = max(min(free, room), 0)
        else:
            seats = capacity(row.max_size, row.room_capacity, leaders)
            free = max(seats - taken.get(row.id, 0), 0) if admission_open else 0
        offered.append(
            OfferedGroup(
                id=row.id,
                template_id=row.template_id,
                name=TemplateName.model_validate(row.template_name),
                kind=row.kind,
                theme=row.theme,
                audience=row.audience,
                modality=row.modality,
                place=_place(row),
                language=row.language,
                day=row.day,
                start=row.start,
                end=row.end,
                term_start=monday,
                term_end=term_end(monday, weeks),
                leaders=[first_names.get(s, s) for s in row.leaders],
                capacity=seats,
                free_seats=free,
                taken=0 if admission == "open" else taken.get(row.id, 0),
                free_in_room=in_room,
                next_sessions=ahead[:upcoming],
                status="cancelled" if row.status == "cancelled" else "running",
                admission=admission,
                just_come=admission == "open",
                admission_open=admission_open,
                closes_after=row.closes_after if admission == "closed" else None,
                closes_on=closes_on,
                remote_joining=row.modality in ("remote", "hybrid"),
                starts_on=held[0] if held else None,
                sessions=len(held),
                sessions_left=len(ahead),
                waiting=0 if admission == "open" else waiting.get(row.id, 0),
                reach=row.reach if coordinator and admission == "open" else None,
            )
        )
    return offered


def _held(session: Session, only: str | None) -> tuple[dict[str, int], dict[str, int]]:
    """Seats held by group (active seats and offers waiting for an answer), and of them those taken from home."""
    held: dict[str, int] = {}
    remote: dict[str, int] = {}
    for table, condition in (
        (EnrollmentRow, EnrollmentRow.status == "active"),
        (OfferRow, OfferRow.status == "pending"),
    ):
        one = [table.group_id == only] if only is not None else []
        query = select(table.group_id, table.remote, func.count()).where(condition, *one)
        for group, from_home, n in session.execute(query.group_by(table.group_id, table.remote)):
            held[group] = held.get(group, 0) + int(n)
            if from_home:
                remote[group] = remote.get(group, 0) + int(n)
    return held, remote


def _counted(session: Session, only: str | None, *tables: tuple[Any, Any]) -> dict[str, int]:
    """Rows by group over the tables, each with its condition (clients waiting)."""
    counts: dict[str, int] = {}
    for table, condition in tables:
        one = [table.group_id == only] if only is not None else []
        for group, n in session.execute(
            select(table.group_id, func.count()).where(condition, *one).group_by(table.group_id)
        ):
            counts[group] = counts.get(group, 0) + int(n)
    return counts


def _place(row: Any) -> Place | None:
    """Where an in-person or hybrid group meets (None: remote)."""
    if row.hub_id is None:
        return None
    return Place(
        hub_id=row.hub_id,
        hub=row.hub_name,
        municipality=row.municipality,
        address=row.address,
        lat=row.lat,
        lon=row.lon,
        accessible=bool(row.room_accessible),
    )


_ALSO = {"hybrid": "remote"}
"""A filter's modality a group passes besides its own: one may join a hybrid group remotely."""


def select_offering(groups: list[OfferedGroup], where: OfferingFilter) -> list[OfferedGroup]:
    """The groups that pass every filter; with a point given, each carries its travel minutes.

    An audience filter keeps the groups open to all as well; a remote group is zero minutes away; "free
    seats only" keeps the pop-ups (anyone may just come); a hybrid group passes a remote filter too.
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
        )
        if any(wanted is not None and wanted != value for wanted, value in checks):
            continue
        if where.modality is not None and where.modality not in (group.modality, _ALSO.get(group.modality)):
            continue
        if where.audience is not None and group.audience not in (where.audience, "all"):
            continue
        if where.free_only and group.free_seats == 0 and not group.just_come:
            continue
        if where.near is not None:
            minutes = 0 if place is None else travel_minutes(*where.near, place.lat, place.lon, where.mode)
            if where.within_minutes is not None and minutes > where.within_minutes:
                continue
            group = group.model_copy(update={"travel_minutes": minutes})
        chosen.append(group)
    return chosen
