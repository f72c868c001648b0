"""The whole model's relaxation (`solver.modelbound`): valid, tighter than the projections, quiet."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, seed, settings
from ortools.sat.python import cp_model

from solver import SolveParams, solve
from solver.leaderbound import leader_bound
from solver.lpbound import linear_row
from solver.modelbound import MIP_MARGIN, branch_and_bound, model_bound
from tests.solver.test_lpbound import proven_optima, scenario, scenario_models, tiny_model
from tests.solver.test_properties import SEED, SETTINGS, problems


@seed(SEED)
@settings(max_examples=25, **SETTINGS)
@given(problems())
def test_the_model_bound_is_never_below_the_proven_optimum(data: dict[str, Any]) -> None:
    for v, optimum in proven_optima(data):
        assert (bound := model_bound(v.model, 30)) is not None and bound >= optimum
        # branch and bound over the same rows closes in on the optimum from above
        assert (closer := branch_and_bound(v.model, 30)) is not None
        assert optimum <= closer <= bound + MIP_MARGIN * (1 + abs(bound))


def test_the_tiny_models_bound_is_its_relaxation() -> None:
    model, optimum = tiny_model()
    assert model_bound(model, 5) == optimum  # the LP optimum is integral here
    assert branch_and_bound(model, 5) == optimum


def test_a_bool_or_is_a_row_of_its_literals() -> None:
    """At least one of a, not b: a + (1 - b) >= 1, that is a - b >= 0."""
    model = cp_model.CpModel()
    a, b = model.new_bool_var("a"), model.new_bool_var("b")
    model.add_bool_or([a, b.negated()])
    model.maximize(3 * b - 2 * a)
    row = linear_row(model.proto.constraints[0])
    assert row is not None and (sorted(row.terms), row.lo, row.hi) == ([(0, 1), (1, -1)], 0, None)
    assert model_bound(model, 5) == 1  # b needs a: 3 - 2


def test_on_the_scenario_it_lies_between_the_plan_and_the_leader_bound() -> None:
    """It keeps every row the leader bound keeps and the leaders' own: never looser, never below a plan."""
    plan = solve(scenario(100, 1, "placement"), SolveParams(time_limit=5, seed=1))
    ((v, _, _),) = scenario_models(100, 1, "placement")
    bound, projected = model_bound(v.model, 60), leader_bound(v, 5)
    assert plan.metrics.objective is not None and bound is not None and projected is not None
    assert plan.metrics.objective <= bound <= projected


def test_it_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    """HiGHS logs to stdout by default (a banner even before options are set): a CLI user sees none of it."""
    ((v, _, _),) = scenario_models(100, 1)
    assert model_bound(v.model, 60) is not None
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""
