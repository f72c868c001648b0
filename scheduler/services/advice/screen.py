"""The screen: a cheap upper bound on the clients a change could place, before any re-plan.

A change can place a waiting client only if the client then has somewhere to go: a
session their own terms allow, in a room open then, that some leader team could lead
(`solver.explain_clients` on the changed problem, leaders' other groups not counted, so
it over-counts), or a free seat they already had (their reason was `capacity`). That is
`reach`. A change of resources also adds only so many sessions: a leader's or room's
added minutes hold at most that many sessions of the shortest group model, each seating
at most the largest group (or the room's capacity). Any plan with the change, less the
groups that use what the change added, is a plan without it; so the clients a change
places beyond the best plan without it are at most `sessions × seats`. The bound is the
smaller of the two; a candidate with bound 0 is not re-planned.
"""

from __future__ import annotations

import math

import solver
from scheduler.contract import Plan, Problem, Window
from scheduler.contract.whatif import (
    Change,
    ClientRemote,
    ClientTravel,
    NewLeader,
    NewRoom,
    RoomOpened,
    StaffAvailability,
    TemplateLanguage,
    apply_changes,
)
from solver.travel import TravelTimes

__all__ = ["Screen"]


def _sessions(windows: list[Window], shortest: int) -> int:
    return sum((w.end_min - w.start_min) // shortest for w in windows)


def _meets(mine: list[Window], theirs: list[Window], shortest: int) -> bool:
    """Whether some window of each overlaps the other's on the same day for the shortest session."""
    return any(
        a.day == b.day and min(a.end_min, b.end_min) - max(a.start_min, b.start_min) >= shortest
        for a in mine
        for b in theirs
    )


class Screen:
    """Bounds for changes to one fixed problem and the clients its plan leaves out."""

    def __init__(self, fixed: Problem, plan: Plan, waiting: list[str]) -> None:
        self.waiting = waiting
        wanted = set(waiting)
        self.lean = fixed.model_copy(update={"clients": [c for c in fixed.clients if c.id in wanted], "groups": []})
        codes = {u.client: {r.code for r in u.reasons} for u in plan.unassigned}
        self.seated = {c for c in waiting if "capacity" in codes.get(c, set())}
        rostered = [t for t in fixed.templates if not t.popup] or fixed.templates
        self.shortest = min((t.duration_minutes for t in rostered), default=60)
        self.largest = max((t.max_size for t in rostered), default=1)
        self.rooms = {(h.id, r.id): r.capacity for h in fixed.hubs for r in h.rooms}
        self.clients = {c.id: c for c in self.lean.clients}
        self.staff = {s.id: s for s in fixed.staff}
        self.templates = {t.id: t for t in fixed.templates}
        self.travel = TravelTimes(self.lean)

    def going(self, change: Change) -> set[str]:
        """Waiting clients who would have somewhere to go with the change."""
        reasons = solver.explain_clients(apply_changes(self.lean, [change]), self.waiting)
        going = {c for c, found in reasons.items() if any(r.code == "capacity" and _opens(r) for r in found)}
        return going | self.seated

    def touched(self, change: Change) -> set[str] | None:
        """The waiting clients who could meet in what the change adds (None: any of them)."""
        waiting = [self.clients[c] for c in self.waiting if c in self.clients]
        shortest = self.shortest
        match change:
            case NewLeader():
                return {
                    c.id
                    for c in waiting
                    if set(c.languages) & set(change.languages) and _meets(c.available, change.available, shortest)
                }
            case StaffAvailability():
                member = self.staff[change.staff]
                windows = member.available + change.add if change.extra_minutes else change.add
                return {
                    c.id
                    for c in waiting
                    if set(c.languages) & set(member.languages) and _meets(c.available, windows, shortest)
                }
            case RoomOpened() | NewRoom():
                windows = change.add if isinstance(change, RoomOpened) else change.available
                return {
                    c.id
                    for c in waiting
                    if (c.remote_ok or self.travel.client(c, change.hub) <= c.max_travel_minutes)
                    and _meets(c.available, windows, shortest)
                }
            case TemplateLanguage():
                t = self.templates[change.template]
                return {
                    c.id
                    for c in waiting
                    if change.language in c.languages
                    and t.theme in c.interests
                    and (t.audience == "all" or t.audience in c.audiences)
                }
            case _:
                return None

    def seats(self, change: Change) -> int | None:
        """At most how many clients the change's added sessions seat (None: no such limit)."""
        match change:
            case NewLeader():
                sessions = min(change.max_weekly_minutes // self.shortest, _sessions(change.available, self.shortest))
                return sessions * self.largest
            case StaffAvailability():
                sessions = _sessions(change.add, self.shortest) + math.ceil(change.extra_minutes / self.shortest)
                return sessions * self.largest
            case RoomOpened():
                size = min(self.rooms.get((change.hub, change.room), self.largest), self.largest)
                return _sessions(change.add, self.shortest) * size
            case NewRoom():
                return _sessions(change.available, self.shortest) * min(change.capacity, self.largest)
            case _:
                return None

    def bound(self, change: Change) -> int:
        going = self.going(change)
        if isinstance(change, ClientTravel | ClientRemote):
            if change.client not in going - self.seated:
                return 0  # nothing else changed: the client still has nowhere to go
            return min(len(going), self.clients[change.client].max_groups_per_week * self.largest)
        touched = self.touched(change)
        reach = len(going if touched is None else going & touched)
        seats = self.seats(change)
        return reach if seats is None else min(reach, seats)


def _opens(reason: object) -> bool:
    """A `capacity` reason that is not 'no group could open for them'."""
    args = getattr(reason, "args", None) or {}
    return args.get("case") != "none"
