"""Advice: the single changes that would place the most clients, each verified by planning with it.

The steps, each usable on its own (the planning queue runs each re-plan as its own task):

1. `prepare`: pin every group of the plan (`whatif.fixed_problem`), re-plan the clients
   left out without any change (the base every change is measured against), draw the
   candidate changes (`candidates.candidate_changes`) and screen each with a cheap upper
   bound (`screen.Screen`); a candidate whose bound is 0 is not re-planned.
2. `verify`: re-plan with one change and compare with the base (`whatif.compare`).
3. `ranked`: the changes that placed someone, best first by clients placed per cost:
   `placed_gain / (1 + cost_hours)`, the cost being the staff hours the new groups take
   beyond the base, plus `ROOM_HOURS` for a room opened or added; on a tie, a change to
   what exists before a hypothetical one (a room opened before a new room).

`advise` runs them in one process, the re-plans on `workers` threads, the highest bounds
first, and is anytime: `on_item` hears each verified change, `stop` ends it early, and a
candidate whose bound cannot beat the `top` changes found so far is not re-planned.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

import solver
from scheduler.contract import Plan, Problem
from scheduler.contract.advice import Advice, AdviceItem
from scheduler.contract.whatif import CHANGE_KINDS, Change, NewRoom, RoomOpened
from scheduler.services.advice.candidates import addressable, candidate_changes
from scheduler.services.advice.screen import Screen
from scheduler.services.advice.whatif import compare, fixed_problem, plan_whatif

__all__ = [
    "ROOM_HOURS",
    "AdviceParams",
    "Candidate",
    "Prepared",
    "advise",
    "beaten",
    "prepare",
    "ranked",
    "Tally",
    "advice_of",
    "summarise",
    "verify",
]

ROOM_HOURS = 2.0
"""What opening or adding a room costs, in staff hours (a stated assumption: about one session's arranging)."""


@dataclass(frozen=True)
class AdviceParams:
    """How long advice may take and how each re-plan runs."""

    time_limit: float = 60.0
    """Seconds for the whole advice; re-plans that would not end in time are not started."""
    replan_seconds: float = 2.0
    """The time limit of each re-plan (the base and every candidate alike)."""
    top: int = 5
    workers: int = 2
    """Re-plans at once (each on one CP-SAT worker)."""
    seed: int = 0

    def solve_params(self) -> solver.SolveParams:
        return solver.SolveParams(time_limit=self.replan_seconds, workers=1, seed=self.seed)


@dataclass(frozen=True)
class Candidate:
    change: Change
    bound: int


@dataclass
class Prepared:
    """What every re-plan of one advice shares."""

    problem: Problem
    fixed: Problem
    base: Plan
    unplaced: int
    waiting: list[str]
    candidates: list[Candidate] = field(default_factory=list)
    screened_out: int = 0
    drawn: int = 0


def prepare(problem: Problem, plan: Plan, params: AdviceParams) -> Prepared:
    """The fixed problem, the base re-plan and the screened candidates, highest bound first."""
    fixed = fixed_problem(problem, plan)
    waiting = addressable(plan)
    if not waiting:
        return Prepared(problem, fixed, plan, len(plan.unassigned), waiting)
    base = plan_whatif(fixed, [], params.solve_params())
    placed = {c for g in base.groups for c in g.participants}
    waiting = [c for c in addressable(base) if c not in placed]
    changes = candidate_changes(problem, base)
    screen = Screen(fixed, base, waiting)
    bounds = [Candidate(change, screen.bound(change)) for change in changes]
    kept = sorted((c for c in bounds if c.bound > 0), key=lambda c: -c.bound)
    return Prepared(
        problem,
        fixed,
        base,
        len(base.unassigned),
        waiting,
        candidates=kept,
        screened_out=len(bounds) - len(kept),
        drawn=len(bounds),
    )


def _cost_hours(change: Change, staff_minutes_gain: int) -> float:
    rooms = ROOM_HOURS if isinstance(change, RoomOpened | NewRoom) else 0.0
    return round(max(staff_minutes_gain, 0) / 60 + rooms, 2)


def verify(prepared: Prepared, candidate: Candidate, params: AdviceParams) -> AdviceItem:
    """Plan with the change and say what it brought against the base."""
    after = plan_whatif(prepared.fixed, [candidate.change], params.solve_params())
    diff = compare(prepared.problem, prepared.base, after)
    cost = _cost_hours(candidate.change, diff.staff_minutes_gain)
    return AdviceItem(
        change=candidate.change,
        placed_gain=diff.placed_gain,
        bound=candidate.bound,
        cost_hours=cost,
        score=round(diff.placed_gain / (1 + cost), 4),
        diff=diff,
    )


def ranked(items: list[AdviceItem], top: int) -> list[AdviceItem]:
    """The changes that placed someone, best first: clients per cost, then clients, then a fixed order.

    The fixed order is by kind as `CHANGE_KINDS` lists them, so on a tie a change to what
    exists (a leader made free, a room opened) comes before a hypothetical one (a new leader
    or room)."""
    gaining = [i for i in items if i.placed_gain > 0]
    gaining.sort(
        key=lambda i: (-i.score, -i.placed_gain, CHANGE_KINDS.index(i.change.kind), i.change.model_dump_json())
    )
    return gaining[:top]


def beaten(candidate: Candidate, items: list[AdviceItem], top: int) -> bool:
    """True when `top` verified changes each placed at least the candidate's bound."""
    gains = sorted((i.placed_gain for i in items if i.placed_gain > 0), reverse=True)
    return len(gains) >= top and gains[top - 1] >= candidate.bound


def advise(
    problem: Problem,
    plan: Plan,
    params: AdviceParams | None = None,
    on_item: Callable[[AdviceItem], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> Advice:
    """The best single changes for the clients the plan leaves out (see the module's doc)."""
    params = params or AdviceParams()
    started = time.monotonic()
    prepared = prepare(problem, plan, params)
    items: list[AdviceItem] = []
    pruned = 0
    stopped = False
    queue = list(prepared.candidates)
    running: dict[Future[AdviceItem], Candidate] = {}
    with ThreadPoolExecutor(max_workers=params.workers) as pool:
        while queue or running:
            late = time.monotonic() - started + params.replan_seconds * 1.5 > params.time_limit
            while queue and len(running) < params.workers and not stopped:
                if (stop is not None and stop()) or late:
                    stopped = True
                    break
                candidate = queue.pop(0)
                if beaten(candidate, items, params.top):
                    pruned += 1
                    continue
                running[pool.submit(verify, prepared, candidate, params)] = candidate
            if stopped:
                queue.clear()
            if not running:
                continue
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                running.pop(future)
                item = future.result()
                items.append(item)
                if on_item is not None:
                    on_item(item)
    return summarise(prepared, items, params.top, pruned, stopped, time.monotonic() - started)


def summarise(
    prepared: Prepared, items: list[AdviceItem], top: int, pruned: int, stopped: bool, seconds: float
) -> Advice:
    """The advice of the verified items, and why there is none when there is none."""
    return advice_of(
        Tally(
            base_placed=len({c for g in prepared.base.groups for c in g.participants}),
            unplaced=prepared.unplaced,
            waiting=len(prepared.waiting),
            candidates=prepared.drawn,
            screened_out=prepared.screened_out,
            pruned=pruned,
        ),
        items,
        top,
        "stopped" if stopped else "complete",
        seconds,
    )


@dataclass(frozen=True)
class Tally:
    """The counts of an advice's preparation and search."""

    base_placed: int
    unplaced: int
    waiting: int
    candidates: int
    screened_out: int
    pruned: int = 0


def advice_of(tally: Tally, items: list[AdviceItem], top: int, status: str, seconds: float) -> Advice:
    """The advice of the verified items so far; once it has ended without any, why there is none."""
    best = ranked(items, top)
    none_why = None
    if not best and status != "running":
        if tally.unplaced == 0:
            none_why = "nobody_unplaced"
        elif not tally.waiting:
            none_why = "not_addressable"
        else:
            none_why = "stopped" if status == "stopped" and not items else "no_gain"
    return Advice.model_validate(
        {
            "status": status,
            "base_placed": tally.base_placed,
            "unplaced": tally.unplaced,
            "candidates": tally.candidates,
            "screened_out": tally.screened_out,
            "pruned": tally.pruned,
            "replanned": len(items),
            "items": best,
            "none_why": none_why,
            "seconds": round(seconds, 1),
        }
    )
