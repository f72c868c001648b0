"""The second-leader weight benchmark (`benchmarks.second_leader`) on a small problem: its runs, checks and report."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.second_leader import main


def test_a_small_run_plans_checks_and_judges_each_weight(tmp_path: Path) -> None:
    out = tmp_path / "second.md"
    small = ["--regions", "tampere", "--seeds", "1", "--clients", "60", "--effort", "1"]
    assert main([*small, "--out", str(out)]) == 0
    results = json.loads(out.with_suffix(".json").read_text())
    assert [(r["job"]["kind"], r["job"]["variant"]) for r in results] == [
        ("greedy", "handbook"),
        ("solver", "mild"),
        ("solver", "handbook"),
    ]
    assert all(r["violations"] == 0 and r["placed"] > 0 for r in results)
    assert [r["job"]["effort"] for r in results] == [None, 1.0, 1.0]  # the effort, not the clock, ends each solve
    report = out.read_text()
    row = next(line for line in report.splitlines() if line.startswith("| tampere | 1 |"))
    assert row.count(" / ") == 2 * 5 and row.split("|")[-3].strip() in ("yes", "no")
    assert "| `handbook` |" in report and " of 1 |" in report and "## Machine" in report
    again = tmp_path / "again.md"
    assert main([*small, "--render", str(out.with_suffix(".json")), "--out", str(again)]) == 0
    assert again.read_text().split("## Machine")[0] == report.split("## Machine")[0]


def test_an_unknown_region_or_point_is_named() -> None:
    assert main(["--regions", "nowhere"]) == 2
    assert main(["--variants", "fierce"]) == 2
