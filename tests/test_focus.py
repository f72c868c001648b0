"""The focused search around unplaced clients (`solver.focus`): never worse, always valid, repeatable."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.scenario import generate
from solver import SolveParams
from solver.candidates import Limits, build_instance, trim_options
from solver.focus import focus
from solver.objective import Objective, build_objective
from solver.progress import Watch
from solver.rules import add_all
from solver.solve import _cp_solver, _greedy_values
from solver.variables import Vars
from solver.warmstart import greedy_hint


def scenario_area(clients: int, seed: int) -> tuple[Vars, Objective, dict[int, int]]:
    """The scenario's one area as `solve` builds it, with the greedy plan's values."""
    limits = Limits()
    inst = build_instance(generate(clients, seed=seed), limits)
    hint = greedy_hint(inst, list(range(len(inst.candidates))))
    v = Vars(inst, trim_options(inst, limits.options_per_client, hint.members))
    add_all(v)
    return v, build_objective(v), _greedy_values(v, hint)


def run_focus(v: Vars, objective: Objective, start: dict[int, int], effort: float) -> tuple[dict[int, int], float]:
    params = SolveParams(seed=1)
    return focus(v, objective, start, effort, 60, lambda e, s: _cp_solver(params, e, s), Watch(None))


def worth(objective: Objective, values: dict[int, int]) -> float:
    return sum(objective.values_at(values).values())


def meets_the_model(v: Vars, values: dict[int, int]) -> bool:
    fixed = v.model.Clone()
    for index, value in values.items():
        fixed.Add(fixed.GetBoolVarFromProtoIndex(index) == value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return solver.Solve(fixed) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def placed(v: Vars, values: dict[int, int]) -> int:
    return sum(values[var.Index()] for var in v.placed.values())


def test_focus_seats_more_clients_than_the_greedy_start_and_keeps_every_rule() -> None:
    v, objective, start = scenario_area(400, seed=2)
    better, spent = run_focus(v, objective, start, effort=2)
    assert placed(v, better) > placed(v, start)
    assert worth(objective, better) > worth(objective, start)
    assert 0 < spent < 2 + 1  # no step starts once the effort is spent; one may overrun its limit a little
    assert meets_the_model(v, better)


def test_focus_is_repeatable_and_spends_nothing_without_effort() -> None:
    v, objective, start = scenario_area(100, seed=1)
    first, second = run_focus(v, objective, start, effort=1), run_focus(v, objective, start, effort=1)
    assert first == second
    assert run_focus(v, objective, start, effort=0) == (start, 0.0)
