"""The plan summary's groups by how they run: what `tarjotin solve` prints and its `--json` says, counted
from the plan it wrote."""

from __future__ import annotations

import json
from pathlib import Path

from scheduler.contract import parse_plan, parse_problem
from tests.cli.test_files import FAST, flat, run


def test_the_summary_counts_pop_ups_closed_hybrid_and_peer_led_groups(tmp_path: Path) -> None:
    problem_file, plan_file = tmp_path / "problem.json", tmp_path / "plan.json"
    assert run("scenario", "--clients", "250", "--seed", "4", "--out", problem_file)[0] == 0
    code, output = run("solve", problem_file, "--out", plan_file, *FAST, "--json")
    assert code == 0, output
    kinds = json.loads(output[output.index("{") :])["kinds"]
    problem = parse_problem(json.loads(problem_file.read_text(encoding="utf-8")))
    plan = parse_plan(json.loads(plan_file.read_text(encoding="utf-8")))
    models = {t.id: t for t in problem.templates}
    popups = [g for g in plan.groups if models[g.template].admission == "open"]
    assert kinds["popups"] == len(popups) and 0 < len(popups) <= problem.popup_slots == kinds["popup_slots"]
    assert kinds["popup_reach"] == sorted((g.reach for g in popups), reverse=True)
    assert kinds["closed_groups"] == sum(models[g.template].admission == "closed" for g in plan.groups)
    hybrid = [g for g in plan.groups if g.modality == "hybrid"]
    assert kinds["hybrid_groups"] == len(hybrid)
    assert kinds["from_home"] + kinds["in_the_room"] == sum(len(g.participants) for g in hybrid)
    peers = {s.id for s in problem.staff if s.peer}
    assert kinds["peer_led"] == sum(bool(peers & set(g.leaders)) for g in plan.groups)
    code, text = run("solve", problem_file, "--out", plan_file, *FAST)
    assert "Groups by how they run" in text and f"{len(popups)} of {problem.popup_slots}" in flat(text)


def test_a_problem_one_plan_has_no_such_table(tmp_path: Path) -> None:
    problem_file, plan_file = tmp_path / "problem.json", tmp_path / "plan.json"
    assert run("scenario", "--clients", "60", "--no-kinds", "--out", problem_file)[0] == 0
    code, text = run("solve", problem_file, "--out", plan_file, *FAST)
    assert code == 0 and "Groups by how they run" not in text
