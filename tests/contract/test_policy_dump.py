"""A problem's policy survives its dump: a leader reach of null (anywhere) stays null, not the default 75;
the worked example's plan carries the shape its groups have."""

from __future__ import annotations

import json

from scheduler.contract import parse_plan, parse_problem, plan_shape
from tests.paths import DATA


def test_a_null_leader_reach_and_a_weight_survive_the_dump() -> None:
    data = json.loads((DATA / "tiny-problem.json").read_text(encoding="utf-8"))
    data["policy"] = {"preset": "placement", "second_leader": 900, "leader_reach_minutes": None}
    problem = parse_problem(data)
    dumped = problem.dump()
    assert dumped["policy"]["leader_reach_minutes"] is None
    again = parse_problem(dumped)
    assert again.policy == problem.policy and again.policy.leader_reach_minutes is None
    assert again.policy.weights().second_leader == 900 and again.policy.weights().group_opened == 60


def test_the_worked_example_plan_carries_its_shape() -> None:
    problem = parse_problem(json.loads((DATA / "tiny-problem.json").read_text(encoding="utf-8")))
    plan = parse_plan(json.loads((DATA / "tiny-plan.json").read_text(encoding="utf-8")))
    assert problem.policy.preset == "handbook" and problem.policy.leader_reach_minutes == 75
    assert plan.metrics.policy == "handbook"
    assert plan.metrics.shape == plan_shape(plan.groups, problem.templates)
    assert plan.metrics.shape is not None and plan.metrics.shape.sizes == {3: 1, 5: 1}
