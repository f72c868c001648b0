"""`tarjotin simulate`: a short season from the command line, its report files, and every refusal in plain words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from scheduler.services.simulation.report import REPORT_SCHEMA
from scheduler.services.simulation.world import World

runner = CliRunner()
SHORT = ["simulate", "--clients", "20", "--weeks", "2", "--effort", "0.3", "--seed", "4"]


def test_two_policies_side_by_side_in_one_report(tmp_path: Path) -> None:
    out, html, keep = tmp_path / "season.json", tmp_path / "season.html", tmp_path / "databases"
    world = tmp_path / "world.json"
    world.write_text(json.dumps({"accept": 0.9, "decline": 0.05}), encoding="utf-8")
    args = [*SHORT, "--policy", "handbook", "--policy", "placement@120", "--world", str(world)]
    result = runner.invoke(app, [*args, "--out", str(out), "--html", str(html), "--lang", "fi", "--keep", str(keep)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["schema"] == REPORT_SCHEMA and report["weeks"] == 2 and report["clients"] == 20
    assert [p["label"] for p in report["policies"]] == ["handbook", "placement@120"]
    assert report["policies"][1]["leader_reach_minutes"] == 120
    stated = {a["name"]: a for a in report["world"]}
    assert stated["accept"]["value"] == 0.9 and stated["decision_months"]["source"] == "handbook"
    assert set(stated) == set(World.model_fields)
    assert report["solve"]["effort"] == 0.3
    assert sorted(p.name for p in keep.glob("*.db")) == ["season-1.db", "season-2.db"]
    page = html.read_text(encoding="utf-8")
    assert page.lower().startswith("<!doctype html>") and "<svg" in page and "<script" not in page
    said = " ".join(result.output.split())
    assert "handbook · week 2" in said and "median wait, days" in said and f"report: {out}" in said


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--policy", "bold"], "policy: 'bold': the preset is one of handbook, placement"),
        (["--policy", "handbook@far"], "after '@' give whole minutes from 0 to 600, or none"),
        (["--policy", "handbook", "--policy", "handbook"], "each policy once"),
        (["--region", "atlantis"], "--region 'atlantis': choose one of"),
        (["--lang", "de"], "--lang 'de': choose fi, sv or en"),
    ],
)
def test_a_bad_option_is_refused_naming_it(tmp_path: Path, args: list[str], says: str) -> None:
    out = tmp_path / "season.json"
    result = runner.invoke(app, [*SHORT, *args, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert says in " ".join(result.output.split()) and "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("world", "says"),
    [
        ({"accept": 1.5}, "accept: Input should be less than or equal to 1"),
        ({"accept": 0.8, "decline": 0.4}, "add up to more than 1"),
        ({"acceptance": 0.5}, "acceptance: Extra inputs are not permitted"),
        ([0.5], "give the world as a JSON object"),
    ],
)
def test_a_bad_world_file_is_refused_naming_the_assumption(tmp_path: Path, world: object, says: str) -> None:
    path = tmp_path / "world.json"
    path.write_text(json.dumps(world), encoding="utf-8")
    result = runner.invoke(app, [*SHORT, "--world", str(path)])
    assert result.exit_code == 2 and says in " ".join(result.output.split()), result.output


def test_a_weeks_count_out_of_range_is_a_usage_error() -> None:
    result = runner.invoke(app, ["simulate", "--weeks", "0"])
    assert result.exit_code == 64 and "--weeks" in result.output
