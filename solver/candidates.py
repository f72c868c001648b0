"""Candidate groups: every template × language × room (or remote) × day × start worth deciding on.

A candidate is kept only if at least `min_size` clients and a qualified leader team
could attend it. Among the starts of one template, language, room and day, a start
whose attendable clients and leaders are a subset of another start's is dominated
and dropped: the other start serves everyone it could. Sets of people are Python
integers used as bit masks over the client and staff lists, which keeps this fast
at thousands of clients.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from scheduler.domain import Client, Group, Problem, Staff, Template, Window, minutes

from .availability import Availability
from .travel import TravelTimes

__all__ = ["Candidate", "Instance", "build_instance"]


@dataclass
class Candidate:
    """A group that could open: what, in which language, where and when."""

    key: str
    template: Template
    language: str
    hub: str | None
    room: str | None
    capacity: int
    day: str
    start: int
    end: int
    clients: int
    leaders: int
    group: Group | None = None

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
        if candidate.hub is None:
            return 0
        return self.travel.client(self.clients[client], candidate.hub)

    def leader_hub(self, leader: int, candidate: Candidate) -> str:
        """Where a leader is for a session: its hub, or their base hub when remote."""
        return candidate.hub or self.staff[leader].base_hub


def build_instance(problem: Problem, leader_reach: int | None) -> Instance:
    """Index the problem and generate its non-dominated candidates and its input groups."""
    inst = Instance(problem, TravelTimes(problem), list(problem.clients), list(problem.staff))
    inst.client_index = {c.id: i for i, c in enumerate(inst.clients)}
    inst.staff_index = {s.id: i for i, s in enumerate(inst.staff)}
    gen = _Generator(inst, leader_reach)
    taken: set[tuple[str, str, str | None, str, int]] = set()
    for group in problem.groups:
        cand = gen.for_group(group)
        inst.candidates.append(cand)
        taken.add((cand.template.id, cand.language, cand.room, cand.day, cand.start))
    for cand in gen.generate():
        if (cand.template.id, cand.language, cand.room, cand.day, cand.start) not in taken:
            inst.candidates.append(cand)
    return inst


class _Generator:
    """Builds candidates with bit masks of who could attend."""

    def __init__(self, inst: Instance, leader_reach: int | None) -> None:
        self.inst = inst
        self.problem = inst.problem
        self.reach = leader_reach
        self.client_avail = Availability([c.available for c in inst.clients])
        self.staff_avail = Availability([s.available for s in inst.staff])
        self.slot = self.problem.slot_minutes

    def _bits(self, indices: Iterator[int] | list[int]) -> int:
        mask = 0
        for i in indices:
            mask |= 1 << i
        return mask

    def template_clients(self, template: Template, language: str) -> int:
        """Clients who want the theme, belong to the audience and speak the language."""
        return self._bits(
            i
            for i, c in enumerate(self.inst.clients)
            if template.theme in c.interests
            and (template.audience == "all" or template.audience in c.audiences)
            and language in c.languages
            and (template.modality == "in_person" or c.remote_ok)
        )

    def hub_clients(self, hub: str) -> int:
        travel = self.inst.travel
        return self._bits(
            i
            for i, c in enumerate(self.inst.clients)
            if travel.client(c, hub) <= c.max_travel_minutes
        )

    def leaders(self, language: str, hub: str | None) -> int:
        travel = self.inst.travel
        return self._bits(
            i
            for i, s in enumerate(self.inst.staff)
            if language in s.languages
            and (hub is None or self.reach is None or travel.hub(s.base_hub, hub) <= self.reach)
        )

    def team_possible(self, template: Template, leaders: int) -> bool:
        """Some team of one or two of these leaders has a qualified member and every skill."""
        need = set(template.required_skills)
        staff = self.inst.staff
        members = list(self.inst.members(leaders))
        for q in members:
            if not staff[q].qualified:
                continue
            rest = need - set(staff[q].skills)
            if not rest or any(o != q and rest <= set(staff[o].skills) for o in members):
                return True
        return False

    def generate(self) -> Iterator[Candidate]:
        hub_clients = {hub.id: self.hub_clients(hub.id) for hub in self.problem.hubs}
        accessible_ok = self._bits(i for i, c in enumerate(self.inst.clients) if not c.needs_accessible)
        for template in sorted(self.problem.templates, key=lambda t: t.id):
            for language in template.languages:
                wanted = self.template_clients(template, language)
                if bin(wanted).count("1") < template.min_size:
                    continue
                if template.modality == "remote":
                    yield from self._remote(template, language, wanted)
                    continue
                for hub in self.problem.hubs:
                    near = wanted & hub_clients[hub.id]
                    if bin(near).count("1") < template.min_size:
                        continue
                    leaders = self.leaders(language, hub.id)
                    for room in hub.rooms:
                        fits = near if room.accessible else near & accessible_ok
                        yield from self._room(template, language, hub.id, room, fits, leaders)

    def _room(self, template: Template, language: str, hub: str, room, clients: int, leaders: int) -> Iterator[Candidate]:  # type: ignore[no-untyped-def]
        capacity = min(10, template.max_size, room.capacity - 1)
        if capacity < max(3, template.min_size):
            return
        for day, windows in _by_day(room.available).items():
            starts = [(s, s + template.duration_minutes) for w in windows for s in self._grid(w, template)]
            kept = self._non_dominated(template, day, starts, clients, leaders)
            for start, end, cl, ld in kept:
                key = f"{template.id}@{room.id}/{language}/{day}/{start // 60:02d}{start % 60:02d}"
                yield Candidate(key, template, language, hub, room.id, capacity, day, start, end, cl, ld)

    def _remote(self, template: Template, language: str, clients: int) -> Iterator[Candidate]:
        leaders = self.leaders(language, None)
        windows = [w for i in self.inst.members(leaders) for w in self.inst.staff[i].available]
        capacity = min(10, template.max_size)
        for day, day_windows in _by_day(windows).items():
            starts = sorted({(s, s + template.duration_minutes) for w in day_windows for s in self._grid(w, template)})
            kept = self._non_dominated(template, day, starts, clients, leaders)
            for start, end, cl, ld in kept:
                key = f"{template.id}@remote/{language}/{day}/{start // 60:02d}{start % 60:02d}"
                yield Candidate(key, template, language, None, None, capacity, day, start, end, cl, ld)

    def _grid(self, window: Window, template: Template) -> range:
        first = -(-minutes(window.start) // self.slot) * self.slot
        return range(first, minutes(window.end) - template.duration_minutes + 1, self.slot)

    def _non_dominated(
        self, template: Template, day: str, starts: list[tuple[int, int]], clients: int, leaders: int
    ) -> list[tuple[int, int, int, int]]:
        """Starts not overlapped by a kept start that serves everyone they could serve.

        Keeping non-overlapping repeats of the best starts lets a room, a leader or a
        client still take two sessions in a row on the same day.
        """
        options = []
        for start, end in starts:
            cl = clients & self.client_avail.covering(day, start, end)
            if bin(cl).count("1") < template.min_size:
                continue
            ld = leaders & self.staff_avail.covering(day, start, end, template.duration_minutes, self.inst.staff)
            if self.team_possible(template, ld):
                options.append((start, end, cl, ld))
        options.sort(key=lambda o: (-bin(o[2]).count("1"), -bin(o[3]).count("1"), o[0]))
        kept: list[tuple[int, int, int, int]] = []
        for start, end, cl, ld in options:
            if not any(s < end and start < e and cl | c == c and ld | d == d for s, e, c, d in kept):
                kept.append((start, end, cl, ld))
        return sorted(kept)

    def for_group(self, group: Group) -> Candidate:
        """The candidate of an input group, with everyone who could join it."""
        template = next(t for t in self.problem.templates if t.id == group.template)
        start, end = minutes(group.start), minutes(group.end)
        room = None
        capacity = min(10, template.max_size)
        clients = self.template_clients(template, group.language) & self.client_avail.covering(group.day, start, end)
        if group.hub is not None:
            hub = next(h for h in self.problem.hubs if h.id == group.hub)
            room = next(r for r in hub.rooms if r.id == group.room)
            capacity = min(capacity, room.capacity - max(1, len(group.leaders)))
            clients &= self.hub_clients(hub.id)
            if not room.accessible:
                clients &= self._bits(i for i, c in enumerate(self.inst.clients) if not c.needs_accessible)
        clients |= self._bits(self.inst.client_index[p] for p in group.participants)
        leaders = self._bits(self.inst.staff_index[s] for s in group.leaders) if group.pinned else (
            self.leaders(group.language, group.hub) & self.staff_avail.covering(group.day, start, end, end - start, self.inst.staff)
        )
        return Candidate(f"{group.id}", template, group.language, group.hub, group.room,
                         max(capacity, len(group.participants)), group.day, start, end, clients, leaders, group)


def _by_day(windows: list[Window]) -> dict[str, list[Window]]:
    days: dict[str, list[Window]] = {}
    for w in windows:
        days.setdefault(w.day, []).append(w)
    return days
