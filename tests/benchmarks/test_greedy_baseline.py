"""The benchmark's first-come-first-served baseline plans validly, and the same way every time."""

from __future__ import annotations

import json
from typing import Any

import pytest

from benchmarks.greedy_baseline import greedy_plan
from scheduler.checker import check, format_report
from scheduler.contract import Plan, Problem, parse_problem
from tests.builders import build, client, clients, leader, problem, template
from tests.paths import DATA

EXAMPLES = DATA
TINY_PROBLEM = parse_problem(json.loads((EXAMPLES / "tiny-problem.json").read_text("utf-8")))


def valid(p: Problem) -> Plan:
    """The greedy plan of a problem, after the independent checker found no violation."""
    plan = greedy_plan(p)
    violations = check(p, plan)
    assert not violations, format_report(violations)
    return plan


def sheet(plan: Plan) -> dict[str, Any]:
    """The plan without its timing, which is all that may differ between two runs."""
    return plan.model_dump(exclude={"metrics": {"solve_seconds"}})


def codes(plan: Plan) -> dict[str, list[str]]:
    return {u.client: [r.code for r in u.reasons] for u in plan.unassigned}


def test_tiny_example_plan_passes_the_checker() -> None:
    plan = valid(TINY_PROBLEM)
    assert plan.metrics.placed == 8
    assert codes(plan) == {"a09": ["travel"]}
    nature = next(g for g in plan.groups if g.template == "luonto")
    assert sorted(nature.leaders) == ["aino", "mikko"]


@pytest.mark.parametrize(("size", "seed"), [(60, 0), (150, 1), (300, 2)])
def test_small_scenario_plan_passes_the_checker(size: int, seed: int) -> None:
    from scheduler.scenario import generate

    p = generate(size, seed=seed)
    plan = valid(p)
    assert plan.metrics.placed + plan.metrics.unassigned == size
    assert plan.metrics.placed > 0


def test_greedy_is_deterministic() -> None:
    from scheduler.scenario import generate

    p = generate(150, seed=4)
    assert sheet(greedy_plan(p)) == sheet(greedy_plan(p))
    assert sheet(greedy_plan(TINY_PROBLEM)) == sheet(greedy_plan(TINY_PROBLEM))


def test_fifth_participant_brings_a_second_leader() -> None:
    plan = valid(build(problem(people=clients("c", 5))))
    assert [len(g.leaders) for g in plan.groups] == [2]
    assert plan.metrics.placed == 5


def test_with_one_leader_a_group_stops_at_four() -> None:
    plan = valid(build(problem(staff=[leader("aino")], people=clients("c", 6))))
    assert plan.metrics.placed == 4
    assert codes(plan) == {"c05": ["capacity"], "c06": ["capacity"]}


def test_a_group_that_never_fills_is_cancelled() -> None:
    plan = valid(build(problem(people=clients("c", 2))))
    assert plan.groups == []
    assert codes(plan) == {"c01": ["capacity"], "c02": ["capacity"]}


def test_longest_waiting_are_seated_first() -> None:
    since = {"newest": "10", "old": "06", "older": "05", "oldest": "04"}
    waiting = [client(name, waiting_since=f"2026-{month}-01") for name, month in since.items()]
    data = problem(staff=[leader("aino")], templates=[template(max_size=3)], people=waiting)
    plan = valid(build(data))
    assert codes(plan) == {"newest": ["capacity"]}


def test_replanning_keeps_pinned_groups() -> None:
    first = greedy_plan(TINY_PROBLEM)
    art = first.groups[1].model_dump() | {"pinned": True, "new": False}
    art["participants"] = art["participants"][:2]
    again = TINY_PROBLEM.dump() | {"groups": [art]}
    plan = valid(parse_problem(again))
    kept = next(g for g in plan.groups if g.id == art["id"])
    assert kept.pinned and set(art["participants"]) <= set(kept.participants)
