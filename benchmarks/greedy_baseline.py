"""A first-come-first-served planner: what a coordinator does by hand in a spreadsheet.

The benchmark's baseline. Clients are taken oldest-waiting first; each joins the
first running group that suits them (best-liked theme first, nearest hub), or else
opens a new group at the nearest hub that has a free room, a free leader and a time
the client can come. Small groups that never fill up are cancelled at the end. The
plan keeps every hard rule (H1-H10): it is valid, only myopic. Like the planner, it
gives a client with decisions only the weekdays with a session in force
(`solver.decisions`) and never seats a client in a group they declined.

It keeps the handbook's kinds of group as the planner does: a running closed group past
its closing session takes no joiners (`closed`, `solver.terms`); a new group runs its
own term (`group_term`); a hybrid group seats in its room those who reach it while it has
places and the rest who may join from home as remote participants; a pop-up model is
never rostered (`popup_has_no_roster`) and the baseline places no pop-ups (`popup_slots`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from scheduler.contract import (
    DAYS,
    Client,
    Group,
    Plan,
    PlanMetrics,
    Problem,
    Reason,
    Room,
    Staff,
    Template,
    Unassigned,
    Window,
    hhmm,
    minutes,
    plan_shape,
)
from scheduler.contract.rules import LARGEST_GROUP, MAX_LEADERS, ONE_LEADER_UP_TO, SMALLEST_GROUP
from solver.decisions import DecisionDays, decision_days, held_dates, restricted, term_held
from solver.terms import closed_to_joiners, group_dates, own_term
from solver.travel import TravelTimes

__all__ = ["greedy_plan"]

_DETAILS = {
    "decision": "no decision in force on any session of the term",
    "interest": "no group model offers a theme they are interested in",
    "audience": "the group models of their themes are for audiences they do not belong to",
    "language": "no group model of their themes runs in a language they speak",
    "remote": "only remote groups would suit them, and they do not take part remotely",
    "travel": "no hub with a room for their groups within their travel time",
    "accessibility": "no accessible room for their groups within their travel time",
    "availability": "no room within reach is open for their groups when they are available",
    "closed": "the only groups that suit them are closed groups past their closing session",
    "leaders": "no leader team (language, reach, free then, qualified, skills) could lead a group they could join",
    "capacity": "suitable groups were full, or no room or leader was free to open one",
}
_Venue = tuple[str, Room]
_Place = tuple[str | None, Room | None]


@dataclass
class _Session:
    """One row of the coordinator's sheet: a weekly group and who is in it."""

    id: str
    template: Template
    language: str
    day: str
    start: int
    end: int
    hub: str | None
    room: Room | None
    leaders: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    new: bool = True
    pinned: bool = False
    remote: list[str] = field(default_factory=list)
    """A hybrid group's participants who join from home."""
    start_date: date | None = None
    sessions: int | None = None
    closed: bool = False
    """A running closed group past its closing session: it takes no joiners."""

    @property
    def present(self) -> int:
        return len(self.participants) - len(self.remote)

    @property
    def seats(self) -> int:
        return min(LARGEST_GROUP, self.template.max_size)

    @property
    def smallest(self) -> int:
        return max(SMALLEST_GROUP, self.template.min_size)

    def group(self) -> Group:
        return Group(
            id=self.id,
            template=self.template.id,
            modality=self.template.modality,
            hub=self.hub,
            room=self.room.id if self.room else None,
            language=self.language,
            day=self.day,
            start=hhmm(self.start),
            end=hhmm(self.end),
            leaders=self.leaders,
            participants=self.participants,
            new=self.new,
            pinned=self.pinned,
            start_date=self.start_date,
            sessions=self.sessions,
            remote_participants=sorted(self.remote),
        )


def _covers(windows: list[Window], day: str, start: int, end: int) -> bool:
    """Whether one of the windows holds the whole session."""
    return any(w.day == day and w.start_min <= start and end <= w.end_min for w in windows)


def _starts(windows: list[Window], day: str, duration: int, grid: int) -> list[int]:
    """Every start on the slot grid at which a session of this length fits a window."""
    found: set[int] = set()
    for w in windows:
        if w.day == day:
            first = -(-w.start_min // grid) * grid
            found.update(range(first, w.end_min - duration + 1, grid))
    return sorted(found)


class _Sheet:
    """The coordinator's sheet: groups, rooms and leaders' weeks as filled in so far."""

    def __init__(self, problem: Problem, limits: dict[str, DecisionDays | None] | None = None) -> None:
        self.problem = problem
        self.limits = limits or {}
        self.held = held_dates(problem) if any(self.limits.values()) else {}
        self.travel = TravelTimes(problem)
        self.staff: dict[str, Staff] = {s.id: s for s in problem.staff}
        self.templates = {t.id: t for t in problem.templates}
        self.rooms = {r.id: r for h in problem.hubs for r in h.rooms}
        self.sessions: list[_Session] = []
        self.placed: dict[str, int] = {}
        for g in problem.groups:
            t = self.templates[g.template]
            self.add(
                _Session(
                    g.id,
                    self.templates[g.template],
                    g.language,
                    g.day,
                    minutes(g.start),
                    minutes(g.end),
                    g.hub,
                    self.rooms[g.room] if g.room else None,
                    list(g.leaders),
                    list(g.participants),
                    g.new,
                    g.pinned,
                    [p for p in g.remote_participants if p in g.participants],
                    g.start_date,
                    g.sessions,
                    t.popup or closed_to_joiners(problem, g, t),  # popup_has_no_roster, closed
                )
            )

    def new_id(self, t: Template) -> str:
        """A group id not used by any input group: greedy-<running number>-<template>."""
        taken = {s.id for s in self.sessions}
        n = len(self.sessions) + 1
        while f"greedy-{n:04d}-{t.id}" in taken:
            n += 1
        return f"greedy-{n:04d}-{t.id}"

    def add(self, session: _Session) -> None:
        """Write a group onto the sheet and mark its participants placed."""
        self.sessions.append(session)
        for c in session.participants:
            self.placed[c] = self.placed.get(c, 0) + 1

    def _where(self, session: _Session, leader: Staff) -> str:
        """Where a leader runs the session: its hub, or their base hub when remote."""
        return session.hub or leader.base_hub

    def leader_free(self, leader: Staff, s: _Session, own: list[_Session]) -> bool:
        """Available, within weekly minutes, with travel time around their other sessions."""
        if not _covers(leader.available, s.day, s.start, s.end):
            return False
        if sum(o.end - o.start for o in own) + s.end - s.start > leader.max_weekly_minutes:
            return False
        here = self._where(s, leader)
        for o in own:
            if o.day == s.day:
                gap = self.travel.hub(self._where(o, leader), here)
                if not (o.end + gap <= s.start or s.end + gap <= o.start):
                    return False
        return True

    def willing(self, s: _Session) -> list[Staff]:
        """Free staff who speak the group's language, nearest base first."""
        led: dict[str, list[_Session]] = {}
        for o in self.sessions:
            for lead in o.leaders:
                led.setdefault(lead, []).append(o)
        reach = self.problem.policy.leader_reach_minutes  # leader_within_reach
        free = [
            p
            for p in self.staff.values()
            if s.language in p.languages
            and p.id not in s.leaders
            and (reach is None or s.hub is None or self.travel.hub(p.base_hub, s.hub) <= reach)
            and self.leader_free(p, s, led.get(p.id, []))
        ]
        return sorted(free, key=lambda p: (self.travel.hub(p.base_hub, s.hub or p.base_hub), p.id))

    def first_leaders(self, s: _Session) -> list[str] | None:
        """A qualified leader with the skills, or a qualified one and a partner who adds them."""
        need = set(s.template.required_skills)
        free = self.willing(s)
        for lead in (p for p in free if p.qualified):
            missing = need - set(lead.skills)
            if not missing:
                return [lead.id]
            partner = next((p for p in free if p is not lead and missing <= set(p.skills)), None)
            if partner is not None:
                return [lead.id, partner.id]
        return None

    def room_free(self, room: Room, day: str, start: int, end: int) -> bool:
        """No other group meets in the room at an overlapping time."""
        return not any(o.room is room and o.day == day and o.start < end and start < o.end for o in self.sessions)

    def reach(self, c: Client, hub: str) -> bool:
        """The client gets to the hub within their travel time by their own mode."""
        return self.travel.client(c, hub) <= c.max_travel_minutes

    def suits(self, c: Client, s: _Session) -> bool:
        """The rules of H7 (and accessibility of H4) for this client in this group."""
        return not s.closed and self.fits(c, s) and self.in_force(c, s)

    def in_force(self, c: Client, s: _Session) -> bool:
        """A client with decisions joins a group with its own term only with one in force on its sessions."""
        limit = self.limits.get(c.id)
        if limit is None or (s.start_date is None and s.sessions is None):
            return True
        first, last = group_dates(self.problem, s.day, s.start_date, s.sessions)
        return limit.in_force(term_held(self.held, s.day, first, last))

    def comes(self, c: Client, s: _Session) -> bool:
        """Whether the client comes to the session's room (reaches it and can use it)."""
        if s.hub is None or (c.needs_accessible and not (s.room and s.room.accessible)):
            return False
        return self.reach(c, s.hub)

    def fits(self, c: Client, s: _Session) -> bool:
        """The client-fit rules, whatever the group's admission."""
        t = s.template
        if t.audience != "all" and t.audience not in c.audiences:
            return False
        if s.language not in c.languages or c.id in s.participants:
            return False
        if any(d.group == s.id for d in c.declined):  # declined_not_offered
            return False
        if not _covers(c.available, s.day, s.start, s.end):
            return False
        if s.hub is None:
            return c.remote_ok
        if t.modality == "hybrid" and c.remote_ok:
            return True
        return self.comes(c, s)

    def join(self, c: Client, s: _Session) -> bool:
        """Seat the client if there is room; a fifth brings a second leader (pinned: no change). In a hybrid
        group a client who may join from home does so when they cannot come or the room is full."""
        size = len(s.participants) + 1
        if size > s.seats:
            return False
        leaders = list(s.leaders)
        if size > ONE_LEADER_UP_TO and len(leaders) < MAX_LEADERS:
            second = None if s.pinned else next(iter(self.willing(s)), None)
            if second is None:
                return False
            leaders.append(second.id)
        home = s.template.modality == "hybrid" and c.remote_ok
        present = s.present + (0 if home else 1)
        if s.room is not None and present + len(leaders) > s.room.capacity:
            return False
        if home and (not self.comes(c, s) or s.room is None or s.present + 1 + len(leaders) > s.room.capacity):
            s.remote.append(c.id)
        s.leaders = leaders
        s.participants.append(c.id)
        self.placed[c.id] = self.placed.get(c.id, 0) + 1
        return True

    def join_running(self, c: Client) -> bool:
        """Try running groups, the client's favourite theme first, nearest hub first."""
        for theme in c.interests:
            fitting = [s for s in self.sessions if s.template.theme == theme and self.suits(c, s)]
            fitting.sort(key=lambda s: self.travel.client(c, s.hub) if s.hub else 0)
            if any(self.join(c, s) for s in fitting):
                return True
        return False

    def venues(self, c: Client, t: Template) -> list[_Place]:
        """Rooms the client reaches in time (nearest first), or remote if that suits them (a hybrid group:
        then any room, nearest first, the client joining from home)."""
        if t.modality == "remote":
            return [(None, None)] if c.remote_ok else []
        reach = sorted((self.travel.client(c, h.id), h.id, h) for h in self.problem.hubs)
        home = t.modality == "hybrid" and c.remote_ok
        return [
            (h.id, r)
            for minutes_, _, h in reach
            if minutes_ <= c.max_travel_minutes or home
            for r in h.rooms
            if (r.accessible or not c.needs_accessible or home) and r.capacity > max(SMALLEST_GROUP, t.min_size)
        ]

    def open_new(self, c: Client) -> bool:
        """Open a group: first template, nearest room, first time a leader is free."""
        for t in (t for theme in c.interests for t in self.problem.templates if t.theme == theme):
            if t.popup or (t.audience != "all" and t.audience not in c.audiences):
                continue
            for lang in (lang for lang in t.languages if lang in c.languages):
                for place in self.venues(c, t):
                    if self._open_at(c, t, lang, place):
                        return True
        return False

    def _open_at(self, c: Client, t: Template, lang: str, place: _Place) -> bool:
        """Open the group at the first time on the grid when room, client and leaders are free."""
        hub, room = place
        windows = room.available if room else c.available
        for day in DAYS:
            for start in _starts(windows, day, t.duration_minutes, self.problem.slot_minutes):
                end = start + t.duration_minutes
                if not _covers(c.available, day, start, end):
                    continue
                if room is not None and not self.room_free(room, day, start, end):
                    continue
                s = _Session(self.new_id(t), t, lang, day, start, end, hub, room)
                s.start_date, s.sessions = own_term(self.problem, t, day)  # group_term
                if not self.in_force(c, s):
                    continue
                leaders = self.first_leaders(s)
                if leaders is not None:
                    s.leaders = leaders
                    self.add(s)
                    return self.join(c, s)
        return False

    def cancel_small(self) -> None:
        """Cancel new and unpinned groups that never reached the minimum size."""
        for s in [s for s in self.sessions if not s.pinned and len(s.participants) < s.smallest]:
            self.sessions.remove(s)
            for c in s.participants:
                self.placed[c] -= 1

    def why_not(self, c: Client) -> Reason:
        """The first rule that leaves the client without any candidate group, else capacity; `closed` when
        a running closed group (not a pop-up) would suit them."""
        if any(s.closed and not s.template.popup and self.fits(c, s) for s in self.sessions):
            return Reason(code="closed", detail=_DETAILS["closed"])
        rooms: list[_Venue | None] = [(h.id, r) for h in self.problem.hubs for r in h.rooms]
        options = [
            (t, v) for t in self.problem.templates if not t.popup for v in (rooms if t.modality != "remote" else [None])
        ]
        *narrowing, (last, possible) = self._rules(c)
        for code, ok in narrowing:
            options = [o for o in options if ok(*o)]
            if not options:
                return Reason(code=code, detail=_DETAILS[code])
        if not any(possible(*o) for o in options):  # the last rule only needs one option that passes
            return Reason(code=last, detail=_DETAILS[last])
        return Reason(code="capacity", detail=_DETAILS["capacity"])

    def _rules(self, c: Client) -> list[tuple[str, Callable[[Template, _Venue | None], bool]]]:
        """Each rule a candidate group must pass for the client, in the order they are told."""

        def home(t: Template) -> bool:
            return t.modality == "hybrid" and c.remote_ok

        def open_when_free(t: Template, v: _Venue | None) -> bool:
            windows, length = (v[1].available if v else c.available), t.duration_minutes
            grid = self.problem.slot_minutes
            return any(_covers(c.available, d, s, s + length) for d in DAYS for s in _starts(windows, d, length, grid))

        return [
            ("interest", lambda t, v: t.theme in c.interests),
            ("audience", lambda t, v: t.audience == "all" or t.audience in c.audiences),
            ("language", lambda t, v: bool(set(t.languages) & set(c.languages))),
            ("remote", lambda t, v: v is not None or c.remote_ok),
            ("travel", lambda t, v: v is None or self.reach(c, v[0]) or home(t)),
            ("accessibility", lambda t, v: v is None or v[1].accessible or not c.needs_accessible or home(t)),
            ("availability", open_when_free),
            ("leaders", lambda t, v: self.team_possible(c, t, v)),
        ]

    def team_possible(self, c: Client, t: Template, v: _Venue | None) -> bool:
        """Some leader team (H5, leader reach, weekly hours) could lead the group at a time the client and room allow,
        the other groups aside."""
        windows, length, grid = (v[1].available if v else c.available), t.duration_minutes, self.problem.slot_minutes
        reach, need = self.problem.policy.leader_reach_minutes, set(t.required_skills)
        for lang in (lang for lang in t.languages if lang in c.languages):
            staff = [
                p
                for p in self.staff.values()
                if lang in p.languages
                and p.max_weekly_minutes >= length
                and (reach is None or v is None or self.travel.hub(p.base_hub, v[0]) <= reach)
            ]
            for d in DAYS:
                for s in _starts(windows, d, length, grid):
                    if not _covers(c.available, d, s, s + length):
                        continue
                    free = [p for p in staff if _covers(p.available, d, s, s + length)]
                    for lead in (p for p in free if p.qualified):
                        rest = need - set(lead.skills)
                        if not rest or any(rest <= set(p.skills) for p in free):
                            return True
        return False


def _why_not(sheet: _Sheet, c: Client, limit: DecisionDays | None) -> Reason:
    """`decision` when no decision is in force on any session, else the first rule that leaves no group."""
    if limit is not None and limit.reason is not None:
        return Reason(code="decision", detail=_DETAILS["decision"])
    return sheet.why_not(c)


def greedy_plan(problem: Problem) -> Plan:
    """Plan the week first come, first served, oldest-waiting client first."""
    began = time.perf_counter()
    held = held_dates(problem) if any(c.decisions for c in problem.clients) else {}
    limits = {c.id: decision_days(problem, c, held) for c in problem.clients}
    sheet = _Sheet(problem, limits)
    people = [restricted(c, limits[c.id]) for c in problem.clients]  # decision_in_force
    for c in sorted(people, key=lambda c: (c.waits_from, c.id)):
        if sheet.placed.get(c.id, 0) == 0 and not sheet.join_running(c):
            sheet.open_new(c)
    sheet.cancel_small()
    clients = {c.id: c for c in problem.clients}
    waiting = [c for c in people if sheet.placed.get(c.id, 0) == 0]
    groups = [s.group() for s in sheet.sessions]
    travel = sum(
        sheet.travel.client(clients[p], s.hub)
        for s in sheet.sessions
        if s.hub
        for p in s.participants
        if p not in s.remote
    )
    metrics = PlanMetrics(
        placed=len(problem.clients) - len(waiting),
        unassigned=len(waiting),
        groups_new=sum(g.new for g in groups),
        groups_total=len(groups),
        client_travel_minutes=travel,
        leader_minutes=sum((s.end - s.start) * len(s.leaders) for s in sheet.sessions),
        solve_seconds=round(time.perf_counter() - began, 3),
        shape=plan_shape(groups, problem.templates),
    )
    unassigned = [Unassigned(client=c.id, reasons=[_why_not(sheet, c, limits[c.id])]) for c in waiting]
    return Plan(status="feasible", groups=groups, unassigned=unassigned, metrics=metrics)
