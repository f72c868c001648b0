"""Problem in, Plan out: candidates, areas, one CP-SAT model per area, each searched from the greedy plan."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from ortools.sat.python import cp_model

from scheduler.contract import Plan, Problem
from solver.arealps import AreaLPs, waited
from solver.candidates import Instance, Limits
from solver.counties import counties
from solver.focus import FOCUS_SHARE, focus, search, worth
from solver.lpbound import relaxation_bound
from solver.models import area_model, prepare
from solver.objective import Objective
from solver.params import PlanningError, SolveParams
from solver.pinned import check_pinned
from solver.plan import AreaResult, build_plan
from solver.progress import Observer, Watch
from solver.support import closed_outside
from solver.variables import Vars
from solver.warmstart import Hint

__all__ = ["solve"]

# Interleaved (deterministic) search runs its subsolvers in turn; these full-problem
# searches rarely beat the greedy start here, so their turns go to neighbourhood search.
# "max_lp_sym" is the worst: one of its turns can take the whole effort (27 of 30
# deterministic seconds on the 400-client scenario, seed 2), starving every other search.
FULL_SEARCHES_SKIPPED_WHEN_DETERMINISTIC = [
    "core",
    "max_lp",
    "max_lp_sym",
    "no_lp",
    "reduced_costs",
    "pseudo_costs",
    "quick_restart_no_lp",
]


DETERMINISTIC_SHARE = 0.5
"""Deterministic search effort per area, as a share of the time limit split by area size. It
must not depend on the clock (set-up time varies), so it leaves room for the set-up; the
wall-clock cap stays as a safety net and only binds on a much slower machine. CP-SAT's
presolve counts towards it (about 3 of the 10 deterministic seconds at 400 clients, a
fifth of the wall time); at 0.5 the solve ends at about 15 s of a 20 s limit on the 2-core
benchmark machine of 2026-12."""

BOUND_SHARE = 3 / 10  # (an expression: Hypothesis draws bare literals of local code into its examples)
"""GLOP's deterministic time for the proven bound (`solver.lpbound`), as a share of the area's effort."""
BOUND_DEADLINE_SHARE = 0.98
"""The proven bound is worked out by this share of the time limit, so the solve keeps its limit."""
BOUND_MAX_VARIABLES = 30_000
"""Larger areas skip the relaxations (their LPs would take seconds the search needs): no
restricted search (`solver.support`); they report CP-SAT's bound or the best-case cap."""
WHOLE_SEARCH_SMALLEST = 3 / 10  # (an expression: Hypothesis draws bare literals of local code into its examples)
"""The LP-support search has the rest of the area's effort; only if it proves its plan optimal (for the
restricted model) with at least this share of the effort left does CP-SAT search the whole model with
it: presolving the whole model alone takes about that much (3 of 10 deterministic seconds at 400
clients). Before, the whole model had half the effort left; given it instead, the restricted search
scored higher on all five regions tried (+0.4 % to +1.7 %, placed 0–6 more; 2026-12-06)."""
SUPPORT_WAIT_SHARE = 1 / 2  # (an expression: Hypothesis draws bare literals of local code into its examples)
"""After `focus`, the search waits for the whole model's relaxation (`solver.support`) at most this
share of the area's wall-clock time left; a safety net: on the benchmark machine it is back first."""


def solve(problem: Problem, params: SolveParams | None = None, observer: Observer | None = None) -> Plan:
    """Plan the week: which groups open, who leads them and who joins them.

    An observer hears progress and may cancel; `PlanningCancelled` is raised then.
    """
    params = params or SolveParams()
    if len(counties(problem)) > 1:  # rule `same_county`: the counties are planned apart (`solver.counties`)
        from solver.split import solve_split  # late: it plans each county with this function

        return solve_split(problem, params, observer)
    began = time.perf_counter()
    watch = Watch(observer)
    check_pinned(problem)
    prepared = prepare(problem, Limits.of(problem, params), watch.check)
    inst, hint, parts = prepared.inst, prepared.hint, prepared.parts
    results = []
    deadline = began + 0.9 * params.time_limit
    bound_deadline = began + BOUND_DEADLINE_SHARE * params.time_limit
    lps = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tarjotin-bound")
    total = remaining = sum(len(p) for p in parts)
    budget = params.effort if params.effort is not None else DETERMINISTIC_SHARE * params.time_limit
    watch.areas = len(parts)
    try:
        for part in sorted(parts, key=len):
            share = len(part) / remaining
            effort = budget * len(part) / total  # set by the problem alone
            watch.start_area()
            bounds = partial(AreaLPs.submit, lps, bound_deadline)
            results.append(_solve_area(inst, part, hint, deadline, share, effort, params, watch, bounds))
            watch.area_done(results[-1].objective, results[-1].bound)
            remaining -= len(part)
        for result in results:
            watch.check()
            _tighten(result, bound_deadline)
    finally:
        lps.shutdown(wait=False, cancel_futures=True)  # an LP still running stops at the deadline
    return build_plan(inst, results, time.perf_counter() - began)


def _solve_area(
    inst: Instance,
    part: list[int],
    hint: Hint,
    deadline: float,
    share: float,
    effort: float,
    params: SolveParams,
    watch: Watch,
    bounds: Callable[[Vars, float], AreaLPs],
) -> AreaResult:
    """The area's plan: the greedy plan as `focus` and then the LP-support search (`solver.support`, once
    the whole model's relaxation is in, with the rest of the effort) improved it. Where that search did
    not run (a large area, the LP not back in time) or stopped early, CP-SAT searches the whole model
    from that plan with the effort left, and its plan is kept if better.

    The bound is the lesser of CP-SAT's (if it searched the whole model) and the best-case cap; an area
    of moderate size keeps its model and the relaxations worked out beside it for their bounds
    (`_tighten`, after every search).
    """
    v, objective = area_model(inst, part, watch.check)
    small = len(v.model.proto.variables) <= BOUND_MAX_VARIABLES
    relaxations = bounds(v, effort) if small else None
    whole_search = True

    def make_solver(effort: float, seconds: float) -> cp_model.CpSolver:
        return _cp_solver(params, effort, max(0.2, seconds))

    assignment, spent = focus(
        v,
        objective,
        _greedy_values(v, hint),
        FOCUS_SHARE * effort,
        share * (deadline - time.perf_counter()),  # its effort ends it; the clock only as a safety net
        make_solver,
        watch,
    )
    if relaxations is not None:
        window = SUPPORT_WAIT_SHARE * share * (deadline - time.perf_counter())
        relaxed = waited(relaxations.whole, time.perf_counter() + window)
        if relaxed is not None and relaxed.values is not None:
            left = effort - spent
            supported = make_solver(left, share * (deadline - time.perf_counter()))
            supported.parameters.max_deterministic_time = max(0.2, left)  # also when the solve is not deterministic
            assignment, used = _supported(v, objective, assignment, relaxed.values, supported, watch)
            spent += used
            proved = supported.response_proto.status == cp_model.OPTIMAL  # else its effort or the clock ran out
            whole_search = proved and effort - spent >= WHOLE_SEARCH_SMALLEST * effort
    warm = (_warm_start(v, objective, assignment), assignment)
    if whole_search:
        for index, value in assignment.items():
            v.model.add_hint(v.model.get_bool_var_from_proto_index(index), value)
        solver = make_solver(effort - spent, share * (deadline - time.perf_counter()))
        code = watch.run(solver, v.model, placed=list(v.placed.values()))
        result = _outcome(v, objective, solver, code, warm, watch)
    else:
        result = _kept(v, warm, watch)
    result.bounds = {"best_case": objective.best_case}
    if math.isfinite(result.bound):  # CP-SAT proved none when it found nothing in time
        result.bounds["cp_sat"] = result.bound
    if result.status != "optimal":
        result.bound = min(result.bound, objective.best_case)
        if relaxations is not None:
            result.relaxed = relaxations
    return result


def _supported(
    v: Vars,
    objective: Objective,
    assignment: dict[int, int],
    relaxed: list[float],
    solver: cp_model.CpSolver,
    watch: Watch,
) -> tuple[dict[int, int], float]:
    """The restricted search (`solver.support`) from the assignment: its plan if no worse, and the effort spent."""
    closed = closed_outside(v, relaxed, assignment)
    found, spent = search(v, assignment, closed, solver, watch, cap=objective.best_case)  # its plans are reported
    if found is not None and worth(objective, found) >= worth(objective, assignment):
        return found, spent
    return assignment, spent


def _cp_solver(params: SolveParams, effort: float, seconds: float) -> cp_model.CpSolver:
    """CP-SAT set up for one area: workers, seed, and deterministic effort with a wall-clock safety net."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = params.workers
    solver.parameters.random_seed = params.seed
    solver.parameters.log_search_progress = params.log
    if params.deterministic:
        solver.parameters.interleave_search = params.workers > 1
        solver.parameters.ignore_subsolvers.extend(FULL_SEARCHES_SKIPPED_WHEN_DETERMINISTIC)
        solver.parameters.max_deterministic_time = max(0.2, effort)
    # Presolve's search for big linear overlaps finds little here yet costs two thirds of
    # presolve's deterministic time (6 of 9 seconds at 400 clients), which is effort lost to search.
    solver.parameters.find_big_linear_overlap = False
    solver.parameters.max_time_in_seconds = seconds
    return solver


def _outcome(
    v: Vars,
    objective: Objective,
    solver: cp_model.CpSolver,
    code: int,
    warm: tuple[AreaResult, dict[int, int]],
    watch: Watch,
) -> AreaResult:
    """CP-SAT's plan for the area, or the warm start (with its values) when CP-SAT found nothing better."""
    greedy, assignment = warm
    if code == cp_model.INFEASIBLE:
        raise PlanningError("the pinned groups cannot all be kept together (conflicting leaders or rooms)")
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if (not found or solver.objective_value < greedy.objective) and _meets_every_rule(v, assignment, watch):
        greedy.bound = solver.best_objective_bound if code == cp_model.FEASIBLE else math.inf
        return greedy
    if not found:
        raise PlanningError("no valid plan was found in the time limit; allow more time")
    part = v.candidates
    members = {g: [c for c in v.members[g] if solver.value(v.join[c, g])] for g in part if solver.value(v.open[g])}
    leaders = {g: [s for s in v.leaders[g] if solver.value(v.lead[s, g])] for g in members}
    status = "optimal" if code == cp_model.OPTIMAL else "feasible"
    return AreaResult(
        status, members, leaders, solver.objective_value, solver.best_objective_bound, objective.values(solver)
    )


def _kept(v: Vars, warm: tuple[AreaResult, dict[int, int]], watch: Watch) -> AreaResult:
    """The warm start (the searches before the whole model's), when CP-SAT did not search the whole
    model: it has no bound of its own (the relaxations and the best-case cap give it)."""
    greedy, assignment = warm
    if not _meets_every_rule(v, assignment, watch):
        raise PlanningError("no valid plan was found in the time limit; allow more time")
    greedy.bound = math.inf
    return greedy


def _tighten(result: AreaResult, deadline: float) -> None:
    """Lower the area's bound to the whole model's relaxation's (`solver.modelbound`, worked out
    beside the search) where it is less, by the deadline (past it: the bound stays). Where that gave
    none, to the leader-capacity relaxation's (`solver.leaderbound`, also beside the search) and the
    seat relaxation's (`solver.lpbound`, only when the policy gives a second leader no points): each
    keeps a part of the whole model's rows, so neither is ever tighter."""
    if (lps := result.relaxed) is not None:
        relaxed = waited(lps.whole, deadline)
        found = {"model": relaxed.bound if relaxed else None, "leaders": waited(lps.leaders, deadline)}
        seconds = deadline - time.perf_counter()
        v = lps.apart
        no_bonus = not v.inst.problem.policy.weights().second_leader  # else every leader counts at its bonus
        if found["model"] is None and no_bonus and seconds > 0:
            leads = {x.index for x in v.lead.values()}
            found["seats"] = relaxation_bound(v.model, leads, BOUND_SHARE * lps.effort, seconds)
        for kind, bound in found.items():
            if bound is not None:
                result.bounds[kind] = bound
                result.bound = min(result.bound, bound)
    result.relaxed = None


def _meets_every_rule(v: Vars, assignment: dict[int, int], watch: Watch) -> bool:
    """Whether the warm start satisfies the model: it is kept only if it does."""
    fixed = v.model.clone()
    for index, value in assignment.items():
        fixed.add(fixed.get_bool_var_from_proto_index(index) == value)
    probe = cp_model.CpSolver()
    probe.parameters.num_workers = 1
    probe.parameters.max_time_in_seconds = 10.0
    return watch.run(probe, fixed, report=False) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _greedy_values(v: Vars, hint: Hint) -> dict[int, int]:
    """The greedy plan as a value of every variable, by variable index."""
    values: dict[int, int] = {}
    for g, var in v.open.items():
        values[var.index] = int(g in hint.members)
    for (c, g), var in v.join.items():
        values[var.index] = int(c in hint.members.get(g, ()))
    for (s, g), var in v.lead.items():
        values[var.index] = int(s in hint.leaders.get(g, ()))
    for c, var in v.placed.items():
        values[var.index] = int(any(c in hint.members.get(g, ()) for g in v.groups_of_client[c]))
    for var, g, size in v.large:
        values[var.index] = int(len(hint.members.get(g, ())) >= size)
    firsts: set[int] = set()
    for (c, g), var in sorted(v.first.items()):
        is_first = c in hint.members.get(g, ()) and c not in firsts
        firsts.update([c] if is_first else [])
        values[var.index] = int(is_first)
    return values


def _warm_start(v: Vars, objective: Objective, values: dict[int, int]) -> AreaResult:
    """The plan CP-SAT starts from (the greedy plan, improved by `focus`) as the area's result."""
    members = {
        g: [c for c in v.members[g] if values[v.join[c, g].index]] for g in v.candidates if values[v.open[g].index]
    }
    leaders = {g: [s for s in v.leaders[g] if values[v.lead[s, g].index]] for g in members}
    terms = objective.values_at(values)
    return AreaResult("feasible", members, leaders, sum(terms.values()), terms=terms, warm_start_kept=True)
