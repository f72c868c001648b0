"""The leader rule (H5) and a leader's own time (H6) for a running group or one of its sessions: one place.

Creating or changing a group (`PATCH /groups/{id}`), a session moved or given a substitute
(`scheduler.services.session_changes`) and the substitute suggestions
(`scheduler.services.substitutes`) all ask here. A breach names its field, the rule's key
(`scheduler.contract.rules`) and the reason in words:

- the team (H5, H2): a leader, at most two, two from five participants (the group's active
  seats), a qualified one, the group model's skills covered, every leader speaks the group's
  language;
- each leader's time (H6): available for the whole session (their windows on that weekday),
  no other session at an overlapping time that day, the car time between the hubs of two
  sessions the same day (a remote session counts at the leader's base hub), and their
  weekly minutes (the weekly rhythm for a group; the sessions held that calendar week for a
  dated session).

Running groups are kept as pinned groups when planning, so the county's leader reach
(`leader_within_reach`) does not apply to them; the drive from the base hub is reported
by the suggestions instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.contract import DAYS, FieldError, Invalid, hhmm, minutes
from scheduler.contract.rules import MAX_LEADERS, MIN_LEADERS, ONE_LEADER_UP_TO
from scheduler.contract.travel import hub_car_minutes
from scheduler.services.term_sessions import groups_sessions, scheduled_groups
from scheduler.storage.models import EnrollmentRow, GroupModelRow, GroupRow, HubRow, StaffRow, TravelOverride

__all__ = [
    "Booking",
    "Breach",
    "Calendar",
    "LeaderRuleError",
    "Slot",
    "Travel",
    "active_seats",
    "check_group",
    "load_calendar",
    "session_breaches",
    "team_breaches",
    "time_breaches",
]

TEAM_FIELDS = frozenset({"leaders", "language", "template_id", "status"})
"""A change of these asks the team rules again."""
SLOT_FIELDS = frozenset({"day", "start", "end", "hub_id", "modality", "status"})
"""A change of these asks every leader's time again (else only a new leader's)."""


@dataclass(frozen=True)
class Breach:
    """One rule the leaders would break: its key, the reason in words, the field at fault."""

    rule: str
    message: str
    field: str = "leaders"
    staff: str | None = None
    values: tuple[tuple[str, str], ...] = ()
    """The facts of the message by name (the other group, its time, the minutes), for a translated reason."""


class LeaderRuleError(Invalid):
    """Leaders that break the rules (422): each breach on its field, with the rule's key."""

    def __init__(self, breaches: Sequence[Breach]) -> None:
        detail = "; ".join(f"{b.message} (rule {b.rule})" for b in breaches)
        super().__init__(detail, [FieldError(b.field, b.message, b.rule) for b in breaches])
        self.breaches = tuple(breaches)


@dataclass(frozen=True)
class Slot:
    """When and where a group meets: every week (`on` None) or one dated session (`planned` its rhythm date)."""

    group_id: str | None
    weekday: str
    start: int
    end: int
    hub_id: str | None
    on: date | None = None
    planned: date | None = None

    @property
    def length(self) -> int:
        return self.end - self.start

    def when(self) -> str:
        return f"{self.on.isoformat() if self.on else self.weekday} {hhmm(self.start)}–{hhmm(self.end)}"


@dataclass(frozen=True)
class Booking:
    """Another session a leader holds: its group, times (minutes after midnight) and hub (None: remote)."""

    group_id: str
    start: int
    end: int
    hub_id: str | None

    def overlaps(self, slot: Slot) -> bool:
        return self.start < slot.end and slot.start < self.end


@dataclass
class Calendar:
    """The leaders' other sessions around a slot: those on its day, and their minutes in its week."""

    day: dict[str, list[Booking]] = field(default_factory=dict)
    week_minutes: dict[str, int] = field(default_factory=dict)


class Travel:
    """Staff car minutes between hubs: the county's known times first, else the contract's formula."""

    def __init__(self, db: Session) -> None:
        self.places = {h.id: (h.lat, h.lon) for h in db.scalars(select(HubRow))}
        self.overrides: dict[str, dict[str, int]] = {}
        for row in db.scalars(select(TravelOverride).where(TravelOverride.kind == "hub")):
            self.overrides.setdefault(row.source, {})[row.hub_id] = row.minutes

    def minutes(self, a: str, b: str) -> int | None:
        return hub_car_minutes(a, b, self.places, self.overrides)


class GroupLike(Protocol):
    """A group as stored (`GroupRow`) or as a request would leave it (`GroupFields`)."""

    @property
    def template_id(self) -> str: ...
    @property
    def modality(self) -> str: ...
    @property
    def hub_id(self) -> str | None: ...
    @property
    def language(self) -> str: ...
    @property
    def day(self) -> str: ...
    @property
    def start(self) -> str: ...
    @property
    def end(self) -> str: ...
    @property
    def leaders(self) -> Sequence[Any]: ...
    @property
    def status(self) -> str: ...


def active_seats(db: Session, group_id: str | None) -> int:
    if group_id is None:
        return 0
    query = select(func.count(EnrollmentRow.id)).where(
        EnrollmentRow.group_id == group_id, EnrollmentRow.status == "active"
    )
    return int(db.scalar(query) or 0)


def _names(ids: Iterable[str]) -> str:
    return ", ".join(repr(i) for i in ids)


def team_breaches(
    leaders: Sequence[str], team: Sequence[StaffRow], language: str, required_skills: Sequence[str], participants: int
) -> list[Breach]:
    """H5 and the leaders' language for a team (`team`: the leaders found among the staff)."""
    found: list[Breach] = []
    if len(leaders) < MIN_LEADERS:
        found.append(Breach("has_a_leader", "the group needs a leader"))
    elif len(set(leaders)) > MAX_LEADERS:
        found.append(Breach("at_most_two_leaders", f"a group has at most {MAX_LEADERS} leaders, not {len(leaders)}"))
    if leaders and participants > ONE_LEADER_UP_TO and len(set(leaders)) < MAX_LEADERS:
        found.append(
            Breach(
                "five_need_two_leaders",
                f"the group has {participants} participants: more than {ONE_LEADER_UP_TO} need two leaders, "
                f"not one ({_names(leaders)})",
            )
        )
    if not team:
        return found
    if not any(member.qualified for member in team):
        found.append(
            Breach(
                "one_qualified_leader",
                f"none of the leaders ({_names(m.id for m in team)}) is a qualified social welfare professional",
            )
        )
    covered = {skill for member in team for skill in member.skills}
    missing = [skill for skill in required_skills if skill not in covered]
    if missing:
        found.append(
            Breach(
                "skills_covered",
                f"the leaders ({_names(m.id for m in team)}) lack {_names(missing)}, which the group model requires",
            )
        )
    for member in team:
        if language not in member.languages:
            found.append(
                Breach(
                    "leader_speaks_language",
                    f"{member.id!r} does not speak {language!r}, the group's language",
                    staff=member.id,
                )
            )
    return found


def _covers(windows: Iterable[Any], weekday: str, start: int, end: int) -> bool:
    return any(
        w.get("day") == weekday and minutes(w["start"]) <= start and end <= minutes(w["end"])
        for w in windows
        if isinstance(w, dict)
    )


def time_breaches(member: StaffRow, slot: Slot, calendar: Calendar, travel: Travel) -> list[Breach]:
    """H6 for one leader in the slot: available, no overlap, time to drive, weekly minutes."""
    found: list[Breach] = []
    who = member.id
    if not _covers(member.available, slot.weekday, slot.start, slot.end):
        found.append(Breach("leader_available", f"{who!r} is not available {slot.when()}", staff=who))
    there = slot.hub_id or member.base_hub
    day = slot.on.isoformat() if slot.on else slot.weekday
    for other in calendar.day.get(who, []):
        time = f"{day} {hhmm(other.start)}–{hhmm(other.end)}"
        at, facts = f"on {time}", (("group", other.group_id), ("time", time))
        if other.overlaps(slot):
            found.append(
                Breach(
                    "leader_one_session_at_a_time",
                    f"{who!r} leads group {other.group_id!r} {at}",
                    staff=who,
                    values=facts,
                )
            )
            continue
        here = other.hub_id or member.base_hub
        gap, need = (
            (slot.start - other.end, travel.minutes(here, there))
            if other.end <= slot.start
            else (other.start - slot.end, travel.minutes(there, here))
        )
        if need is not None and gap < need:
            found.append(
                Breach(
                    "leader_travel_time",
                    f"{who!r} leads group {other.group_id!r} {at} at hub {here!r}: {gap} min between the sessions, "
                    f"but the drive to or from hub {there!r} takes {need} min",
                    staff=who,
                    values=(*facts, ("gap", str(gap)), ("need", str(need))),
                )
            )
    used = calendar.week_minutes.get(who, 0) + slot.length
    if used > member.max_weekly_minutes:
        week = f"the week of {slot.on.isoformat()}" if slot.on else "a week"
        found.append(
            Breach(
                "leader_weekly_minutes",
                f"{who!r} would lead {used} min in {week}, at most {member.max_weekly_minutes}",
                staff=who,
            )
        )
    return found


def _length(start: str, end: str) -> int:
    return minutes(end) - minutes(start)


def load_calendar(db: Session, slot: Slot) -> Calendar:
    """The other sessions of every leader around the slot (the slot's own session left out)."""
    calendar = Calendar()
    if slot.on is None:
        groups = db.scalars(select(GroupRow).where(GroupRow.status == "running"))
        for group in groups:
            if group.id == slot.group_id:
                continue
            for leader in group.leaders:
                calendar.week_minutes[leader] = calendar.week_minutes.get(leader, 0) + _length(group.start, group.end)
                if group.day == slot.weekday:
                    booking = Booking(group.id, minutes(group.start), minutes(group.end), group.hub_id)
                    calendar.day.setdefault(leader, []).append(booking)
        return calendar
    monday = slot.on - timedelta(days=slot.on.weekday())
    for group_id, sessions in groups_sessions(db, scheduled_groups(db)).items():
        for held in sessions:
            if not held.held or not monday <= held.day < monday + timedelta(days=7):
                continue
            if group_id == slot.group_id and held.planned == slot.planned:
                continue
            for leader in held.leaders:
                calendar.week_minutes[leader] = calendar.week_minutes.get(leader, 0) + _length(held.start, held.end)
                if held.day == slot.on:
                    booking = Booking(group_id, minutes(held.start), minutes(held.end), held.hub_id)
                    calendar.day.setdefault(leader, []).append(booking)
    return calendar


def _changed(record: GroupLike, before: GroupRow | None) -> set[str]:
    names = TEAM_FIELDS | SLOT_FIELDS
    if before is None:
        return set(names)
    return {name for name in names if getattr(record, name) != getattr(before, name)}


def check_group(db: Session, group_id: str | None, record: GroupLike, before: GroupRow | None) -> None:
    """A running group, as created or changed, keeps the leader rule and its leaders' time; else LeaderRuleError.

    The team is asked again when its leaders, language, group model or status change; every
    leader's time when the day, time or place changes, else only a new leader's.
    """
    if record.status != "running":
        return
    changed = _changed(record, before)
    if not changed:
        return
    leaders = [str(i) for i in record.leaders]
    team = [member for i in leaders if (member := db.get(StaffRow, i)) is not None]
    found: list[Breach] = []
    if changed & TEAM_FIELDS:
        model = db.get(GroupModelRow, record.template_id)
        skills = [str(s) for s in model.required_skills] if model else []
        found += team_breaches(leaders, team, record.language, skills, active_seats(db, group_id))
    timed = [m for m in team if changed & SLOT_FIELDS or before is None or m.id not in before.leaders]
    if timed:
        hub = record.hub_id if record.modality in ("in_person", "hybrid") else None
        slot = Slot(group_id, record.day, minutes(record.start), minutes(record.end), hub)
        calendar, travel = load_calendar(db, slot), Travel(db)
        for member in timed:
            found += time_breaches(member, slot, calendar, travel)
    if found:
        raise LeaderRuleError(found)


def session_breaches(
    db: Session, group: GroupRow, slot: Slot, leaders: Sequence[str], new_team: bool, moved: bool
) -> list[Breach]:
    """The leader rules for one dated session: the team when it is new (a substitute), and the time of
    every leader when the session moved, else of the leaders new to it."""
    team = [member for i in leaders if (member := db.get(StaffRow, i)) is not None]
    found: list[Breach] = []
    if new_team:
        model = db.get(GroupModelRow, group.template_id)
        skills = [str(s) for s in model.required_skills] if model else []
        found += team_breaches(leaders, team, group.language, skills, active_seats(db, group.id))
    timed = [m for m in team if moved or m.id not in group.leaders]
    if timed:
        calendar, travel = load_calendar(db, slot), Travel(db)
        for member in timed:
            found += time_breaches(member, slot, calendar, travel)
    return found


def weekday_of(day: date) -> str:
    return DAYS[day.weekday()]
