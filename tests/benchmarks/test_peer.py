"""The local-search peer: a valid plan, better than the coordinator's greedy, under both policies."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks.greedy_baseline import greedy_plan
from benchmarks.peer import peer_plan
from scheduler.checker import check
from scheduler.contract import Problem, parse_plan
from scheduler.scenario import generate


def _with(problem: Problem, preset: str) -> Problem:
    return problem.model_copy(update={"policy": problem.policy.model_copy(update={"preset": preset})})


@pytest.mark.parametrize("preset", ["placement", "handbook"])
def test_peer_plan_checks_clean_and_beats_greedy(preset: str) -> None:
    problem = _with(generate(100, 1), preset)
    greedy = greedy_plan(problem)
    plan = peer_plan(problem, seconds=5, seed=0)
    assert check(problem, plan) == []
    assert plan.metrics.policy == preset
    assert plan.metrics.placed + plan.metrics.unassigned == len(problem.clients)
    assert plan.metrics.placed > greedy.metrics.placed


def test_peer_keeps_leaders_within_the_county_reach() -> None:
    problem = generate(100, 2)
    tight = problem.model_copy(update={"policy": problem.policy.model_copy(update={"leader_reach_minutes": 20})})
    plan = peer_plan(tight, seconds=3, seed=1)
    assert [v for v in check(tight, plan) if v.key == "leader_within_reach"] == []
    assert check(tight, plan) == []


def test_command_line_writes_a_plan(tmp_path) -> None:  # type: ignore[no-untyped-def]
    problem = generate(60, 3)
    source = tmp_path / "problem.json"
    source.write_text(json.dumps(problem.dump()), encoding="utf-8")
    out = tmp_path / "plan.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.peer", str(source), "--seconds", "2", "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    plan = parse_plan(json.loads(out.read_text(encoding="utf-8")))
    assert check(problem, plan) == []
    assert f"placed {plan.metrics.placed}/60" in done.stdout
