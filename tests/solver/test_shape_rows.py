"""The shape rows of a new group (`solver.objective._shape_terms`): a whole group of any size scores
its shape in full, and the relaxation cannot buy a group's shape with a fraction of one.

Each threshold's own row lets a relaxed group of four count as 'not at its minimum' and half
'not small' at once, and a relaxed group of five or more count as 'not small' with a sixth of a
second leader; `_shape_hull` (in the solver's model) and `two_leader_rows` (added by the
benchmarks' bounds) close both, and the relaxation bound of these small problems is then the
optimum itself.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from ortools.sat.python import cp_model

from scheduler.checker import check
from scheduler.contract import POLICY_PRESETS, Plan, Problem
from solver import SolveParams, solve
from solver.modelbound import model_bound
from solver.objective import two_leader_rows
from solver.variables import Vars
from tests.builders import build, clients, leader, problem
from tests.solver.test_lpbound import area_models

EXACT = SolveParams(time_limit=20, workers=1)
HANDBOOK = POLICY_PRESETS["handbook"]


def planned(prob: Problem) -> Plan:
    plan = solve(prob, EXACT)
    assert plan.status == "optimal" and check(prob, plan) == []
    return plan


def relaxed(prob: Problem, *rows: Callable[[Vars], None]) -> int:
    """The whole model's relaxation, with these rows added."""
    [(v, _, _)] = area_models(prob)
    for row in rows:
        row(v)
    bound = model_bound(v.model, 30)
    assert bound is not None
    return bound


def one_session_leader() -> Problem:
    """Fourteen clients; aino may lead all week, mikko one session of 180 minutes."""
    return build(problem(staff=[leader("aino"), leader("mikko", weekly=180)], people=clients("c", 14)))


@pytest.mark.parametrize("size", range(3, 11))
def test_a_whole_group_of_any_size_scores_its_shape_in_full(size: int) -> None:
    """The rows never keep a whole group from counting as large enough: the terms match its size."""
    plan = planned(build(problem(people=clients("c", size))))
    [group] = plan.groups
    terms = plan.metrics.objective_terms
    assert terms is not None and len(group.participants) == size and len(group.leaders) == 2
    assert terms["small_group"] == (-HANDBOOK.small_group if size < 5 else 0)
    assert terms["fragile_group"] == (-HANDBOOK.fragile_group if size == 3 else 0)


def test_a_relaxed_group_of_four_is_not_half_a_group_of_five() -> None:
    """Four clients, two leaders: one group of four, small but not at its minimum. The relaxation
    may not count it half 'not small' too (4 ≥ 3 + 2·½ holds on the small row alone)."""
    prob = build(problem(people=clients("c", 4)))
    assert relaxed(prob) == planned(prob).metrics.objective


def test_a_group_of_five_is_not_small_only_with_a_whole_second_leader() -> None:
    """Fourteen clients; mikko may lead one session a week. Whole groups: ten with two leaders and
    four with aino alone (small). Without the two-leader rows, the relaxation runs two groups of
    seven, each with half of mikko, and counts both as not small."""
    prob = one_session_leader()
    plan = planned(prob)
    assert sorted(len(g.participants) for g in plan.groups) == [4, 10]
    assert relaxed(prob, two_leader_rows) == plan.metrics.objective
    assert relaxed(prob) == plan.metrics.objective + HANDBOOK.small_group  # the solver's own relaxation


def test_the_two_leader_rows_keep_every_whole_group() -> None:
    """With the rows in the model CP-SAT still finds the plan it finds without them."""
    prob = one_session_leader()
    [(v, _, _)] = area_models(prob)
    two_leader_rows(v)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(v.model) == cp_model.OPTIMAL
    assert round(solver.objective_value) == planned(prob).metrics.objective
