"""The LP-support search (`solver.support`): the whole model's relaxation, the candidates it
closes, and a restricted search that never costs the plan anything."""

from __future__ import annotations

import math

from scheduler.checker import check
from solver import SolveParams, solve
from solver.focus import worth
from solver.lpbound import columns, linear_row
from solver.modelbound import model_bound, relax
from solver.objective import Objective
from solver.progress import Watch
from solver.solve import _cp_solver, _greedy_values, _supported
from solver.support import SUPPORT_LEVEL, closed_outside
from solver.variables import Vars
from tests.solver.test_lpbound import scenario, scenario_models

TOLERANCE = 1e-5
"""HiGHS's interior point meets its rows within its feasibility tolerance (1e-7), scaled."""


def test_the_relaxations_values_meet_every_row_and_reach_its_bound() -> None:
    ((v, _, _),) = scenario_models(100, 1, "placement")
    relaxed = relax(v.model, 60)
    assert relaxed.values is not None and relaxed.bound is not None
    assert relaxed.bound == model_bound(v.model, 60)  # the same LP, the same certificate
    domains, gain, offset = columns(v.model.proto)
    for (lo, hi), x in zip(domains, relaxed.values, strict=True):
        assert lo - TOLERANCE <= x <= hi + TOLERANCE
    for row in filter(None, map(linear_row, v.model.proto.constraints)):
        total = math.fsum(coef * relaxed.values[i] for i, coef in row.terms)
        assert row.lo is None or total >= row.lo - TOLERANCE * (1 + abs(row.lo))
        assert row.hi is None or total <= row.hi + TOLERANCE * (1 + abs(row.hi))
    value = math.fsum(g * x for g, x in zip(gain, relaxed.values, strict=True)) + offset
    assert value <= relaxed.bound + 1e-6 * (1 + abs(value))


def support() -> tuple[Vars, Objective, dict[int, int], list[float], dict[int, int]]:
    """The scenario's area model, its objective, the greedy start, the relaxation's values and
    the candidates they close."""
    ((v, objective, hint),) = scenario_models(100, 1, "placement")
    start = _greedy_values(v, hint)
    relaxed = relax(v.model, 60).values
    assert relaxed is not None
    return v, objective, start, relaxed, closed_outside(v, relaxed, start)


def test_outside_the_support_only_candidates_no_one_uses_are_closed() -> None:
    v, _, start, relaxed, closed = support()
    opens = {var.index: g for g, var in v.open.items()}
    assert closed and set(closed) <= set(opens) and set(closed.values()) == {0}
    for index in closed:
        assert relaxed[index] < SUPPORT_LEVEL and not start[index] and not v.cand(opens[index]).pinned
    kept = set(opens) - set(closed)
    assert all(relaxed[i] >= SUPPORT_LEVEL or start[i] for i in kept)
    assert any(start[i] for i in kept) and any(relaxed[i] >= SUPPORT_LEVEL and not start[i] for i in kept)


def test_the_restricted_search_keeps_its_closed_candidates_closed_and_never_loses() -> None:
    v, objective, start, relaxed, closed = support()
    found, spent = _supported(v, objective, start, relaxed, _cp_solver(SolveParams(), 2.0, 30), Watch(None))
    assert 0 < spent and worth(objective, found) >= worth(objective, start)
    assert not any(found[index] for index in closed)


def test_a_solve_reports_the_model_bound_above_its_plan() -> None:
    problem = scenario(100, 1, "placement")
    plan = solve(problem, SolveParams(time_limit=5, seed=1))
    assert check(problem, plan) == []
    bounds, objective = plan.metrics.bounds, plan.metrics.objective
    assert bounds is not None and objective is not None and plan.metrics.bound is not None
    assert objective <= bounds["model"] and plan.metrics.bound <= bounds["model"]
    # neither is ever tighter than the model bound, so neither is worked out beside it
    assert "leaders" not in bounds and "seats" not in bounds
