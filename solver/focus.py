"""Seat the clients the warm start leaves out, one neighbourhood at a time, before CP-SAT's own search.

CP-SAT's neighbourhoods are generic (random variables, constraints, pieces of the
constraint graph). Seating one more client usually takes a structured move: open one of
their candidate groups, draw members from other groups (which must keep their minimum, or
close and reseat theirs) and free a leader team that day. So for each client left out, in
turn, every candidate within two steps of them is set free: their own candidates; the
groups their possible members and those candidates' leaders (that day) are in now; and the
other options of those groups' members. The rest of the area stays as it is, and CP-SAT
searches what is free (a few hundred groups at most, often to optimality). A better plan is
kept and is where the next client's step starts; the last one is CP-SAT's hint. Each better
plan is reported to the watch, as CP-SAT's own are.

On the 400-client scenario this seats one to three more clients than the greedy start in
about 2 deterministic seconds, which CP-SAT's own search needs far longer to find.
Deterministic: clients in index order, deterministic time for every step.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from solver.objective import PREFERRED_SIZE, Objective
from solver.progress import Watch
from solver.variables import Vars

__all__ = ["FOCUS_SHARE", "focus", "search", "worth"]

FOCUS_SHARE = 1 / 5  # (an expression: Hypothesis draws bare literals of local code into its examples)
"""Share of an area's deterministic effort this may spend; CP-SAT's own search has the rest."""
STEP_EFFORT = 1 / 2
"""Deterministic seconds at most for one client's neighbourhood."""
SMALLEST_STEP = 1 / 20
"""A step with less effort left than this is not started."""
ROUNDS = 2
"""Passes over the clients still left out: a seat found for one can open a way for another."""

SolverFactory = Callable[[float, float], cp_model.CpSolver]
"""Makes a CP-SAT solver for a deterministic effort and a number of wall-clock seconds."""


def focus(
    v: Vars,
    objective: Objective,
    start: dict[int, int],
    effort: float,
    seconds: float,
    make_solver: SolverFactory,
    watch: Watch,
) -> tuple[dict[int, int], float]:
    """A plan at least as good as `start` (variable index -> value) and the deterministic effort spent."""
    values, best = start, worth(objective, start)
    spent, until = 0.0, time.perf_counter() + seconds
    for _ in range(ROUNDS):
        for c in sorted(c for c, placed in v.placed.items() if not values.get(placed.index, 0)):
            left = min(STEP_EFFORT, effort - spent)
            if left < SMALLEST_STEP or time.perf_counter() >= until:
                return values, spent
            if values.get(v.placed[c].index, 0):
                continue  # seated by an earlier step
            solver = make_solver(left, until - time.perf_counter())
            solver.parameters.max_deterministic_time = left  # a step's limit, also when the solve is not deterministic
            found, used = search(v, values, _fixed(values, _free(v, _around(v, values, [c]))), solver, watch)
            spent += used
            if found is not None and (better := worth(objective, found)) >= best:  # level moves too
                _report(v, objective, found, better, best, watch)
                values, best = found, better
    for g in _misshapen(v, values):
        left = min(STEP_EFFORT, effort - spent)
        if left < SMALLEST_STEP or time.perf_counter() >= until:
            break
        if not values.get(v.open[g].index, 0):
            continue  # closed by an earlier step
        solver = make_solver(left, until - time.perf_counter())
        solver.parameters.max_deterministic_time = left
        members = [d for d in v.members[g] if values.get(v.join[d, g].index, 0)]
        found, used = search(v, values, _fixed(values, _free(v, _around(v, values, members) | {g})), solver, watch)
        spent += used
        if found is not None and (better := worth(objective, found)) > best:
            _report(v, objective, found, better, best, watch)
            values, best = found, better
    return values, spent


def _report(v: Vars, objective: Objective, found: dict[int, int], better: float, best: float, watch: Watch) -> None:
    """Tell the watch of a better plan (not of a level move), with the area's best-case cap as its
    bound: the restricted model's own bound is not one of the area's."""
    if better > best:
        watch.found(better, objective.best_case, sum(found.get(x.index, 0) for x in v.placed.values()))


def _misshapen(v: Vars, values: dict[int, int]) -> list[int]:
    """Open new groups the policy would rather see otherwise: small ones (smallest first), then
    those led alone, when the policy weighs that."""
    policy = v.inst.problem.policy.weights()
    found = []
    for g in v.candidates:
        if v.cand(g).pinned or not values.get(v.open[g].index, 0):
            continue
        size = sum(values.get(v.join[d, g].index, 0) for d in v.members[g])
        leaders = sum(values.get(v.lead[s, g].index, 0) for s in v.leaders[g])
        small = (policy.small_group or policy.fragile_group) and size < PREFERRED_SIZE
        alone = policy.second_leader and leaders < 2
        if small or alone:
            found.append((not small, size, g))
    return [g for *_, g in sorted(found)]


def _around(v: Vars, values: dict[int, int], clients: list[int]) -> set[int]:
    """The candidates within two steps of these clients (see the module's description)."""

    def on(var: cp_model.IntVar) -> bool:
        return values.get(var.index, 0) == 1

    groups = {g for c in clients for g in v.groups_of_client[c]}
    for step in range(2):
        for g in list(groups):
            for d in v.members[g]:
                if step == 0 or on(v.join[d, g]):
                    groups.update(h for h in v.groups_of_client[d] if step or on(v.join[d, h]))
            day = v.cand(g).day
            for s in v.leaders[g]:
                groups.update(h for h in v.groups_of_leader[s] if on(v.lead[s, h]) and v.cand(h).day == day)
    return groups


def _free(v: Vars, groups: set[int]) -> set[int]:
    """Indices of the variables of these candidates and of everyone who could join them."""
    free: set[int] = set()
    for g in groups:
        free.add(v.open[g].index)
        for d in v.members[g]:
            free.update((v.join[d, g].index, v.placed[d].index))
        free.update(v.lead[s, g].index for s in v.leaders[g])
    free.update(var.index for (d, _), var in v.first.items() if v.placed[d].index in free)
    return free


def _fixed(values: dict[int, int], free: set[int]) -> dict[int, int]:
    """Every variable but the free ones, at its value."""
    return {index: value for index, value in values.items() if index not in free}


def search(
    v: Vars,
    values: dict[int, int],
    fixed: dict[int, int],
    solver: cp_model.CpSolver,
    watch: Watch,
    cap: float | None = None,
) -> tuple[dict[int, int] | None, float]:
    """CP-SAT over the model with the `fixed` variables (index -> value) set, from `values` as its
    hint; its plan (a value of every variable of `values`) and the effort spent. With a `cap` (a
    bound of the whole model), its plans are reported to the watch with that bound."""
    sub = v.model.clone()
    sub.proto.clear_solution_hint()  # what clear_hints() does; OR-Tools left that one unannotated
    variables = sub.proto.variables
    for index, value in values.items():
        if index not in fixed:
            sub.add_hint(sub.get_bool_var_from_proto_index(index), value)
    for index, value in fixed.items():
        variables[index].domain.clear()
        variables[index].domain.extend([value, value])
    placed = list(v.placed.values()) if cap is not None else ()  # only reported plans count their clients
    code = watch.run(solver, sub, report=cap is not None, placed=placed, cap=cap)
    response = solver.response_proto
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, response.deterministic_time
    solution = list(response.solution)
    return {index: solution[index] for index in values}, response.deterministic_time


def worth(objective: Objective, values: dict[int, int]) -> float:
    """The objective's value at these values of the variables."""
    return sum(objective.values_at(values).values())
