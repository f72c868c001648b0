"""`--policy handbook|placement` and `--leader-reach` on `tarjotin solve` and `tarjotin plan`: the plan records the
preset, the summary shows it with the shape of the groups; a bad value is a plain error (exit code 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from api.cli.summary import histogram
from scheduler.contract import POLICY_PRESETS, parse_plan, parse_problem
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import PlanningRun
from scheduler.storage.repository import import_problem
from tests.cli.test_app import QUICK, TINY_PROBLEM, invoke, tiny
from tests.conftest import cli_database


@pytest.mark.parametrize("preset", ["placement", "handbook"])
def test_solve_records_the_chosen_preset_in_the_plan_and_the_summary(preset: str, tmp_path: Path) -> None:
    result = invoke("solve", TINY_PROBLEM, "--out", tmp_path / "plan.json", "--policy", preset, *QUICK)
    assert result.exit_code == 0, result.output
    plan = parse_plan(json.loads((tmp_path / "plan.json").read_text(encoding="utf-8")))
    assert plan.metrics.policy == preset
    text = " ".join(result.stdout.split())
    assert f"policy │ {preset}, leader reach 75 min" in text
    shape = plan.metrics.shape
    assert shape is not None and shape.groups == len(plan.groups) > 0
    share = f"{shape.two_leaders} of {shape.groups} ({100 * shape.two_leader_share:.0f} %)"
    assert f"groups with two leaders │ {share}" in text
    assert f"groups at their minimum size │ {shape.at_minimum}" in text
    assert "Groups by size (participants)" in text


def test_solve_json_carries_the_policy_and_the_shape(tmp_path: Path) -> None:
    args = ("--policy", "placement", "--leader-reach", "none", "--json", *QUICK)
    result = invoke("solve", TINY_PROBLEM, "--out", tmp_path / "plan.json", *args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["policy"] == {
        "preset": "placement",
        "weights": {"group_opened": 60, "second_leader": 0, "small_group": 0, "fragile_group": 0},
        "leader_reach_minutes": None,
    }
    plan = parse_plan(json.loads((tmp_path / "plan.json").read_text(encoding="utf-8")))
    assert plan.metrics.shape is not None
    assert summary["shape"] == json.loads(plan.metrics.shape.model_dump_json())


def test_without_the_option_the_problems_own_policy_holds(tmp_path: Path) -> None:
    data = tiny(TINY_PROBLEM)
    data["policy"] = {"preset": "placement"}
    (tmp_path / "problem.json").write_text(json.dumps(data), encoding="utf-8")
    result = invoke("solve", tmp_path / "problem.json", "--out", tmp_path / "plan.json", "--json", *QUICK)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["policy"]["preset"] == "placement"
    overridden = invoke(
        "solve", tmp_path / "problem.json", "--out", tmp_path / "p2.json", "--policy", "handbook", "--json", *QUICK
    )
    summary = json.loads(overridden.stdout)
    handbook = POLICY_PRESETS["handbook"].second_leader
    assert summary["policy"]["preset"] == "handbook" and summary["policy"]["weights"]["second_leader"] == handbook > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--policy", "bogus"), "--policy 'bogus': choose handbook or placement"),
        (("--leader-reach", "far"), "--leader-reach 'far': give whole minutes from 0 to 600, or none"),
        (("--leader-reach", "601"), "--leader-reach '601'"),
        (("--leader-reach", "-5"), "--leader-reach '-5'"),
    ],
)
def test_a_bad_policy_value_exits_2_with_a_clear_message(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    result = invoke("solve", TINY_PROBLEM, "--out", tmp_path / "plan.json", *args, *QUICK)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.stderr.split()) and "Traceback" not in result.output
    assert not (tmp_path / "plan.json").exists()


def load_tiny(engine: Engine) -> None:
    with session_scope(engine) as session:
        import_problem(session, parse_problem(tiny(TINY_PROBLEM)))


def test_plan_stores_the_chosen_policy_with_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = cli_database(tmp_path, monkeypatch, load_tiny)
    planned = invoke("plan", "--policy", "placement", "--leader-reach", "40", "--json", *QUICK)
    assert planned.exit_code == 0, planned.output
    summary = json.loads(planned.stdout)
    assert summary["policy"]["preset"] == "placement" and summary["policy"]["leader_reach_minutes"] == 40
    assert summary["diff"]["shape_before"]["groups"] == 0
    assert summary["diff"]["shape_after"] == summary["shape"]
    assert "shape: groups with two leaders 0 % →" in planned.stderr
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            run = session.scalars(select(PlanningRun)).one()
            assert run.problem["policy"]["preset"] == "placement"
            assert run.problem["policy"]["leader_reach_minutes"] == 40
            assert run.metrics is not None and run.metrics["policy"] == "placement"
    finally:
        engine.dispose()
    assert invoke("plan", "--policy", "most", *QUICK).exit_code == 2


def test_the_histogram_scales_its_bars_to_the_most_groups() -> None:
    assert histogram({3: 10, 5: 5, 7: 1}, width=10) == [(3, "█" * 10, 10), (5, "█" * 5, 5), (7, "█", 1)]
    assert histogram({}) == []
