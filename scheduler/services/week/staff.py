"""A staff member's week: the sessions they lead in time order and the driving between them.

Staff travel between hubs by car (DESIGN.md): the minutes come from `scheduler.geo`,
with the county's known hub-to-hub times (travel overrides) taking precedence. A day
starts at the member's base hub and ends there; a remote session counts as held at
the base hub. The weekly load is session minutes against `max_weekly_minutes`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract import DAYS
from scheduler.contract.travel import hub_car_minutes
from scheduler.services.week.board import WeekGroup, week_groups
from scheduler.storage.models import HubRow, StaffRow, TravelOverride

__all__ = ["Drive", "StaffLoad", "Timetable", "TimetableDay", "load_staff_loads", "load_timetable", "load_timetables"]


@dataclass(frozen=True)
class Drive:
    """A car trip between two hubs on one day; `minutes` None when a hub has no known place."""

    from_hub: str
    to_hub: str
    minutes: int | None


@dataclass
class TimetableDay:
    """One weekday: sessions and the drives before, between and after them, in order."""

    day: str
    items: list[WeekGroup | Drive] = field(default_factory=list)


@dataclass
class StaffLoad:
    """A staff member's week in figures."""

    id: str
    name: str
    base_hub: str
    qualified: bool
    languages: list[str]
    sessions: int
    session_minutes: int
    max_weekly_minutes: int

    @property
    def over(self) -> bool:
        return self.session_minutes > self.max_weekly_minutes


@dataclass
class Timetable:
    load: StaffLoad
    days: list[TimetableDay]

    @property
    def drive_minutes(self) -> int:
        return sum(i.minutes or 0 for d in self.days for i in d.items if isinstance(i, Drive))


class _Hubs:
    """Hub names and car minutes between hubs, overrides first."""

    def __init__(self, session: Session) -> None:
        hubs = list(session.scalars(select(HubRow)))
        self.names = {h.id: h.name for h in hubs}
        self.places = {h.id: (h.lat, h.lon) for h in hubs}
        self.overrides: dict[str, dict[str, int]] = {}
        for row in session.scalars(select(TravelOverride).where(TravelOverride.kind == "hub")):
            self.overrides.setdefault(row.source, {})[row.hub_id] = row.minutes

    def drive(self, a: str, b: str) -> Drive | None:
        """The trip from hub a to hub b, or None when they are the same hub."""
        if a == b:
            return None
        return Drive(self.names.get(a, a), self.names.get(b, b), hub_car_minutes(a, b, self.places, self.overrides))


def _load(member: StaffRow, hubs: Mapping[str, str], led: list[WeekGroup]) -> StaffLoad:
    return StaffLoad(
        member.id,
        member.name or member.id,
        hubs.get(member.base_hub, member.base_hub),
        member.qualified,
        list(member.languages),
        len(led),
        sum(g.minutes for g in led),
        member.max_weekly_minutes,
    )


def load_staff_loads(session: Session, today: date) -> list[StaffLoad]:
    """Every staff member's weekly load, by name."""
    groups = week_groups(session, today)
    names = {h.id: h.name for h in session.scalars(select(HubRow))}
    members = session.scalars(select(StaffRow).order_by(StaffRow.name, StaffRow.id))
    return [_load(m, names, [g for g in groups if m.id in g.leader_ids]) for m in members]


def load_timetable(session: Session, staff_id: str, today: date) -> Timetable | None:
    """The member's sessions day by day with the drives between hubs; None for an unknown member."""
    member = session.get(StaffRow, staff_id)
    if member is None:
        return None
    return _timetable(member, _Hubs(session), week_groups(session, today))


def load_timetables(session: Session, today: date) -> list[Timetable]:
    """Every staff member's timetable, by name (as `load_staff_loads` lists them), the week read once."""
    hubs, groups = _Hubs(session), week_groups(session, today)
    members = session.scalars(select(StaffRow).order_by(StaffRow.name, StaffRow.id))
    return [_timetable(member, hubs, groups) for member in members]


def _timetable(member: StaffRow, hubs: _Hubs, groups: list[WeekGroup]) -> Timetable:
    led = [g for g in groups if member.id in g.leader_ids]
    days = [_day(day, [g for g in led if g.day == day], member.base_hub, hubs) for day in DAYS]
    return Timetable(_load(member, hubs.names, led), [d for d in days if d.items])


def _day(day: str, sessions: list[WeekGroup], base: str, hubs: _Hubs) -> TimetableDay:
    """From the base hub to each session in turn and back to the base."""
    timetable, here = TimetableDay(day), base
    for group in sessions:
        there = group.hub_id or base
        drive = hubs.drive(here, there)
        timetable.items += [drive, group] if drive else [group]
        here = there
    back = hubs.drive(here, base) if sessions else None
    if back:
        timetable.items.append(back)
    return timetable
