"""Where capacity is missing, in numbers: who a plan leaves out, and how much of what exists it uses.

`shortage(problem, plan)` reads one plan (a draft or a published one) against the problem it
was made for and gives four tables (docs/advice.md, "Where capacity is missing"):

- **Unplaced** clients by municipality × language × theme × reason. A client's
  municipality is that of the hub nearest their home (`nearest_municipality`). A client
  counts once under each language they speak, each theme among their interests and each
  distinct reason code the plan gives them: a row answers "how many unplaced clients who
  speak this language and want this theme are held back by this", so rows add up to more
  than the clients (`unplaced_total` counts each client once). Each row names its reason
  code (`interest`, `travel`, `leaders`, ..., as the unplaced page does) and the rule
  family that code belongs to (`rule_family`).
- **Leaders**: each staff member's minutes leading the plan's groups (each group they
  lead counts its full session length) against their `max_weekly_minutes`, and the
  minutes their weekly windows hold.
- **Rooms**: each room's hours taken by the plan's in-person and hybrid groups, and the
  hours its weekly windows hold.
- **Free slots** per hub and weekday (`HubDay`).

Pure: no database, no clock. Client ids appear nowhere in the result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel, Field

from scheduler.contract import DAYS, RULE_BY_KEY, Group, Plan, Problem, Window, minutes
from scheduler.contract.reasons import CAPACITY, DECISION, LEADERS
from scheduler.contract.rules import SHORTEST_SESSION
from scheduler.contract.travel import nearest_municipality

__all__ = ["HubDay", "LeaderUse", "RoomUse", "Shortage", "UnplacedRow", "rule_family", "shortage"]

UNKNOWN = "unknown"
"""The reason of a client listed unassigned without one (a plan breaking `unassigned_has_reason`)."""


class UnplacedRow(BaseModel):
    """How many unplaced clients share a municipality, a language, a theme and a reason."""

    municipality: str | None = Field(description="of the hub nearest their home; null when the problem has no hubs")
    language: str | None = Field(description="a language the clients speak; null for a client the problem lacks")
    theme: str | None = Field(description="one of their interests; null when they gave none")
    reason: str = Field(description="the reason code (docs/rules.md), as the unplaced clients' page groups them")
    rule_family: str = Field(description="the rule family of the reason (H2, H4, H7...), or `leaders` or `capacity`")
    count: int = Field(description="clients")


class LeaderUse(BaseModel):
    """One staff member's minutes leading the plan's groups, against their limit and their windows."""

    staff_id: str
    name: str | None = None
    groups: int = Field(description="groups of the plan they lead")
    led_minutes: int = Field(description="the session minutes of those groups, each counted whole")
    max_weekly_minutes: int = Field(description="their weekly limit")
    window_minutes: int = Field(description="the minutes their weekly windows hold (overlaps counted once)")

    @property
    def at_limit(self) -> bool:
        """No room left under their weekly limit."""
        return self.led_minutes >= self.max_weekly_minutes


class RoomUse(BaseModel):
    """One room's hours taken by the plan's groups, against the hours its windows hold."""

    hub: str
    hub_name: str
    municipality: str
    room: str
    room_name: str | None = None
    groups: int = Field(description="the plan's in-person and hybrid groups meeting in it")
    used_minutes: int
    window_minutes: int = Field(description="the minutes its weekly windows hold (overlaps counted once)")
    used_hours: float
    window_hours: float


class HubDay(BaseModel):
    """A hub's starts on one weekday: where a session of the shortest length could begin, and where a room is free.

    A start is a time on the problem's `slot_minutes` grid (minutes after midnight divisible
    by it). It is **open** when some room of the hub has windows that day covering the whole
    session from it (`session_minutes`, the shortest in-person or hybrid group model), and
    **free** when moreover that room holds none of the plan's groups overlapping that session.
    Several rooms free at one start count once. Days when no room is open are left out.
    """

    hub: str
    hub_name: str
    municipality: str
    day: str
    open_starts: int
    free_starts: int


class Shortage(BaseModel):
    """Where capacity is missing for one plan: the four tables (see the module's docstring)."""

    slot_minutes: int = Field(description="the start grid of the free-slot table")
    session_minutes: int = Field(description="the session length the free-slot table looks for")
    unplaced_total: int = Field(description="clients the plan leaves out, each counted once")
    unplaced: list[UnplacedRow]
    leaders: list[LeaderUse]
    rooms: list[RoomUse]
    free_slots: list[HubDay]


def rule_family(code: str) -> str:
    """The rule family a reason code belongs to (`scheduler.contract.rules`): the family of the client-fit rule part
    it names, H7 for `decision` (`decision_in_force`); `leaders` and `capacity` are no rule and stay themselves, as
    does a code no rule knows."""
    if code == DECISION:
        return RULE_BY_KEY["decision_in_force"].family
    if code in (LEADERS, CAPACITY) or code not in RULE_BY_KEY:
        return code
    return RULE_BY_KEY[code].family


def shortage(problem: Problem, plan: Plan) -> Shortage:
    """The four tables of where capacity is missing for a plan of the problem."""
    length = min((t.duration_minutes for t in problem.templates if t.modality != "remote"), default=SHORTEST_SESSION)
    return Shortage(
        slot_minutes=problem.slot_minutes,
        session_minutes=length,
        unplaced_total=len({left.client for left in plan.unassigned}),
        unplaced=_unplaced(problem, plan),
        leaders=_leaders(problem, plan),
        rooms=_rooms(problem, plan),
        free_slots=_free_slots(problem, plan, length),
    )


def _unplaced(problem: Problem, plan: Plan) -> list[UnplacedRow]:
    clients = {c.id: c for c in problem.clients}
    counts: Counter[tuple[str | None, str | None, str | None, str]] = Counter()
    seen: set[str] = set()
    for left in plan.unassigned:
        if left.client in seen:  # listed twice: counted once
            continue
        seen.add(left.client)
        client = clients.get(left.client)
        town = nearest_municipality(client.home.lat, client.home.lon, problem.hubs) if client else None
        languages: list[str | None] = list(dict.fromkeys(client.languages)) if client else [None]
        themes: list[str | None] = list(dict.fromkeys(client.interests)) if client and client.interests else [None]
        codes = list(dict.fromkeys(r.code for r in left.reasons)) or [UNKNOWN]
        for language in languages:
            for theme in themes:
                for code in codes:
                    counts[(town, language, theme, code)] += 1
    rows = [
        UnplacedRow(municipality=m, language=lang, theme=th, reason=code, rule_family=rule_family(code), count=n)
        for (m, lang, th, code), n in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r.count, r.municipality or "", r.language or "", r.theme or "", r.reason))


def _leaders(problem: Problem, plan: Plan) -> list[LeaderUse]:
    led: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    for group in plan.groups:
        for staff_id in dict.fromkeys(group.leaders):
            led[staff_id] += _length(group)
            groups[staff_id] += 1
    return [
        LeaderUse(
            staff_id=s.id,
            name=s.name,
            groups=groups[s.id],
            led_minutes=led[s.id],
            max_weekly_minutes=s.max_weekly_minutes,
            window_minutes=_window_minutes(s.available),
        )
        for s in sorted(problem.staff, key=lambda s: s.id)
    ]


def _rooms(problem: Problem, plan: Plan) -> list[RoomUse]:
    rows: list[RoomUse] = []
    for hub in sorted(problem.hubs, key=lambda h: (h.municipality, h.id)):
        for room in sorted(hub.rooms, key=lambda r: r.id):
            meeting = _in_room(plan.groups, hub.id, room.id)
            used, held = sum(_length(g) for g in meeting), _window_minutes(room.available)
            rows.append(
                RoomUse(
                    hub=hub.id,
                    hub_name=hub.name,
                    municipality=hub.municipality,
                    room=room.id,
                    room_name=room.name,
                    groups=len(meeting),
                    used_minutes=used,
                    window_minutes=held,
                    used_hours=round(used / 60, 2),
                    window_hours=round(held / 60, 2),
                )
            )
    return rows


def _free_slots(problem: Problem, plan: Plan, length: int) -> list[HubDay]:
    slot, rows = problem.slot_minutes, []
    for hub in sorted(problem.hubs, key=lambda h: (h.municipality, h.id)):
        for day in DAYS:
            open_starts: set[int] = set()
            free_starts: set[int] = set()
            for room in hub.rooms:
                busy = [
                    (minutes(g.start), minutes(g.end)) for g in _in_room(plan.groups, hub.id, room.id) if g.day == day
                ]
                for start, end in _merged(w for w in room.available if w.day == day):
                    for at in range(-(-start // slot) * slot, end - length + 1, slot):
                        open_starts.add(at)
                        if not any(b < at + length and at < e for b, e in busy):
                            free_starts.add(at)
            if open_starts:
                rows.append(
                    HubDay(
                        hub=hub.id,
                        hub_name=hub.name,
                        municipality=hub.municipality,
                        day=day,
                        open_starts=len(open_starts),
                        free_starts=len(free_starts),
                    )
                )
    return rows


def _in_room(groups: Iterable[Group], hub: str, room: str) -> list[Group]:
    """The groups that meet in a room (a remote group meets in none)."""
    return [g for g in groups if g.modality != "remote" and g.hub == hub and g.room == room]


def _length(group: Group) -> int:
    return max(minutes(group.end) - minutes(group.start), 0)


def _merged(windows: Iterable[Window]) -> list[tuple[int, int]]:
    """One day's windows as disjoint intervals of minutes (overlapping or touching windows joined)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((w.start_min, w.end_min) for w in windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _window_minutes(windows: list[Window]) -> int:
    """The minutes a week's windows hold, each minute once."""
    return sum(end - start for day in DAYS for start, end in _merged(w for w in windows if w.day == day))
