"""The same problem, seed and worker count give the same plan, also when the area searches
end on their effort budget rather than proving optimality."""

from __future__ import annotations

from scheduler.scenario import generate
from solver import SolveParams, solve


def test_a_scenario_plan_is_repeatable() -> None:
    problem = generate(120, 1)
    # a wall clock far beyond the effort, so that the effort ends both searches, however busy the machine
    params = SolveParams(time_limit=120.0, effort=4.0, workers=2, seed=3)
    first, second = solve(problem, params), solve(problem, params)
    assert first.status == "feasible" or first.metrics.gap == 0
    assert [g.model_dump() for g in first.groups] == [g.model_dump() for g in second.groups]
    assert first.metrics.objective == second.metrics.objective
