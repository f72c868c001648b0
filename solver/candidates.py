"""Candidate groups: every template × language × room type (or remote) × day × start worth deciding on.

A candidate is kept only if at least `min_size` clients and a qualified leader team
could attend it. Rooms of one hub with the same capacity, accessibility and opening
hours form one room type: a candidate books "a room of that type" and rooms are
numbered out after solving (exact, since a room type's sessions are intervals).
Among the starts of one template, language, room type and day, a start overlapped
by a kept start that serves everyone it could is dominated and dropped. Sets of
people are Python integers used as bit masks over the client and staff lists.

The rule parts of who may join or lead a group, and where and when it meets, hold here
by filtering; each filter names its rule key (`scheduler.contract.rules`): `interest`,
`audience`, `language`, `remote`, `travel`, `accessibility`, `availability`,
`leader_speaks_language`, `leader_available`, `one_qualified_leader`, `skills_covered`,
`room_available`, `day_has_window`, `start_on_grid`, `template_duration`, and the
capacity for `group_not_too_large` and `room_fits_everyone`. A client's decisions
(`decision_in_force`) and declined groups (`declined_not_offered`) narrow who may join
anew (`solver.decisions`).

The handbook's kinds of group: a running group of a closed model past its closing
session takes no joiners (`closed`: only its participants stay on its candidate, and the
clients it turned away are noted for the explanation); a new candidate carries its own
term (`group_term`, `solver.terms`) and counts decisions on its own sessions; a hybrid
candidate takes those who reach its room (present) and, besides, those who may join
from home (`remote`: its `home` mask), its room counting only those present; a pop-up
model (`popup_has_no_roster`) has no candidates here: its input groups keep an empty
roster and new pop-ups are placed after the main solve (`solver.popups`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from scheduler.contract import Client, Group, Hub, Problem, Room, Staff, Template, Window, hhmm, minutes
from scheduler.contract.rules import LARGEST_GROUP, MIN_LEADERS, SMALLEST_GROUP
from solver.availability import Availability
from solver.decisions import DecisionDays, decision_days, held_dates, restricted, term_held
from solver.params import SolveParams
from solver.terms import closed_to_joiners, group_dates, own_term
from solver.travel import TravelTimes

__all__ = ["Candidate", "Instance", "Limits", "build_instance", "popcount", "trim_options"]

Option = tuple[int, int, int, int]


def popcount(mask: int) -> int:
    return bin(mask).count("1")


@dataclass
class Candidate:
    """A group that could open: what, in which language, where and when."""

    key: str
    template: Template
    language: str
    hub: str | None
    rooms: tuple[str, ...]
    room_capacity: int
    capacity: int
    day: str
    start: int
    end: int
    clients: int
    leaders: int
    group: Group | None = None
    start_date: date | None = None
    """A new group's own term (`solver.terms.own_term`); None with `sessions` None: the whole season."""
    sessions: int | None = None
    home: int = 0
    """Hybrid: the clients who may join from home (`remote_ok`); the room counts the others only."""
    present: int = 0
    """Hybrid: the clients who reach the room (travel, accessibility) and so may come to it."""

    @property
    def pinned(self) -> bool:
        return self.group is not None and self.group.pinned

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass
class Instance:
    """The problem in the solver's terms: indexed people, travel times and candidates."""

    problem: Problem
    travel: TravelTimes
    clients: list[Client]
    staff: list[Staff]
    candidates: list[Candidate] = field(default_factory=list)
    client_index: dict[str, int] = field(default_factory=dict)
    staff_index: dict[str, int] = field(default_factory=dict)
    decisions: dict[int, DecisionDays] = field(default_factory=dict)
    """The weekdays each client with decisions may be placed on anew (`solver.decisions`); others have no limit."""
    held: dict[str, list[date]] = field(default_factory=dict)
    """Each weekday's held session dates from the first seat day (only when some client has decisions)."""
    closed_out: dict[int, list[str]] = field(default_factory=dict)
    """Clients a running closed group would have taken but no longer does (`closed`), by the group's id."""

    def members(self, mask: int) -> Iterator[int]:
        """Indices of the set bits of a mask, lowest first."""
        while mask:
            low = mask & -mask
            yield low.bit_length() - 1
            mask ^= low

    def rank(self, client: int, candidate: Candidate) -> int:
        """Position of the candidate's theme in the client's interests (0 = first choice)."""
        return self.clients[client].interests.index(candidate.template.theme)

    def client_minutes(self, client: int, candidate: Candidate) -> int:
        """One-way travel of a client to a candidate (0 for remote)."""
        if candidate.hub is None or (candidate.home >> client & 1 and not candidate.present >> client & 1):
            return 0
        return self.travel.client(self.clients[client], candidate.hub)

    def leader_hub(self, leader: int, candidate: Candidate) -> str:
        """Where a leader is for a session: its hub, or their base hub when remote."""
        return candidate.hub or self.staff[leader].base_hub


@dataclass(frozen=True)
class Limits:
    """How far candidate generation prunes: leader reach and how many options to keep."""

    leader_reach: int | None = 75
    leaders_per_group: int = 10
    options_per_client: int = 20

    @classmethod
    def of(cls, problem: Problem, params: SolveParams) -> Limits:
        """The limits a solve with these parameters builds its candidates with."""
        return cls(
            leader_reach=problem.policy.leader_reach_minutes,
            leaders_per_group=params.leaders_per_group,
            options_per_client=params.options_per_client,
        )

    @classmethod
    def unpruned(cls, leader_reach: int | None) -> Limits:
        """Every eligible leader for every candidate and every option for every client: only the
        county's leader reach (a rule, not a pruning) and dominated starts stay."""
        return cls(leader_reach=leader_reach, leaders_per_group=1 << 30, options_per_client=1 << 30)


def build_instance(problem: Problem, limits: Limits | None = None, *, new_groups: bool = True) -> Instance:
    """Index the problem and generate its candidates, input groups first.

    With `new_groups` False only the input groups' candidates are made: enough to explain
    why a client is unplaced and to place pop-ups (`solver.split.merge`), at little cost.
    """
    limits = limits or Limits()
    held = held_dates(problem) if any(c.decisions for c in problem.clients) else {}
    days = {i: decision_days(problem, c, held) for i, c in enumerate(problem.clients)}
    clients = [restricted(c, days[i]) for i, c in enumerate(problem.clients)]  # decision_in_force
    inst = Instance(problem, TravelTimes(problem), clients, list(problem.staff))
    inst.decisions = {i: limit for i, limit in days.items() if limit is not None}
    inst.held = held
    inst.client_index = {c.id: i for i, c in enumerate(inst.clients)}
    inst.staff_index = {s.id: i for i, s in enumerate(inst.staff)}
    gen = _Generator(inst, limits)
    inst.candidates = [gen.for_group(group) for group in problem.groups]
    if not new_groups:
        return inst
    taken = {(c.template.id, c.language, c.rooms, c.day, c.start) for c in inst.candidates}
    inst.candidates += [c for c in gen.generate() if (c.template.id, c.language, c.rooms, c.day, c.start) not in taken]
    return inst


def trim_options(inst: Instance, keep: int, chosen: dict[int, list[int]]) -> list[int]:
    """Indices of the candidates CP-SAT decides on, each client keeping only `keep` options.

    A client keeps their best options (theme rank, then travel) and whatever `chosen`
    (the warm start: candidate -> clients) gives them; a candidate left with too few
    clients goes, unless it is chosen or an input group.
    """
    options: dict[int, list[tuple[int, int, int]]] = {}
    for g, cand in enumerate(inst.candidates):
        for c in inst.members(cand.clients):
            options.setdefault(c, []).append((inst.rank(c, cand), inst.client_minutes(c, cand), g))
    placed = {(c, g) for g, members in chosen.items() for c in members}
    dropped: dict[int, int] = {}
    for c, mine in options.items():
        for _, _, g in sorted(mine)[keep:]:
            if (c, g) not in placed:
                dropped[g] = dropped.get(g, 0) | (1 << c)
    kept = []
    for g, cand in enumerate(inst.candidates):
        cand.clients &= ~dropped.get(g, 0)
        enough = popcount(cand.clients) >= max(SMALLEST_GROUP, cand.template.min_size)  # group_not_too_small
        if g in chosen or cand.group is not None or enough:
            kept.append(g)
    return kept


class _Generator:
    """Builds candidates with bit masks of who could attend."""

    def __init__(self, inst: Instance, limits: Limits) -> None:
        self.inst = inst
        self.problem = inst.problem
        self.limits = limits
        self.client_avail = Availability([c.available for c in inst.clients])
        self.staff_avail = Availability([s.available for s in inst.staff])
        self.slot = self.problem.slot_minutes
        # accessibility: who may meet in a room that is not accessible
        self.step_free = self._bits(i for i, c in enumerate(inst.clients) if not c.needs_accessible)
        self.remote_ok = self._bits(i for i, c in enumerate(inst.clients) if c.remote_ok)
        # max_groups_per_week: a client whose pinned groups already fill their week can join no other group
        seated = Counter(p for g in self.problem.groups if g.pinned for p in g.participants)
        self.open_to_more = self._bits(i for i, c in enumerate(inst.clients) if seated[c.id] < c.max_groups_per_week)
        self._order: dict[str | None, list[int]] = {}

    @staticmethod
    def _bits(indices: Iterable[int]) -> int:
        mask = 0
        for i in indices:
            mask |= 1 << i
        return mask

    def template_clients(self, template: Template, language: str) -> int:
        """Clients who want the theme, belong to the audience, speak the language and can
        take part remotely if the group is remote, and whose week the pinned groups have not filled."""
        return self.open_to_more & self._bits(
            i
            for i, c in enumerate(self.inst.clients)
            if template.theme in c.interests  # interest
            and (template.audience == "all" or template.audience in c.audiences)  # audience
            and language in c.languages  # language
            and (template.modality != "remote" or c.remote_ok)  # remote (hybrid: present or from home)
        )

    def _declined(self, group: str) -> int:
        """Clients who declined the group when it was offered to them."""
        return self._bits(i for i, c in enumerate(self.inst.clients) if any(d.group == group for d in c.declined))

    def hub_clients(self, hub: str) -> int:
        """Clients who reach the hub within their travel time (`travel`)."""
        travel = self.inst.travel
        return self._bits(i for i, c in enumerate(self.inst.clients) if travel.client(c, hub) <= c.max_travel_minutes)

    def leaders(self, language: str, hub: str | None) -> int:
        """Staff who speak the language (`leader_speaks_language`) and live within the county's reach
        (`leader_within_reach`; a pinned group keeps its own leaders)."""
        reach, travel = self.limits.leader_reach, self.inst.travel
        return self._bits(
            i
            for i, s in enumerate(self.inst.staff)
            if language in s.languages and (hub is None or reach is None or travel.hub(s.base_hub, hub) <= reach)
        )

    def team(self, template: Template, leaders: int, hub: str | None) -> int:
        """The nearest leaders, enough for a team with a qualified member (`one_qualified_leader`; a peer
        instructor is never qualified, so they lead only beside one: `peer_beside_professional`)
        and every skill (`skills_covered`); 0 if none."""
        staff = self.inst.staff
        members = [s for s in self._nearest(hub) if leaders >> s & 1]
        need = set(template.required_skills)
        for q in (m for m in members if staff[m].qualified):
            rest = need - set(staff[q].skills)
            partner = next((o for o in members if rest <= set(staff[o].skills)), None) if rest else q
            if partner is not None:
                return self._bits({*members[: self.limits.leaders_per_group], q, partner})
        return 0

    def _nearest(self, hub: str | None) -> list[int]:
        """All staff, nearest base hub first (for remote groups, in list order)."""
        if hub not in self._order:
            self._order[hub] = sorted(range(len(self.inst.staff)), key=lambda s: (self._base_minutes(s, hub), s))
        return self._order[hub]

    def _base_minutes(self, s: int, hub: str | None) -> int:
        """Minutes by car from the staff member's base hub to the hub (0 for a remote group)."""
        return 0 if hub is None else self.inst.travel.hub(self.inst.staff[s].base_hub, hub)

    def generate(self) -> Iterator[Candidate]:
        hub_clients = {hub.id: self.hub_clients(hub.id) for hub in self.problem.hubs}
        for template in sorted(self.problem.templates, key=lambda t: t.id):
            if template.popup:  # popup_has_no_roster: placed after the main solve (solver.popups)
                continue
            for language in template.languages:  # template_offers_language
                wanted = self.template_clients(template, language)
                if popcount(wanted) < template.min_size:
                    continue
                if template.modality == "remote":
                    yield from self._remote(template, language, wanted)
                    continue
                home = wanted & self.remote_ok if template.modality == "hybrid" else 0
                for hub in self.problem.hubs:
                    near = wanted & hub_clients[hub.id]
                    if popcount(near | home) >= template.min_size:
                        yield from self._hub(template, language, hub, near, home)

    def _hub(self, template: Template, language: str, hub: Hub, near: int, home: int = 0) -> Iterator[Candidate]:
        leaders = self.leaders(language, hub.id)
        booked = {g.room for g in self.problem.groups}
        for rooms in _room_types(hub, booked):
            room = rooms[0]
            if home:  # hybrid: the room holds those present and the leaders, the group counts everyone
                capacity = min(LARGEST_GROUP, template.max_size)
            else:
                capacity = min(LARGEST_GROUP, template.max_size, room.capacity - MIN_LEADERS)
            if capacity < max(SMALLEST_GROUP, template.min_size):
                continue
            present = near if room.accessible else near & self.step_free  # accessibility
            clients = present | home
            ids = tuple(r.id for r in rooms)
            for day, windows in _by_day(room.available).items():  # room_available, day_has_window
                starts = [(s, s + template.duration_minutes) for w in windows for s in self._grid(w, template)]
                term = own_term(self.problem, template, day)
                for start, end, cl, ld in self._non_dominated(template, day, starts, clients, leaders, hub.id):
                    key = _key(template, f"{ids[0]}{'+' if len(ids) > 1 else ''}", language, day, start)
                    cand = Candidate(
                        key, template, language, hub.id, ids, room.capacity, capacity, day, start, end, cl, ld
                    )
                    cand.start_date, cand.sessions = term
                    cand.home, cand.present = home, present if home else 0
                    yield cand

    def _remote(self, template: Template, language: str, clients: int) -> Iterator[Candidate]:
        leaders = self.leaders(language, None)
        windows = [w for i in self.inst.members(leaders) for w in self.inst.staff[i].available]  # day_has_window
        capacity = min(LARGEST_GROUP, template.max_size)
        for day, day_windows in _by_day(windows).items():
            starts = sorted({(s, s + template.duration_minutes) for w in day_windows for s in self._grid(w, template)})
            for start, end, cl, ld in self._non_dominated(template, day, starts, clients, leaders, None):
                key = _key(template, "remote", language, day, start)
                cand = Candidate(key, template, language, None, (), 0, capacity, day, start, end, cl, ld)
                cand.start_date, cand.sessions = own_term(self.problem, template, day)
                yield cand

    def _grid(self, window: Window, template: Template) -> range:
        """Starts on the slot grid (`start_on_grid`) of sessions of the template's length
        (`template_duration`) within the window."""
        first = -(-minutes(window.start) // self.slot) * self.slot
        return range(first, minutes(window.end) - template.duration_minutes + 1, self.slot)

    def _non_dominated(
        self, template: Template, day: str, starts: list[tuple[int, int]], clients: int, leaders: int, hub: str | None
    ) -> list[Option]:
        """Starts not overlapped by a kept start that serves everyone they could serve.

        Keeping non-overlapping repeats of the best starts lets a room, a leader or a
        client still take two sessions in a row on the same day.
        """
        options = []
        clients &= self.term_clients(day, *own_term(self.problem, template, day))
        for start, end in starts:
            cl = clients & self.client_avail.covering(day, start, end)  # availability
            if popcount(cl) < template.min_size:
                continue
            free = self.staff_avail.covering(day, start, end, end - start, self.inst.staff)  # leader_available
            ld = self.team(template, leaders & free, hub)
            if ld:
                options.append((start, end, cl, ld))
        options.sort(key=lambda o: (-popcount(o[2]), -popcount(o[3]), o[0]))
        kept: list[Option] = []
        for start, end, cl, ld in options:
            if not any(s < end and start < e and cl | c == c and ld | d == d for s, e, c, d in kept):
                kept.append((start, end, cl, ld))
        return sorted(kept)

    def term_clients(self, day: str, start_date: date | None, sessions: int | None) -> int:
        """Everyone but the clients with decisions none of which is in force on a session of a group with its
        own term (`decision_in_force`); every client when the group runs the whole season."""
        if (start_date is None and sessions is None) or not self.inst.decisions:
            return -1
        first, last = group_dates(self.problem, day, start_date, sessions)
        dates = term_held(self.inst.held, day, first, last)
        return ~self._bits(c for c, limit in self.inst.decisions.items() if not limit.in_force(dates))

    def for_group(self, group: Group) -> Candidate:
        """The candidate of an input group, with everyone who could join it."""
        template = next(t for t in self.problem.templates if t.id == group.template)
        start, end = minutes(group.start), minutes(group.end)
        capacity, room_capacity = min(LARGEST_GROUP, template.max_size), 0
        wanted = self.template_clients(template, group.language) & self.client_avail.covering(group.day, start, end)
        clients, home, present = wanted, 0, 0
        if group.hub is not None:
            hub = next(h for h in self.problem.hubs if h.id == group.hub)
            room = next(r for r in hub.rooms if r.id == group.room)
            room_capacity = room.capacity
            clients = wanted & self.hub_clients(hub.id) & (-1 if room.accessible else self.step_free)
            if template.modality == "hybrid":
                home, present = self.remote_ok | self._bits(self._listed_remote(group)), clients
                clients |= wanted & home
            else:
                capacity = min(capacity, room.capacity - MIN_LEADERS)
        clients &= ~self._declined(group.id)  # declined_not_offered
        clients &= self.term_clients(group.day, group.start_date, group.sessions)  # decision_in_force
        participants = self._bits(self.inst.client_index[p] for p in group.participants)
        if template.popup:  # popup_has_no_roster
            clients = participants = 0
        elif closed_to_joiners(self.problem, group, template):  # closed: only those it has
            for c in self.inst.members(clients & ~participants):
                self.inst.closed_out.setdefault(c, []).append(group.id)
            clients = 0
        clients |= participants
        if group.pinned:
            leaders = self._bits(self.inst.staff_index[s] for s in group.leaders)
        else:
            free = self.staff_avail.covering(group.day, start, end, end - start, self.inst.staff)
            leaders = self.team(template, self.leaders(group.language, group.hub) & free, group.hub)
        rooms = (group.room,) if group.room else ()
        return Candidate(
            group.id,
            template,
            group.language,
            group.hub,
            rooms,
            room_capacity,
            max(capacity, len(group.participants)),
            group.day,
            start,
            end,
            clients,
            leaders,
            group,
            group.start_date,
            group.sessions,
            home,
            present,
        )

    def _listed_remote(self, group: Group) -> list[int]:
        """The participants a hybrid input group lists as joining from home."""
        return [self.inst.client_index[p] for p in group.remote_participants if p in self.inst.client_index]


def _room_types(hub: Hub, booked: set[str | None]) -> list[list[Room]]:
    """Rooms alike in capacity, access and hours; a room an input group uses stands alone."""
    types: dict[object, list[Room]] = {}
    for room in hub.rooms:
        hours = tuple(sorted((w.day, w.start, w.end) for w in room.available))
        key = room.id if room.id in booked else (room.capacity, room.accessible, hours)
        types.setdefault(key, []).append(room)
    return list(types.values())


def _key(template: Template, place: str, language: str, day: str, start: int) -> str:
    """A readable candidate id: model@place/language/day/HHMM."""
    return f"{template.id}@{place}/{language}/{day}/{hhmm(start).replace(':', '')}"


def _by_day(windows: list[Window]) -> dict[str, list[Window]]:
    days: dict[str, list[Window]] = {}
    for w in windows:
        days.setdefault(w.day, []).append(w)
    return days
