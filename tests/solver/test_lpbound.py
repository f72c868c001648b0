"""The seat relaxation's bound (`solver.lpbound`): valid, and tighter than the best-case cap.

Valid means never below the best plan there is: checked against CP-SAT's proven optimum
on random small problems, and for the weak-duality step itself with arbitrary
multipliers on a tiny model whose optimum is known by enumeration.
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from scheduler.contract import Problem, parse_problem
from scheduler.scenario import generate
from solver import SolveParams, models, solve
from solver.candidates import Limits
from solver.leaderbound import leader_bound
from solver.lpbound import certificate, linear_row, relaxation_bound
from solver.objective import Objective
from solver.variables import Vars
from solver.warmstart import Hint
from tests.solver.test_properties import SEED, SETTINGS, problems


def area_models(problem: Problem) -> list[tuple[Vars, Objective, Hint]]:
    """The solver's models, one per area, as `solve` builds them, and the greedy plan they start from."""
    return models.area_models(problem, Limits())


def scenario(clients: int, seed: int, preset: str = "handbook") -> Problem:
    """The built-in scenario under a policy preset."""
    problem = generate(clients, seed=seed)
    return problem.model_copy(update={"policy": problem.policy.model_copy(update={"preset": preset})})


@cache
def scenario_models(clients: int, seed: int, preset: str = "handbook") -> list[tuple[Vars, Objective, Hint]]:
    """`area_models` of the built-in scenario, built once per session: the bound and the focused
    search read these models (the focused search on a clone) and never change them."""
    return area_models(scenario(clients, seed, preset))


def leaders(v: Vars) -> set[int]:
    return {x.index for x in v.lead.values()}


@seed(SEED)
@settings(max_examples=25, **SETTINGS)
@given(problems())
def test_the_bound_is_never_below_the_proven_optimum(data: dict[str, Any]) -> None:
    for v, optimum in proven_optima(data):
        assert relaxation_bound(v.model, leaders(v), 5) >= optimum


def proven_optima(data: dict[str, Any]) -> list[tuple[Vars, int]]:
    """Each area model of a small problem with the optimum CP-SAT proves for it."""
    found = []
    for v, _, _ in area_models(parse_problem(data)):
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = 30  # small problems: proven optimal well before
        assert solver.solve(v.model) == cp_model.OPTIMAL
        found.append((v, round(solver.objective_value)))
    return found


def tiny_model() -> tuple[cp_model.CpModel, int]:
    """Three yes/no choices, at most one of the first two, at least two in all; and its optimum."""
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(3)]
    model.add_at_most_one(x[:2])
    model.add(sum(x) >= 2)
    weights = [7, 5, -3]
    model.maximize(sum(w * var for w, var in zip(weights, x, strict=True)))
    feasible = [p for p in itertools.product((0, 1), repeat=3) if p[0] + p[1] <= 1 and sum(p) >= 2]
    return model, max(sum(w * b for w, b in zip(weights, p, strict=True)) for p in feasible)


@given(st.lists(st.floats(-50, 50), min_size=2, max_size=2))
def test_weak_duality_holds_for_any_multipliers(duals: list[float]) -> None:
    model, optimum = tiny_model()
    proto = model.proto
    rows = [row for row in map(linear_row, proto.constraints) if row]
    domains = [(0, 1)] * 3
    gain = [proto.objective.scaling_factor * c for c in proto.objective.coeffs]
    assert certificate(domains, rows, gain, duals) >= optimum


def test_the_tiny_models_bound_is_its_relaxation() -> None:
    model, optimum = tiny_model()
    assert optimum == 4  # x0 and x2
    assert relaxation_bound(model, set(), 1) == optimum  # here the LP optimum is integral


def test_on_the_scenario_the_bound_is_tighter_than_the_best_case_and_above_the_plan() -> None:
    """Under the placement policy the seat relaxation is tight; the leader bound is tighter still."""
    plan = solve(scenario(100, 1, "placement"), SolveParams(time_limit=5, seed=1))
    ((v, objective, _),) = scenario_models(100, 1, "placement")
    bound = relaxation_bound(v.model, leaders(v), 2)
    assert plan.metrics.objective is not None and plan.metrics.bound is not None
    assert plan.metrics.objective <= bound < objective.best_case
    assert plan.metrics.bound <= bound
    assert plan.metrics.objective <= (with_leaders := leader_bound(v, 2)) is not None
    assert with_leaders is not None and with_leaders <= bound


def test_with_a_second_leader_valued_only_the_leader_bound_stays_below_the_best_case() -> None:
    """The handbook values a second leader: the seat relaxation counts every leader variable
    at its best and is useless, the leader bound projects them out and stays near the plan."""
    plan = solve(scenario(100, 1), SolveParams(time_limit=5, seed=1))
    ((v, objective, _),) = scenario_models(100, 1)
    bound = leader_bound(v, 2)
    assert plan.metrics.objective is not None and bound is not None
    assert relaxation_bound(v.model, leaders(v), 2) > objective.best_case > bound >= plan.metrics.objective
    # the plan reports the whole model's relaxation, which keeps every row the leader bound projects
    assert plan.metrics.bounds is not None and "leaders" not in plan.metrics.bounds
    assert plan.metrics.objective <= plan.metrics.bounds["model"] <= bound


@seed(SEED)
@settings(max_examples=25, **SETTINGS)
@given(problems())
def test_the_leader_bound_is_never_below_the_proven_optimum(data: dict[str, Any]) -> None:
    for v, optimum in proven_optima(data):
        assert (bound := leader_bound(v, 5)) is not None and bound >= optimum


def test_an_lp_stopped_before_any_duals_gives_no_bound_and_stays_quiet(capfd: pytest.CaptureFixture[str]) -> None:
    ((v, _, _),) = scenario_models(100, 1)
    assert relaxation_bound(v.model, leaders(v), effort=1e-9) is None
    assert "No solution exists" not in capfd.readouterr().err
