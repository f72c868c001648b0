"""The peer's local search: late acceptance hill climbing over candidate groups and client seats.

Entities as in a plain Timefold model of the rules: every candidate group (template ×
language × room × day × start) has up to two leaders and is open when it has one; every
client sits in at most `max_groups_per_week` groups. The search starts from the greedy
baseline's plan and keeps every state valid under the hard rules, so the best state met
is always a plan the checker passes. Moves, chosen at random:

- change: one client to another open group they may join, or out;
- swap: two clients of different groups trade places;
- open: a closed candidate opens with a qualified leader team and the clients who may
  join it (waiting ones first, then ones from groups that can spare them);
- close: an open group closes and its clients go to other open groups where they fit;
- relocate: a whole group moves to another room, day or start of its model and language;
- leader: a leader is replaced, a second leader added or dropped.

A move is accepted when the score is no worse than the current one or than the score
`LATE` steps ago (Burke & Bykov's late acceptance); rejected moves are undone.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from benchmarks.greedy_baseline import greedy_plan
from scheduler.contract import Group, Plan, PlanMetrics, Problem, Reason, Unassigned, hhmm, plan_shape
from scheduler.contract.rules import LARGEST_GROUP, MAX_LEADERS, ONE_LEADER_UP_TO, SMALLEST_GROUP
from solver.candidates import Candidate, Instance, Limits, build_instance
from solver.objective import WAITING_CAP_DAYS, WEIGHTS

__all__ = ["Search", "peer_search"]

LATE = 400
PREFERRED_SIZE = ONE_LEADER_UP_TO + 1
START = "peer-start:"


@dataclass
class Slot:
    """One candidate group in one room (or remote)."""

    cand: Candidate
    room: str | None
    cap: int
    room_cap: int
    smallest: int
    leaders: list[int]
    leader_set: frozenset[int]
    clients: list[int]
    pinned: bool
    new: bool
    lead: list[int] = field(default_factory=list)
    members: set[int] = field(default_factory=set)

    @property
    def minutes(self) -> int:
        return self.cand.end - self.cand.start


class Search:
    """The state, its score (the solver's objective under the problem's policy) and the moves."""

    def __init__(self, problem: Problem, seed: int) -> None:
        self.problem = problem
        self.rng = random.Random(seed)
        self.start_plan = greedy_plan(problem)
        self.inst = _unpruned(problem, self.start_plan)
        inst = self.inst
        policy = problem.policy.weights()
        self.w_open, self.w_second = policy.group_opened, policy.second_leader
        self.w_small, self.w_fragile = policy.small_group, policy.fragile_group
        self.slots: list[Slot] = []
        for cand in inst.candidates:
            smallest = max(SMALLEST_GROUP, cand.template.min_size)
            leaders = list(inst.members(cand.leaders))
            if cand.group is not None:
                leaders += [inst.staff_index[s] for s in cand.group.leaders if inst.staff_index[s] not in leaders]
            for room in cand.rooms or (None,):
                room_cap = cand.room_capacity if room is not None else 10**6
                cap = min(LARGEST_GROUP, cand.template.max_size, room_cap - 1)
                if cand.group is not None:
                    cap = max(cap, len(cand.group.participants))
                self.slots.append(
                    Slot(
                        cand,
                        room,
                        cap,
                        room_cap,
                        smallest,
                        leaders,
                        frozenset(leaders),
                        list(inst.members(cand.clients)),
                        cand.pinned,
                        cand.group is None or cand.group.new or cand.group.id.startswith(START),
                    )
                )
        n = len(inst.clients)
        self.options: list[list[int]] = [[] for _ in range(n)]
        for g, slot in enumerate(self.slots):
            for c in slot.clients:
                self.options[c].append(g)
        self.option_set = [set(o) for o in self.options]
        self.value = [self._values(c) for c in range(n)]
        self.where: list[list[int]] = [[] for _ in range(n)]
        self.led: list[list[int]] = [[] for _ in inst.staff]
        self.booked: dict[str, list[int]] = {}
        self.by_model: dict[tuple[str, str], list[int]] = {}
        for g, slot in enumerate(self.slots):
            self.by_model.setdefault((slot.cand.template.id, slot.cand.language), []).append(g)
        self.fixed: set[int] = set()
        self.travel_cache: dict[tuple[int, int], int] = {}
        self.score = 0
        self.open: set[int] = set()
        self.log: list[Callable[[], None]] = []
        self._start()
        self.log.clear()

    # --- values ------------------------------------------------------------------

    def _values(self, c: int) -> dict[int, int]:
        inst, client = self.inst, self.inst.clients[c]
        waited = max(0, min(WAITING_CAP_DAYS, (self.problem.term.start - client.waits_from).days))
        return {
            g: WEIGHTS["placed"]
            + WEIGHTS["waiting"] * waited
            + WEIGHTS["theme_rank"] * inst.rank(c, self.slots[g].cand)
            + WEIGHTS["client_travel"] * inst.client_minutes(c, self.slots[g].cand)
            for g in self.options[c]
        }

    def client_score(self, c: int) -> int:
        mine = self.where[c]
        if not mine:
            return 0
        return max(self.value[c].get(g, 0) for g in mine) + WEIGHTS["second_group"] * (len(mine) - 1)

    def staff_minutes(self, s: int, g: int) -> int:
        """Car minutes base hub and back for a leader of the slot (0 remote)."""
        hub = self.slots[g].cand.hub
        if hub is None:
            return 0
        key = (s, g)
        if key not in self.travel_cache:
            self.travel_cache[key] = 2 * self.inst.travel.hub(self.inst.staff[s].base_hub, hub)
        return self.travel_cache[key]

    def group_score(self, g: int) -> int:
        slot = self.slots[g]
        if not slot.lead:
            return 0
        points = WEIGHTS["staff_travel"] * sum(self.staff_minutes(s, g) for s in slot.lead)
        if slot.pinned:
            return points
        size = len(slot.members)
        points -= self.w_open
        if len(slot.lead) == MAX_LEADERS:
            points += self.w_second
        if size < PREFERRED_SIZE and slot.smallest < PREFERRED_SIZE:
            points -= self.w_small
        if size <= slot.smallest:
            points -= self.w_fragile
        return points

    # --- primitive changes (logged for undo) --------------------------------------

    def _set_lead(self, g: int, lead: list[int]) -> None:
        slot = self.slots[g]
        old = list(slot.lead)
        self.score -= self.group_score(g)
        for s in old:
            self.led[s].remove(g)
        for s in lead:
            self.led[s].append(g)
        was_open = bool(old)
        slot.lead = list(lead)
        if slot.room is not None and was_open != bool(lead):
            rooms = self.booked.setdefault(slot.room, [])
            if lead:
                rooms.append(g)
            else:
                rooms.remove(g)
        if lead:
            self.open.add(g)
        else:
            self.open.discard(g)
        self.score += self.group_score(g)
        self.log.append(lambda: self._set_lead(g, old))

    def _join(self, c: int, g: int) -> None:
        self.score -= self.client_score(c) + self.group_score(g)
        self.where[c].append(g)
        self.slots[g].members.add(c)
        self.score += self.client_score(c) + self.group_score(g)
        self.log.append(lambda: self._leave(c, g))

    def _leave(self, c: int, g: int) -> None:
        self.score -= self.client_score(c) + self.group_score(g)
        self.where[c].remove(g)
        self.slots[g].members.discard(c)
        self.score += self.client_score(c) + self.group_score(g)
        self.log.append(lambda: self._join(c, g))

    def undo(self) -> None:
        log, self.log = self.log, []
        for step in reversed(log):
            step()
        self.log = []

    # --- rules ---------------------------------------------------------------------

    def _clash(self, a: int, b: int, s: int) -> bool:
        """The leader cannot run both slots: same day, overlapping or too little time to drive."""
        x, y = self.slots[a].cand, self.slots[b].cand
        if x.day != y.day:
            return False
        if x.start < y.end and y.start < x.end:
            return True
        base = self.inst.staff[s].base_hub
        hx, hy = x.hub or base, y.hub or base
        travel = self.inst.travel
        need = max(travel.hub(hx, hy), travel.hub(hy, hx))
        gap = y.start - x.end if x.end <= y.start else x.start - y.end
        return gap < need

    def staff_free(self, s: int, g: int, ignore: int | None = None) -> bool:
        if s not in self.slots[g].leader_set:
            return False
        mine = [h for h in self.led[s] if h != ignore and h != g]
        used = sum(self.slots[h].minutes for h in mine)
        if used + self.slots[g].minutes > self.inst.staff[s].max_weekly_minutes:
            return False
        return not any(self._clash(h, g, s) for h in mine)

    def team_ok(self, g: int, team: list[int]) -> bool:
        staff = [self.inst.staff[s] for s in team]
        if not team or len(set(team)) != len(team) or not any(m.qualified for m in staff):
            return False
        skills = {k for m in staff for k in m.skills}
        return set(self.slots[g].cand.template.required_skills) <= skills

    def room_free(self, g: int) -> bool:
        slot = self.slots[g]
        if slot.room is None:
            return True
        x = slot.cand
        for h in self.booked.get(slot.room, []):
            y = self.slots[h].cand
            if h != g and x.day == y.day and x.start < y.end and y.start < x.end:
                return False
        return True

    def client_free(self, c: int, g: int, leaving: int | None = None) -> bool:
        if g not in self.option_set[c] or g in self.where[c]:
            return False
        mine = [h for h in self.where[c] if h != leaving]
        if len(mine) >= self.inst.clients[c].max_groups_per_week:
            return False
        x = self.slots[g].cand
        for h in mine:
            y = self.slots[h].cand
            if x.day == y.day and x.start < y.end and y.start < x.end:
                return False
        return True

    def fits(self, g: int, size: int) -> bool:
        """The slot holds `size` participants with its leaders (open, not too many, two from five)."""
        slot = self.slots[g]
        lead = len(slot.lead)
        if not lead or size > slot.cap or size + lead > slot.room_cap:
            return False
        return size <= ONE_LEADER_UP_TO or lead == MAX_LEADERS

    def can_shrink(self, g: int) -> bool:
        slot = self.slots[g]
        return slot.pinned or len(slot.members) - 1 >= slot.smallest

    # --- the start -----------------------------------------------------------------

    def _start(self) -> None:
        inst = self.inst
        inputs = {g.id for g in self.problem.groups}
        slot_of = {s.cand.group.id: g for g, s in enumerate(self.slots) if s.cand.group is not None}
        pinned_members = {g.id: set(g.participants) for g in self.problem.groups if g.pinned}
        for group in self.start_plan.groups:
            g = slot_of[group.id if group.id in inputs else START + group.id]
            self._set_lead(g, [inst.staff_index[s] for s in group.leaders])
            for cid in group.participants:
                c = inst.client_index[cid]
                if g not in self.option_set[c]:
                    self.options[c].append(g)
                    self.option_set[c].add(g)
                    self.value[c] = self._values(c)
                self._join(c, g)
                if cid in pinned_members.get(group.id, set()):
                    self.fixed.add(c)
        for g, slot in enumerate(self.slots):
            if slot.pinned and not slot.lead and slot.cand.group is not None:
                self._set_lead(g, [inst.staff_index[s] for s in slot.cand.group.leaders])

    # --- moves ---------------------------------------------------------------------

    def movable(self, c: int) -> bool:
        return c not in self.fixed

    def move_change(self) -> bool:
        c = self.rng.randrange(len(self.where))
        if not self.movable(c) or not self.options[c]:
            return False
        source = self.rng.choice(self.where[c]) if self.where[c] else None
        if source is not None and not self.can_shrink(source):
            return False
        target = self.rng.choice(self.options[c])
        if target == source or not self.slots[target].lead:
            if source is None:
                return False
            self._leave(c, source)  # out
            return True
        if not self.client_free(c, target, source):
            return False
        size = len(self.slots[target].members) + 1
        if not self.fits(target, size) and not (size == PREFERRED_SIZE and self._add_second(target, size)):
            return False
        if source is not None:
            self._leave(c, source)
        self._join(c, target)
        return True

    def _add_second(self, g: int, size: int) -> bool:
        slot = self.slots[g]
        if len(slot.lead) != 1 or size + MAX_LEADERS > slot.room_cap or size > slot.cap:
            return False
        free = [s for s in slot.leaders if s not in slot.lead and self.staff_free(s, g)]
        if not free:
            return False
        self._set_lead(g, [*slot.lead, self.rng.choice(free)])
        return True

    def move_swap(self) -> bool:
        a, b = self.rng.randrange(len(self.where)), self.rng.randrange(len(self.where))
        if a == b or not self.where[a] or not self.movable(a) or not self.movable(b):
            return False
        ga = self.rng.choice(self.where[a])
        others = [g for g in self.options[a] if g != ga and self.slots[g].members]
        if not self.where[b]:
            if not others:
                return False
            gb = self.rng.choice(others)
            member = list(self.slots[gb].members)
            b = self.rng.choice(member)
            if not self.movable(b) or b == a:
                return False
        else:
            gb = self.rng.choice(self.where[b])
        if ga == gb or not self.client_free(a, gb, ga) or not self.client_free(b, ga, gb):
            return False
        self._leave(a, ga)
        self._leave(b, gb)
        self._join(a, gb)
        self._join(b, ga)
        return True

    def _team(self, g: int) -> list[int] | None:
        slot = self.slots[g]
        free = [s for s in slot.leaders if self.staff_free(s, g)]
        self.rng.shuffle(free)
        need = set(slot.cand.template.required_skills)
        for q in (s for s in free if self.inst.staff[s].qualified):
            rest = need - set(self.inst.staff[q].skills)
            partners = [s for s in free if s != q and rest <= set(self.inst.staff[s].skills)]
            if rest and not partners:
                continue
            if partners and (rest or self.rng.random() < 0.7):
                return [q, partners[0]]
            return [q]
        return None

    def move_open(self) -> bool:
        g = self.rng.randrange(len(self.slots))
        slot = self.slots[g]
        if slot.lead or slot.pinned or len(slot.clients) < slot.smallest or not self.room_free(g):
            return False
        team = self._team(g)
        if team is None:
            return False
        limit = min(
            slot.cap, slot.room_cap - len(team), LARGEST_GROUP if len(team) == MAX_LEADERS else ONE_LEADER_UP_TO
        )
        waiting = [c for c in slot.clients if not self.where[c] and self.client_free(c, g)]
        self.rng.shuffle(waiting)
        chosen = waiting[:limit]
        moved: list[tuple[int, int]] = []
        if len(chosen) < limit:
            pool = [c for c in slot.clients if self.where[c] and self.movable(c)]
            self.rng.shuffle(pool)
            spare: dict[int, int] = {}
            for c in pool:
                if len(chosen) + len(moved) >= limit:
                    break
                h = self.where[c][0]
                hs = self.slots[h]
                left = len(hs.members) - spare.get(h, 0) - 1
                if (hs.pinned or left >= hs.smallest) and self.client_free(c, g, h):
                    spare[h] = spare.get(h, 0) + 1
                    moved.append((c, h))
        if len(chosen) + len(moved) < slot.smallest:
            return False
        self._set_lead(g, team)
        for c, h in moved:
            self._leave(c, h)
            self._join(c, g)
        for c in chosen:
            self._join(c, g)
        return True

    def _movable(self) -> int | None:
        """A random open group that may be closed or moved (not pinned, no fixed member), or None."""
        if not self.open:
            return None
        g = self.rng.choice(list(self.open))
        slot = self.slots[g]
        if slot.pinned or any(c in self.fixed for c in slot.members):
            return None
        return g

    def move_close(self) -> bool:
        g = self._movable()
        if g is None:
            return False
        slot = self.slots[g]
        members = list(slot.members)
        for c in members:
            self._leave(c, g)
        self._set_lead(g, [])
        for c in members:
            options = [h for h in self.options[c] if self.slots[h].lead and h != g]
            self.rng.shuffle(options)
            for h in options:
                if self.client_free(c, h) and self.fits(h, len(self.slots[h].members) + 1):
                    self._join(c, h)
                    break
        return True

    def move_relocate(self) -> bool:
        g = self._movable()
        if g is None:
            return False
        slot = self.slots[g]
        targets = self.by_model[(slot.cand.template.id, slot.cand.language)]
        t = self.rng.choice(targets)
        to = self.slots[t]
        if t == g or to.lead or to.pinned:
            return False
        members = list(slot.members)
        lead = list(slot.lead)
        for c in members:
            self._leave(c, g)
        self._set_lead(g, [])
        keep = [s for s in lead if self.staff_free(s, t)]
        team = keep if len(keep) == len(lead) and self.team_ok(t, keep) else self._team(t)
        if team is None or not self.room_free(t):
            return False
        self._set_lead(t, team)
        for c in members:
            if self.client_free(c, t) and self.fits(t, len(to.members) + 1):
                self._join(c, t)
        return len(to.members) >= to.smallest  # else undone

    def move_leader(self) -> bool:
        if not self.open:
            return False
        g = self.rng.choice(list(self.open))
        slot = self.slots[g]
        if slot.pinned:
            return False
        lead = list(slot.lead)
        size = len(slot.members)
        roll = self.rng.random()
        if len(lead) == 1 and roll < 0.3:
            return self._add_second(g, size)
        if len(lead) == MAX_LEADERS and roll < 0.3:
            rest = [lead[self.rng.randrange(2)]]
            if size > ONE_LEADER_UP_TO or not self.team_ok(g, rest):
                return False
            self._set_lead(g, rest)
            return True
        i = self.rng.randrange(len(lead))
        new = self.rng.choice(slot.leaders)
        if new in lead or not self.staff_free(new, g):
            return False
        team = list(lead)
        team[i] = new
        if not self.team_ok(g, team):
            return False
        self._set_lead(g, team)
        return True

    # --- the search ----------------------------------------------------------------

    def run(self, deadline: float) -> tuple[int, dict[int, tuple[list[int], list[int]]]]:
        moves = (
            (self.move_change, 40),
            (self.move_swap, 20),
            (self.move_open, 12),
            (self.move_close, 6),
            (self.move_relocate, 10),
            (self.move_leader, 12),
        )
        pick = [m for m, weight in moves for _ in range(weight)]
        history = [self.score] * LATE
        best, best_state = self.score, self.snapshot()
        step = 0
        while True:
            if step % 256 == 0 and time.perf_counter() >= deadline:
                break
            before = self.score
            if not self.rng.choice(pick)():
                self.undo()
                continue
            late = history[step % LATE]
            if self.score >= before or self.score >= late:
                self.log = []
                history[step % LATE] = self.score
                step += 1
                if self.score > best:
                    best, best_state = self.score, self.snapshot()
            else:
                self.undo()
                step += 1
        self.steps = step
        return best, best_state

    def snapshot(self) -> dict[int, tuple[list[int], list[int]]]:
        return {g: (list(self.slots[g].lead), sorted(self.slots[g].members)) for g in self.open}


def _unpruned(problem: Problem, start: Plan) -> Instance:
    """Every candidate the rules allow, the greedy start's groups among them (as unpinned input groups).

    Leader reach prunes only as far as the county's hard rule; no per-client option limit
    and no nearest-leaders limit (solver.candidates with its limits lifted).
    """
    inputs = {g.id for g in problem.groups}
    extra = [g.model_copy(update={"id": START + g.id, "pinned": False}) for g in start.groups if g.id not in inputs]
    seeded = problem.model_copy(update={"groups": [*problem.groups, *extra]})
    return build_instance(seeded, Limits.unpruned(problem.policy.leader_reach_minutes))


def peer_search(problem: Problem, seconds: float, seed: int = 0) -> tuple[Plan, Search]:
    """Search for `seconds` (set-up included) and return the best plan met, with the search."""
    began = time.perf_counter()
    search = Search(problem, seed)
    _, state = search.run(began + seconds)
    return _plan(search, state, time.perf_counter() - began), search


def _plan(search: Search, state: dict[int, tuple[list[int], list[int]]], seconds: float) -> Plan:
    problem, inst = search.problem, search.inst
    groups: list[Group] = []
    used: set[str] = set()
    for g in sorted(state):
        slot = search.slots[g]
        lead, members = state[g]
        if not members and not slot.pinned:
            continue
        cand = slot.cand
        if cand.group is not None and not cand.group.id.startswith(START):
            gid = cand.group.id
        else:
            gid = f"peer-{cand.key}" + (f"#{slot.room}" if slot.room and len(cand.rooms) > 1 else "")
        while gid in used:
            gid += "+"
        used.add(gid)
        groups.append(
            Group(
                id=gid,
                template=cand.template.id,
                modality=cand.template.modality,
                hub=cand.hub,
                room=slot.room,
                language=cand.language,
                day=cand.day,
                start=hhmm(cand.start),
                end=hhmm(cand.end),
                leaders=[inst.staff[s].id for s in lead],
                participants=[inst.clients[c].id for c in members],
                new=slot.new,
                pinned=slot.pinned,
            )
        )
    placed = {c for g in groups for c in g.participants}
    why = {u.client: u.reasons for u in search.start_plan.unassigned}
    capacity = [Reason(code="capacity", detail="no suitable group opened with a seat for them in the peer's plan")]
    unassigned = [
        Unassigned(client=c.id, reasons=why.get(c.id) or capacity) for c in problem.clients if c.id not in placed
    ]
    metrics = PlanMetrics(
        placed=len(placed),
        unassigned=len(unassigned),
        groups_new=sum(g.new for g in groups),
        groups_total=len(groups),
        solve_seconds=round(seconds, 3),
        policy=problem.policy.preset,
        shape=plan_shape(groups, problem.templates),
    )
    return Plan(status="feasible", groups=groups, unassigned=unassigned, metrics=metrics)
