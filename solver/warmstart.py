"""A greedy construction used as CP-SAT's solution hint.

Open the candidate that can seat the most still-waiting clients (longest-waiting and
first-choice theme first) where a room and a leader team are free, seat them, and
repeat. It respects every hard rule, so CP-SAT starts from a complete valid plan and
spends its time improving it. It walks the candidates, so who may join holds as they
were filtered (`closed`, no roster for a pop-up: `popup_has_no_roster`); a hybrid
group's room counts only those who must come to it (`_coming`, `room_fits_everyone`).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field

from scheduler.contract.rules import MAX_LEADERS, ONE_LEADER_UP_TO, SMALLEST_GROUP
from solver.candidates import Candidate, Instance
from solver.objective import seat_value, shape_value

__all__ = ["Hint", "Pool", "greedy_hint"]

REPAIR_ROUNDS = 3


class Pool:
    """Candidates with their possible members and leaders listed (what the greedy walks)."""

    def __init__(self, inst: Instance, candidates: list[int]) -> None:
        self.inst = inst
        self.candidates = candidates
        self.members = {g: list(inst.members(inst.candidates[g].clients)) for g in candidates}
        self.leaders = {g: list(inst.members(inst.candidates[g].leaders)) for g in candidates}
        self._by_value: dict[int, list[int]] = {}
        self.policy = inst.problem.policy.weights()

    def by_value(self, g: int, value: dict[tuple[int, int], int]) -> list[int]:
        """The possible members of g worth seating, best first."""
        if g not in self._by_value:
            worth = [c for c in self.members[g] if value[c, g] > 0]
            self._by_value[g] = sorted(worth, key=lambda c: (-value[c, g], c))
        return self._by_value[g]

    def cand(self, g: int) -> Candidate:
        return self.inst.candidates[g]


@dataclass
class Hint:
    """The greedy plan: open groups, their participants and leaders."""

    members: dict[int, list[int]] = field(default_factory=dict)
    leaders: dict[int, list[int]] = field(default_factory=dict)


@dataclass
class _Busy:
    """What is already taken: room times, leader sessions and minutes, client groups."""

    rooms: dict[tuple[tuple[str, ...], str], list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    leaders: dict[tuple[int, str], list[tuple[int, int, str]]] = field(default_factory=lambda: defaultdict(list))
    minutes: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    client_groups: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    full: int = 0

    def seat(self, v: Pool, c: int, g: int) -> None:
        """Record that client c joins group g."""
        self.client_groups[c].append(g)
        if len(self.client_groups[c]) >= v.inst.clients[c].max_groups_per_week:
            self.full |= 1 << c


def greedy_hint(inst: Instance, candidates: list[int]) -> Hint:
    """A valid plan built greedily from these candidates."""
    v = Pool(inst, candidates)
    value = {(c, g): seat_value(inst, c, v.cand(g)) for g in candidates for c in v.members[g]}
    hint, busy = Hint(), _Busy()
    for g in v.candidates:
        if v.cand(g).pinned:
            _open_pinned(v, g, hint, busy)
    for g in list(hint.members):
        _fill(v, g, hint, value, busy)
    heap = [(-_score(v, g, value, busy)[0], g) for g in v.candidates if not v.cand(g).pinned]
    heapq.heapify(heap)
    while heap:
        _, g = heapq.heappop(heap)
        score, seats = _score(v, g, value, busy)
        if score <= 0:
            continue
        if heap and score < -heap[0][0]:
            heapq.heappush(heap, (-score, g))
            continue
        team = _team(v, g, len(seats), busy)
        if team is None:
            continue
        seats = _fit(v.cand(g), seats, len(team))
        if len(seats) >= max(SMALLEST_GROUP, v.cand(g).template.min_size):
            _take(v, g, seats, team, hint, busy)
    for _ in range(REPAIR_ROUNDS):
        for g in sorted(hint.members, key=lambda g: (len(hint.members[g]), g)):
            _fill(v, g, hint, value, busy)
        if not _repair(v, hint, value, busy):
            break
    if v.policy.second_leader > 0:
        _second_leaders(v, hint, busy)
    return hint


def _second_leaders(v: Pool, hint: Hint, busy: _Busy) -> None:
    """Give each new group led alone a second leader where one is free (the policy values it)."""
    for g in sorted(hint.members, key=lambda g: (-len(hint.members[g]), g)):
        cand, team = v.cand(g), hint.leaders[g]
        crowded = cand.rooms and cand.room_capacity - MAX_LEADERS < _coming(cand, hint.members[g])
        if len(team) != 1 or cand.pinned or crowded:
            continue
        free = [s for s in v.leaders[g] if s != team[0] and _leader_free(v, s, cand, busy)]
        if free:
            second = min(
                free, key=lambda s: (v.inst.travel.hub(v.inst.staff[s].base_hub, v.inst.leader_hub(s, cand)), s)
            )
            team.append(second)
            _book_leader(v, second, cand, busy)


def _repair(v: Pool, hint: Hint, value: dict[tuple[int, int], int], busy: _Busy) -> bool:
    """Place clients the greedy left out by opening one of their groups, borrowing members
    from groups that stay at or above their minimum size."""
    options: dict[int, list[int]] = defaultdict(list)
    for g in v.candidates:
        for c in v.members[g]:
            options[c].append(g)
    waiting = [c for c in options if not busy.client_groups[c]]
    waiting.sort(key=lambda c: (-max(value[c, g] for g in options[c]), c))
    opened = 0
    for c in waiting:
        for g in sorted(options[c], key=lambda g: (-value[c, g], g)):
            if not busy.client_groups[c] and g not in hint.members and _open_with(v, g, c, hint, value, busy):
                opened += 1
                break
    return opened > 0


def _open_with(v: Pool, g: int, c: int, hint: Hint, value: dict[tuple[int, int], int], busy: _Busy) -> bool:
    """Open g around client c if enough members can be found or borrowed; True if it opened."""
    cand = v.cand(g)
    need = max(SMALLEST_GROUP, cand.template.min_size)
    seats = _seats(v, g, value, busy)
    if c not in seats:
        return False
    spare = {h: len(members) - max(SMALLEST_GROUP, v.cand(h).template.min_size) for h, members in hint.members.items()}
    moved: list[tuple[int, int]] = []
    for x in v.by_value(g, value):
        if len(seats) + len(moved) >= need:
            break
        taken = busy.client_groups[x]
        if len(taken) == 1 and not v.cand(taken[0]).pinned and spare[taken[0]] > 0 and x not in seats:
            spare[taken[0]] -= 1
            moved.append((x, taken[0]))
    team = _team(v, g, len(seats) + len(moved), busy)
    if team is None:
        return False
    joining = _fit(cand, seats, len(team))
    if cand.home:
        fits = set(_fit(cand, joining + [x for x, _ in moved], len(team)))
        moved = [(x, h) for x, h in moved if x in fits]
    else:
        limit = cand.capacity if len(team) > 1 else ONE_LEADER_UP_TO
        if cand.rooms:
            limit = min(limit, cand.room_capacity - len(team))
        moved = moved[: max(0, limit - len(joining))]
    if len(joining) + len(moved) < need:
        return False
    gained = sum(value[x, g] for x in joining) + shape_value(v.policy, len(joining) + len(moved), need, len(team))
    if gained <= 0:  # the policy would rather not open it for these few
        return False
    for x, h in moved:
        hint.members[h].remove(x)
        busy.client_groups[x].remove(h)
        busy.full &= ~(1 << x)
    _take(v, g, joining + [x for x, _ in moved], team, hint, busy)
    return True


def _score(v: Pool, g: int, value: dict[tuple[int, int], int], busy: _Busy) -> tuple[int, list[int]]:
    """What opening g now is worth, and whom it would seat (0 if it could not open): the seats
    and the policy's shape of a group of that size."""
    seats = _seats(v, g, value, busy)
    smallest = max(SMALLEST_GROUP, v.cand(g).template.min_size)
    if len(seats) < smallest:
        return 0, seats
    return sum(value[c, g] for c in seats) + shape_value(v.policy, len(seats), smallest, 1), seats


def _open_pinned(v: Pool, g: int, hint: Hint, busy: _Busy) -> None:
    cand = v.cand(g)
    assert cand.group is not None
    seats = [v.inst.client_index[p] for p in cand.group.participants]
    team = [v.inst.staff_index[s] for s in cand.group.leaders]
    _take(v, g, seats, team, hint, busy)


def _fill(v: Pool, g: int, hint: Hint, value: dict[tuple[int, int], int], busy: _Busy) -> None:
    """Seat more waiting clients in an open group, adding a second leader from the fifth on."""
    cand, members, team = v.cand(g), hint.members[g], hint.leaders[g]
    waiting = [c for c in v.members[g] if c not in members and value[c, g] > 0 and _client_free(v, c, cand, busy)]
    if not waiting:
        return
    waiting.sort(key=lambda c: (-value[c, g], c))
    roomy = not cand.rooms or cand.room_capacity - MAX_LEADERS > _coming(cand, members)
    if len(team) == 1 and len(members) + len(waiting) > ONE_LEADER_UP_TO and not cand.pinned and roomy:
        second = next((s for s in v.leaders[g] if s != team[0] and _leader_free(v, s, cand, busy)), None)
        if second is not None:
            team.append(second)
            _book_leader(v, second, cand, busy)
    limit = cand.capacity if len(team) > 1 else min(cand.capacity, ONE_LEADER_UP_TO)
    if cand.home:
        room = cand.room_capacity - len(team) - _coming(cand, members)
        for c in waiting:
            if len(members) >= limit:
                break
            if cand.home >> c & 1 or room > 0:
                room -= not cand.home >> c & 1
                members.append(c)
                busy.seat(v, c, g)
        return
    if cand.rooms:
        limit = min(limit, cand.room_capacity - len(team))
    for c in waiting[: max(0, limit - len(members))]:
        members.append(c)
        busy.seat(v, c, g)


def _coming(cand: Candidate, members: list[int]) -> int:
    """How many of these members take a place in the room (a hybrid group's home joiners do not)."""
    return sum(not cand.home >> c & 1 for c in members) if cand.home else len(members)


def _fit(cand: Candidate, seats: list[int], leaders: int) -> list[int]:
    """The seats, best first, that a group with this many leaders takes: its size limit (four for
    one leader) and the room's places besides the leaders (a hybrid room: those who must come)."""
    limit = cand.capacity if leaders > 1 else ONE_LEADER_UP_TO
    if cand.home:
        room, kept = cand.room_capacity - leaders, list[int]()
        for c in seats:
            if len(kept) >= limit:
                break
            if cand.home >> c & 1 or room > 0:
                room -= not cand.home >> c & 1
                kept.append(c)
        return kept
    if cand.rooms:
        limit = min(limit, cand.room_capacity - leaders)
    return seats[:limit]


def _seats(v: Pool, g: int, value: dict[tuple[int, int], int], busy: _Busy) -> list[int]:
    cand = v.cand(g)
    if cand.rooms:
        booked = busy.rooms[cand.rooms, cand.day]
        points = [start for start, _ in booked] + [cand.start]
        for point in points:
            if cand.start <= point < cand.end:
                if 1 + sum(start <= point < end for start, end in booked) > len(cand.rooms):
                    return []
    free = []
    for c in v.by_value(g, value):
        if busy.full >> c & 1 or not _client_free(v, c, cand, busy):
            continue
        free.append(c)
        if len(free) == cand.capacity:
            break
    return free


def _client_free(v: Pool, c: int, cand: Candidate, busy: _Busy) -> bool:
    taken = busy.client_groups[c]
    if len(taken) >= v.inst.clients[c].max_groups_per_week:
        return False
    return all(v.cand(h).day != cand.day or v.cand(h).end <= cand.start or cand.end <= v.cand(h).start for h in taken)


def _team(v: Pool, g: int, seats: int, busy: _Busy) -> list[int] | None:
    """A qualified leader covering what skills they can, and a second one when needed."""
    cand = v.cand(g)
    free = [s for s in v.leaders[g] if _leader_free(v, s, cand, busy)]
    need = set(cand.template.required_skills)
    free.sort(key=lambda s: (v.inst.travel.hub(v.inst.staff[s].base_hub, v.inst.leader_hub(s, cand)), s))
    for q in (s for s in free if v.inst.staff[s].qualified):
        rest = need - set(v.inst.staff[q].skills)
        if not rest and seats <= ONE_LEADER_UP_TO:
            return [q]
        others = [o for o in free if o != q and rest <= set(v.inst.staff[o].skills)]
        if others:
            return [q, others[0]]
        if not rest:
            return [q]
    return None


def _leader_free(v: Pool, s: int, cand: Candidate, busy: _Busy) -> bool:
    if busy.minutes[s] + cand.minutes > v.inst.staff[s].max_weekly_minutes:
        return False
    here = v.inst.leader_hub(s, cand)
    for start, end, hub in busy.leaders[s, cand.day]:
        before = v.inst.travel.hub(hub, here)
        after = v.inst.travel.hub(here, hub)
        if not (end + before <= cand.start or cand.end + after <= start):
            return False
    return True


def _take(v: Pool, g: int, seats: list[int], team: list[int], hint: Hint, busy: _Busy) -> None:
    cand = v.cand(g)
    hint.members[g] = list(seats)
    hint.leaders[g] = list(team)
    if cand.rooms:
        busy.rooms[cand.rooms, cand.day].append((cand.start, cand.end))
    for s in team:
        _book_leader(v, s, cand, busy)
    for c in seats:
        busy.seat(v, c, g)


def _book_leader(v: Pool, s: int, cand: Candidate, busy: _Busy) -> None:
    busy.leaders[s, cand.day].append((cand.start, cand.end, v.inst.leader_hub(s, cand)))
    busy.minutes[s] += cand.minutes
