"""Split a problem into parts that share nothing, to be solved apart (other processes, other machines) and merged.

Two candidate groups are connected when they share a client, a leader or a room; the
components of that relation over *every* candidate group (`build_instance` with the
limits `solve` uses, before any pruning) are independent: no plan can put a client,
leader or room of one component in a group of another, so each is planned on its own
without losing anything. A part holds the component's clients, leaders and rooms (with
the hubs they need), the group models, its input groups and the travel entries of
them; on that sub-problem `build_instance` makes the very same candidates, and `solve`
the same plan as on the whole problem (relative order of people and places is kept).

Clients with no candidate group at all belong to no part: `merge` explains them against
the whole problem. Pop-ups use the leaders' time left over anywhere, so parts are
planned without them (`popup_slots` 0) and `merge` places them once on the merged plan.

Each part gets the share of the deterministic effort (and of the time limit) that its
areas would get in one `solve`: the candidates it keeps after the greedy start and the
pruning (`trim_options`), so the parts together spend what one solve would.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from pydantic import BaseModel, Field

from scheduler.contract import Hub, Plan, Problem, Travel
from solver.areas import components
from solver.candidates import Instance, Limits, build_instance, trim_options
from solver.counties import counties, county_problems, travel_rows
from solver.merge import area_counts, merge
from solver.params import SolveParams
from solver.pinned import check_pinned
from solver.progress import Observer, Progress
from solver.solve import DETERMINISTIC_SHARE, solve
from solver.warmstart import greedy_hint

__all__ = ["MIN_PART_SECONDS", "Part", "solve_split", "split"]

MIN_PART_SECONDS = 1.0
"""A part's time limit is its share of the whole, but not under this (or the whole limit, if less): its
set-up (candidates, greedy start) must not eat the wall-clock safety net and stop the search early."""


class Part(BaseModel):
    """One independent part of a problem: a valid problem of its own and the parameters to solve it with."""

    problem: Problem = Field(description="the part's clients, leaders, rooms, input groups; no pop-ups")
    params: SolveParams = Field(description="the part's share of the effort and of the time limit")
    clients: int = Field(ge=0, description="clients in the part")
    candidates: int = Field(ge=0, description="candidate groups of the part (all, before pruning)")
    active: int = Field(ge=0, description="candidate groups kept after pruning: what its effort is shared by")


@dataclass
class _Component:
    """The candidates of one component and what they hold, by index into the instance."""

    candidates: list[int]
    clients: list[int]
    staff: list[int]
    rooms: set[str]
    active: int = 0


def split(problem: Problem, params: SolveParams | None = None) -> list[Part]:
    """The independent parts of the problem, largest first; one part when it is all one piece.

    A single part is the whole problem (every client, leader and room) but for its pop-ups,
    which `merge` places; its plan is then the plan `solve` makes.
    """
    params = params or SolveParams()
    if len(counties(problem)) > 1:
        return _county_parts(problem, params)
    check_pinned(problem)  # as `solve` does first: a pinned group's leader who left breaks the candidates
    limits = Limits.of(problem, params)
    inst = build_instance(problem, limits)
    found = [_component(inst, comp) for comp in components(inst, list(range(len(inst.candidates))))]
    budget = params.effort if params.effort is not None else DETERMINISTIC_SHARE * params.time_limit
    if len(found) <= 1:
        whole = problem.model_copy(update={"popup_slots": 0})
        size = len(inst.candidates)
        share = params.model_copy(update={"effort": budget})
        return [Part(problem=whole, params=share, clients=len(problem.clients), candidates=size, active=size)]
    hint = greedy_hint(inst, list(range(len(inst.candidates))))
    active = trim_options(inst, limits.options_per_client, hint.members)  # as in `solve`: the areas' sizes
    owner = {g: i for i, comp in enumerate(found) for g in comp.candidates}
    for g in active:
        found[owner[g]].active += 1
    total = sum(comp.active for comp in found)
    parts = []
    for comp in sorted(found, key=lambda comp: (-comp.active, -len(comp.candidates), comp.candidates[0])):
        weight = comp.active / total if total else 1 / len(found)
        share = _share(params, weight, budget)
        parts.append(
            Part(
                problem=_part_problem(inst, comp),
                params=share,
                clients=len(comp.clients),
                candidates=len(comp.candidates),
                active=comp.active,
            )
        )
    return parts


def _county_parts(problem: Problem, params: SolveParams) -> list[Part]:
    """A problem of several counties: each county a part (`solver.counties`), largest first, with its pop-ups."""
    budget = params.effort if params.effort is not None else DETERMINISTIC_SHARE * params.time_limit
    found = county_problems(problem)
    total = sum(len(part.clients) for _, part in found) or 1
    parts = [
        Part(
            problem=part,
            params=_share(params, len(part.clients) / total, budget),
            clients=len(part.clients),
            candidates=0,
            active=0,
        )
        for _, part in found
    ]
    return sorted(parts, key=lambda part: -part.clients)


def _share(params: SolveParams, weight: float, budget: float) -> SolveParams:
    """A part's share (`weight`) of the time limit, not under `MIN_PART_SECONDS`, and of the effort `budget`."""
    seconds = max(weight * params.time_limit, min(params.time_limit, MIN_PART_SECONDS))
    # a part whose candidates all went in the pruning has no area to search: its effort is never spent
    return params.model_copy(update={"effort": budget * weight or budget * 1e-6, "time_limit": seconds})


def _component(inst: Instance, candidates: list[int]) -> _Component:
    clients = staff = 0
    rooms: set[str] = set()
    for g in candidates:
        cand = inst.candidates[g]
        clients |= cand.clients
        staff |= cand.leaders
        rooms.update(cand.rooms)
    return _Component(candidates, list(inst.members(clients)), list(inst.members(staff)), rooms)


def _part_problem(inst: Instance, comp: _Component) -> Problem:
    """The component as a problem of its own, records in their order in the whole problem.

    Its hubs are those of its rooms and of its leaders' bases, each with the component's rooms
    only: a room type's rooms all belong to one component (a candidate books the whole type),
    so the room types, and with them the candidates, come out as in the whole problem.
    """
    problem = inst.problem
    clients = [problem.clients[c] for c in comp.clients]
    staff = [problem.staff[s] for s in comp.staff]
    mine = set(comp.candidates)  # an input group's candidate has the group's index
    groups = [group for g, group in enumerate(problem.groups) if g in mine]
    bases = {member.base_hub for member in staff}
    hubs: list[Hub] = []
    for hub in problem.hubs:
        rooms = [room for room in hub.rooms if room.id in comp.rooms]
        if rooms or hub.id in bases:
            hubs.append(hub if len(rooms) == len(hub.rooms) else hub.model_copy(update={"rooms": rooms}))
    hub_ids = {hub.id for hub in hubs}
    client_ids = {client.id for client in clients}
    travel = Travel(
        hub_minutes=travel_rows(problem.travel.hub_minutes, hub_ids, hub_ids),
        client_minutes=travel_rows(problem.travel.client_minutes, client_ids, hub_ids),
    )
    counsellors = {client.counsellor for client in clients}
    return problem.model_copy(
        update={
            "clients": clients,
            "staff": staff,
            "hubs": hubs,
            "groups": groups,
            "travel": travel,
            "counsellors": [c for c in problem.counsellors if c.id in counsellors],
            "popup_slots": 0,
        }
    )


def solve_split(problem: Problem, params: SolveParams | None = None, observer: Observer | None = None) -> Plan:
    """Split, solve each part with `solve`, merge: in this process, one part after another.

    The reference of what a queue of workers does with the parts. An observer hears the parts'
    progress as one solve's (areas counted over the parts, values added up) and may cancel.
    """
    params = params or SolveParams()
    began = time.perf_counter()
    parts = split(problem, params)
    seconds = time.perf_counter() - began
    tally = _Tally(observer)
    plans = []
    for part in parts:
        watcher = tally.observer()
        plans.append(solve(part.problem, part.params, watcher))
        tally.done(plans[-1], watcher)
    plan = merge(problem, plans, params, parts)
    solved = (plan.metrics.solve_seconds or 0.0) + seconds
    return plan.model_copy(update={"metrics": plan.metrics.model_copy(update={"solve_seconds": round(solved, 3)})})


class _Tally:
    """The parts' progress told to one observer as a single solve's."""

    def __init__(self, observer: Observer | None) -> None:
        self.outer = observer
        self.began = time.perf_counter()
        self.areas = self.solutions = 0
        self.objective = self.bound = 0.0
        self.placed = 0

    def observer(self) -> Observer | None:
        return None if self.outer is None else _PartObserver(self)

    def done(self, plan: Plan, watcher: Observer | None) -> None:
        """A part is planned: its plan's values join the totals."""
        m = plan.metrics
        self.objective += m.objective or 0.0
        self.bound += max(m.bound or 0.0, m.objective or 0.0)
        self.placed += m.placed
        self.areas += area_counts(m.status_detail)[0]
        self.solutions += watcher.latest.solutions if watcher is not None and watcher.latest is not None else 0

    def report(self, progress: Progress) -> None:
        assert self.outer is not None
        self.outer.report(
            Progress(
                solutions=self.solutions + progress.solutions,
                objective=None if progress.objective is None else self.objective + progress.objective,
                bound=None if progress.bound is None else self.bound + progress.bound,
                elapsed_seconds=round(time.perf_counter() - self.began, 3),
                area=self.areas + progress.area,
                areas=self.areas + progress.areas,
                placed=None if progress.placed is None else self.placed + progress.placed,
            )
        )


class _PartObserver(Observer):
    """One part's observer: passes its reports on through the tally, and cancels when the caller does."""

    def __init__(self, tally: _Tally) -> None:
        super().__init__()
        self.tally = tally

    @property
    def cancelled(self) -> bool:
        assert self.tally.outer is not None
        return self.tally.outer.cancelled

    def report(self, progress: Progress) -> None:
        self.latest = progress
        self.tally.report(progress)
