"""The pop-up phase: after the main solve, place open sessions where the waiting clients live.

A pop-up (a group model with open admission) has no roster, no decision and no minimum
size (`popup_has_no_roster`): it never takes part in the main model. Once the rostered
groups are planned, up to `problem.popup_slots` new pop-up sessions a week (`popup_slots`)
go where most of the clients the plan left unplaced could come: a client is within a
pop-up's reach when its theme is among their interests, they belong to its audience and
speak its language, they are free for the whole session, and they reach its hub within
their max_travel_minutes by their own mode to a room they can use (`travel`,
`accessibility`), or may take part from home when it is remote or hybrid (`remote`).

Choosing the sessions is a maximum coverage problem; it is solved greedily (the session
that reaches the most clients no pop-up placed so far reaches, then the next), which is
within 1 - 1/e of the best and, with lazy re-evaluation, fast on tens of thousands of
possible sessions. A session is placed only where it reaches someone new.

Each pop-up keeps the rules a rostered group keeps where they apply: a room of its hub
open for the whole session and holding one session at a time (`room_available`,
`one_session_per_room`), a leader team of one or two (`has_a_leader`,
`at_most_two_leaders`) with a qualified professional (`one_qualified_leader`, and so
`peer_beside_professional`) and the model's skills (`skills_covered`), two leaders when
the room takes more than four visitors besides its leaders (`five_need_two_leaders`:
visitors = min(room capacity - leaders, max_size)), leaders who speak the language, are
free then, live within the county's reach, stay within their weekly minutes, lead one
session at a time and have the car time between hubs around the groups already planned
(`leader_speaks_language`, `leader_available`, `leader_within_reach`,
`leader_weekly_minutes`, `leader_one_session_at_a_time`, `leader_travel_time`).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from scheduler.contract import Group, Hub, Room, Staff, Template, Window, hhmm, minutes
from scheduler.contract.rules import MAX_LEADERS, ONE_LEADER_UP_TO
from solver.availability import Availability
from solver.candidates import Instance, popcount
from solver.terms import own_term

__all__ = ["place_popups"]


@dataclass(frozen=True)
class _Session:
    """A pop-up that could be placed: a model in a language, a room (None: remote), a day and a time."""

    template: Template
    language: str
    hub: Hub | None
    room: Room | None
    day: str
    start: int
    end: int


@dataclass
class _Booked:
    """Rooms and leaders taken by the plan so far."""

    rooms: dict[tuple[str, str], list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    leaders: dict[tuple[str, str], list[tuple[int, int, str]]] = field(default_factory=lambda: defaultdict(list))
    minutes: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def place_popups(inst: Instance, groups: list[Group]) -> list[Group]:
    """New pop-up groups (`participants=[]`, `new=True`, `reach`) around the clients these groups leave unplaced."""
    problem = inst.problem
    templates = sorted((t for t in problem.templates if t.popup), key=lambda t: t.id)
    if problem.popup_slots <= 0 or not templates:
        return []
    placed = {p for g in groups for p in g.participants}
    people = problem.clients  # a pop-up needs no decision: the clients' own weeks
    waiting = _bits(i for i, c in enumerate(people) if c.id not in placed)
    if not waiting:
        return []
    finder = _Finder(inst, groups)
    heap: list[tuple[int, int]] = []
    sessions: list[tuple[_Session, int]] = []
    for session, reach in finder.sessions(templates, waiting):
        heap.append((-popcount(reach), len(sessions)))
        sessions.append((session, reach))
    heapq.heapify(heap)
    covered, chosen = 0, list[Group]()
    while heap and len(chosen) < problem.popup_slots:
        _, i = heapq.heappop(heap)
        session, reach = sessions[i]
        gain = popcount(reach & ~covered)
        if gain == 0:  # and stays so
            continue
        if heap and gain < -heap[0][0]:  # lazy greedy: a session's new reach only shrinks
            heapq.heappush(heap, (-gain, i))
            continue
        team = finder.place(session)
        if team is None:  # the room or every team is taken now, and stays taken
            continue
        covered |= reach
        chosen.append(finder.group(session, team, popcount(reach), {g.id for g in groups}))
    return chosen


class _Finder:
    """The possible pop-up sessions and their leader teams, around what the plan has booked."""

    def __init__(self, inst: Instance, groups: list[Group]) -> None:
        self.inst = inst
        self.problem = inst.problem
        self.people = self.problem.clients
        self.staff = {s.id: s for s in inst.staff}
        self.hubs = {h.id: h for h in self.problem.hubs}
        self.available = Availability([c.available for c in self.people])
        self.step_free = _bits(i for i, c in enumerate(self.people) if not c.needs_accessible)
        self.remote_ok = _bits(i for i, c in enumerate(self.people) if c.remote_ok)
        self.booked = _Booked()
        self.ids: set[str] = set()
        for g in groups:
            if g.room is not None:
                self.booked.rooms[g.room, g.day].append((minutes(g.start), minutes(g.end)))
            length = minutes(g.end) - minutes(g.start)
            for s in g.leaders:
                self._book(self.staff[s], g.day, minutes(g.start), length, g.hub)

    def _book(self, leader: Staff, day: str, start: int, length: int, hub: str | None) -> None:
        self.booked.leaders[leader.id, day].append((start, start + length, hub or leader.base_hub))
        self.booked.minutes[leader.id] += length

    def sessions(self, templates: list[Template], waiting: int) -> list[tuple[_Session, int]]:
        """Every possible session with the waiting clients within its reach (none left out when it reaches no one)."""
        found = []
        for t in templates:
            for language in t.languages:
                wanted = waiting & _bits(
                    i
                    for i, c in enumerate(self.people)
                    if t.theme in c.interests  # interest
                    and (t.audience == "all" or t.audience in c.audiences)  # audience
                    and language in c.languages  # language
                    and (t.modality != "remote" or c.remote_ok)  # remote
                )
                if not wanted:
                    continue
                if t.modality == "remote":
                    windows = [w for s in self.inst.staff if language in s.languages for w in s.available]
                    found += self._at(t, language, None, None, windows, wanted)
                    continue
                home = wanted & self.remote_ok if t.modality == "hybrid" else 0
                for hub in self.problem.hubs:
                    near = wanted & _bits(
                        i
                        for i, c in enumerate(self.people)
                        if wanted >> i & 1 and self.inst.travel.client(c, hub.id) <= c.max_travel_minutes  # travel
                    )
                    for room in hub.rooms:
                        reach = (near if room.accessible else near & self.step_free) | home  # accessibility
                        if reach and room.capacity > MAX_LEADERS:
                            found += self._at(t, language, hub, room, room.available, reach)
        return found

    def _at(
        self, t: Template, language: str, hub: Hub | None, room: Room | None, windows: list[Window], reach: int
    ) -> list[tuple[_Session, int]]:
        """The sessions on the slot grid within the windows (`start_on_grid`, `room_available`), with their reach."""
        slot, found, seen = self.problem.slot_minutes, [], set()
        for w in sorted(windows, key=lambda w: (w.day, minutes(w.start))):
            first = -(-minutes(w.start) // slot) * slot
            for start in range(first, minutes(w.end) - t.duration_minutes + 1, slot):
                if (w.day, start) in seen:
                    continue
                seen.add((w.day, start))
                end = start + t.duration_minutes
                who = reach & self.available.covering(w.day, start, end)  # availability
                if who:
                    found.append((_Session(t, language, hub, room, w.day, start, end), who))
        return found

    def place(self, s: _Session) -> list[Staff] | None:
        """Book the session's room and a leader team, or None when the room or every team is taken."""
        if s.room is not None and any(
            a < s.end and s.start < b for a, b in self.booked.rooms[s.room.id, s.day]
        ):  # one_session_per_room
            return None
        team = self._team(s)
        if team is None:
            return None
        if s.room is not None:
            self.booked.rooms[s.room.id, s.day].append((s.start, s.end))
        for leader in team:
            self._book(leader, s.day, s.start, s.end - s.start, s.hub.id if s.hub else None)
        return team

    def _team(self, s: _Session) -> list[Staff] | None:
        """A qualified leader nearest the hub with the skills, or with a partner who adds them or who makes the
        second leader a room of more than four visitors needs; None if no team is free."""
        free = sorted(
            (p for p in self.inst.staff if self._free(p, s)),
            key=lambda p: (self.inst.travel.hub(p.base_hub, s.hub.id) if s.hub else 0, p.id),
        )
        need = set(s.template.required_skills)
        two = _visitors(s, 1) > ONE_LEADER_UP_TO  # five_need_two_leaders
        for lead in (p for p in free if p.qualified):  # one_qualified_leader, peer_beside_professional
            rest = need - set(lead.skills)
            if not rest and not two:
                return [lead]
            partner = next((p for p in free if p is not lead and rest <= set(p.skills)), None)
            if partner is not None and _visitors(s, MAX_LEADERS) > 0:
                return [lead, partner]
        return None

    def _free(self, p: Staff, s: _Session) -> bool:
        """Speaks the language, within the county's reach, free then, within the week, travel time kept."""
        if s.language not in p.languages:  # leader_speaks_language
            return False
        reach = self.problem.policy.leader_reach_minutes
        if s.hub is not None and reach is not None and self.inst.travel.hub(p.base_hub, s.hub.id) > reach:
            return False  # leader_within_reach
        if not any(w.day == s.day and minutes(w.start) <= s.start and s.end <= minutes(w.end) for w in p.available):
            return False  # leader_available
        if self.booked.minutes[p.id] + s.end - s.start > p.max_weekly_minutes:  # leader_weekly_minutes
            return False
        here, car = (s.hub.id if s.hub else p.base_hub), self.inst.travel.hub
        for start, end, hub in self.booked.leaders[p.id, s.day]:  # leader_one_session_at_a_time, leader_travel_time
            if not (end + car(hub, here) <= s.start or s.end + car(here, hub) <= start):
                return False
        return True

    def group(self, s: _Session, team: list[Staff], reach: int, taken: set[str]) -> Group:
        """The placed pop-up as a plan group: no participants, new, with its reach and own term."""
        place = (s.room.id if s.room else "remote").replace("/", "-")
        base = f"p-{s.template.id}-{place}-{s.language}-{s.day}-{hhmm(s.start).replace(':', '')}"
        ident, n = base, 1
        while ident in taken or ident in self.ids:
            n += 1
            ident = f"{base}-{n}"
        self.ids.add(ident)
        start_date, sessions = own_term(self.problem, s.template, s.day)
        return Group(
            id=ident,
            template=s.template.id,
            modality=s.template.modality,
            hub=s.hub.id if s.hub else None,
            room=s.room.id if s.room else None,
            language=s.language,
            day=s.day,
            start=hhmm(s.start),
            end=hhmm(s.end),
            leaders=sorted(p.id for p in team),
            participants=[],
            new=True,
            start_date=start_date,
            sessions=sessions,
            reach=reach,
        )


def _visitors(s: _Session, leaders: int) -> int:
    """How many visitors the session takes besides its leaders: the room's places, at most the model's max_size."""
    if s.room is None:
        return s.template.max_size
    return min(s.room.capacity - leaders, s.template.max_size)


def _bits(indices: Iterable[int]) -> int:
    mask = 0
    for i in indices:
        mask |= 1 << i
    return mask
