"""The coordinator's week: every published running group on a board of weekdays × hubs.

The groups come from the live offering (`scheduler.offering`), so fill and capacity
are the same figures counsellors see: seats taken now by active enrollments and pending
offers, out of what the rules allow. Coordinators see the leaders' full names. Remote groups have no
hub and sit in a row of their own at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract import DAYS, TemplateName, minutes
from scheduler.services.offering import load_offering
from scheduler.storage.models import GroupRow, HubRow, StaffRow

__all__ = ["Board", "BoardRow", "GroupSlot", "WeekGroup", "load_board", "week_groups"]

WORKDAYS = DAYS[:5]


@dataclass(frozen=True)
class GroupSlot:
    """What a coordinator names a group by: its model, place, language, weekly time and leaders' names."""

    id: str
    name: TemplateName
    hub: str | None
    municipality: str | None
    language: str
    day: str
    start: str
    end: str
    leaders: tuple[str, ...]


@dataclass(frozen=True)
class WeekGroup(GroupSlot):
    """A running group as the coordinator sees it: where, when, who leads, how full."""

    theme: str
    modality: str
    hub_id: str | None
    leader_ids: tuple[str, ...]
    taken: int
    capacity: int

    @property
    def minutes(self) -> int:
        """How long one session lasts."""
        return minutes(self.end) - minutes(self.start)

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def fill_percent(self) -> int:
        """Seats taken as a share of capacity, 0..100 (a group of no capacity is full)."""
        return 100 if self.capacity == 0 else min(100, round(100 * self.taken / self.capacity))


@dataclass
class BoardRow:
    """One hub (or the remote groups, hub None) and its groups by weekday, earliest first."""

    hub_id: str | None
    name: str
    municipality: str | None
    cells: dict[str, list[WeekGroup]] = field(default_factory=dict)


@dataclass
class Board:
    """Weekdays as columns (weekends only when a group meets then), hubs with groups as rows."""

    days: list[str]
    rows: list[BoardRow]
    idle_hubs: list[str]

    @property
    def groups(self) -> list[WeekGroup]:
        return [g for row in self.rows for cell in row.cells.values() for g in cell]


def week_groups(session: Session, today: date) -> list[WeekGroup]:
    """Every running group with its leaders' names and its seats taken now, in weekday and time order."""
    names = {sid: name or sid for sid, name in session.execute(select(StaffRow.id, StaffRow.name))}
    running = select(GroupRow.id, GroupRow.leaders).where(GroupRow.status == "running")
    leaders = {gid: ids for gid, ids in session.execute(running)}
    groups = []
    for offered in load_offering(session, today, upcoming=0):
        place, ids = offered.place, tuple(leaders.get(offered.id, []))
        groups.append(
            WeekGroup(
                id=offered.id,
                name=offered.name,
                theme=offered.theme,
                modality=offered.modality,
                hub_id=place.hub_id if place else None,
                hub=place.hub if place else None,
                municipality=place.municipality if place else None,
                language=offered.language,
                day=offered.day,
                start=offered.start,
                end=offered.end,
                leader_ids=ids,
                leaders=tuple(names.get(i, i) for i in ids),
                taken=offered.taken,  # not capacity less free: a closed group's free seats are 0
                capacity=offered.capacity,
            )
        )
    return sorted(groups, key=lambda g: (DAYS.index(g.day), g.start, g.id))


def load_board(session: Session, today: date) -> Board:
    """The week's board: hubs by municipality and name, each with its groups per weekday."""
    groups = week_groups(session, today)
    hubs = list(session.scalars(select(HubRow).order_by(HubRow.municipality, HubRow.name)))
    rows = {hub.id: BoardRow(hub.id, hub.name, hub.municipality) for hub in hubs}
    remote = BoardRow(None, "", None)
    for group in groups:
        row = rows.get(group.hub_id, remote) if group.hub_id else remote
        row.cells.setdefault(group.day, []).append(group)
    used = [row for row in rows.values() if row.cells] + ([remote] if remote.cells else [])
    met = {g.day for g in groups}
    days = [d for d in DAYS if d in WORKDAYS or d in met]
    return Board(days, used, [row.name for row in rows.values() if not row.cells])
