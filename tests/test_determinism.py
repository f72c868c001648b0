"""The same problem, seed and worker count give the same plan, also when the area searches
end on their effort budget rather than proving optimality."""

from __future__ import annotations

from scheduler.scenario import generate
from solver import SolveParams, solve


def test_a_scenario_plan_is_repeatable() -> None:
    problem = generate(120, 1)
    params = SolveParams(time_limit=12.0, workers=2, seed=3)  # room for the effort to end before the clock
    first, second = solve(problem, params), solve(problem, params)
    assert first.status == "feasible" or first.metrics.gap == 0
    assert [g.model_dump() for g in first.groups] == [g.model_dump() for g in second.groups]
    assert first.metrics.objective == second.metrics.objective
