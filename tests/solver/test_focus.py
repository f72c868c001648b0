"""The focused search around unplaced clients (`solver.focus`): never worse, always valid, repeatable."""

from __future__ import annotations

import itertools

from solver import Observer, Progress, SolveParams
from solver.focus import focus
from solver.objective import Objective
from solver.progress import Watch
from solver.solve import _cp_solver, _greedy_values, _meets_every_rule
from solver.variables import Vars
from tests.solver.test_lpbound import scenario_models


def scenario_area(clients: int, seed: int, preset: str = "handbook") -> tuple[Vars, Objective, dict[int, int]]:
    """The scenario's one area as `solve` builds it, with the greedy plan's values."""
    ((v, objective, hint),) = scenario_models(clients, seed, preset)
    return v, objective, _greedy_values(v, hint)


def run_focus(
    v: Vars, objective: Objective, start: dict[int, int], effort: float, watch: Watch | None = None
) -> tuple[dict[int, int], float]:
    params = SolveParams(seed=1)
    return focus(v, objective, start, effort, 60, lambda e, s: _cp_solver(params, e, s), watch or Watch(None))


def worth(objective: Objective, values: dict[int, int]) -> float:
    return sum(objective.values_at(values).values())


def placed(v: Vars, values: dict[int, int]) -> int:
    return sum(values[var.index] for var in v.placed.values())


def test_focus_seats_more_clients_than_the_greedy_start_and_keeps_every_rule() -> None:
    v, objective, start = scenario_area(400, seed=2, preset="placement")  # clients placed first
    better, spent = run_focus(v, objective, start, effort=2)
    assert placed(v, better) > placed(v, start)
    assert worth(objective, better) > worth(objective, start)
    assert 0 < spent < 2 + 1  # no step starts once the effort is spent; one may overrun its limit a little
    assert _meets_every_rule(v, better, Watch(None))


def test_focus_improves_the_handbook_plan_and_keeps_every_rule() -> None:
    v, objective, start = scenario_area(400, seed=2)  # a shape the greedy start does not have is worth points
    better, _ = run_focus(v, objective, start, effort=2)
    assert worth(objective, better) > worth(objective, start)
    assert _meets_every_rule(v, better, Watch(None))


def test_focus_is_repeatable_and_spends_nothing_without_effort() -> None:
    v, objective, start = scenario_area(100, seed=1)
    first, second = run_focus(v, objective, start, effort=1), run_focus(v, objective, start, effort=1)
    assert first == second
    assert run_focus(v, objective, start, effort=0) == (start, 0.0)


def test_focus_reports_each_better_plan_it_keeps() -> None:
    """A solve whose plan comes from the focused steps reports it: the progress line must not say
    "0 plans found" beside the clients it placed."""
    v, objective, start = scenario_area(400, seed=2)
    reports: list[Progress] = []
    better, _ = run_focus(v, objective, start, effort=2, watch=Watch(Observer(reports.append)))
    assert reports, "no better plan was reported"
    assert all(
        a.objective is not None and b.objective is not None and a.objective < b.objective
        for a, b in itertools.pairwise(reports)
    )
    assert [r.solutions for r in reports] == list(range(1, len(reports) + 1))
    last = reports[-1]
    assert last.objective == worth(objective, better) and last.placed == placed(v, better)
    assert last.bound == objective.best_case >= worth(objective, better)
