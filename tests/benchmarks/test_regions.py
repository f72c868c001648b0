"""The regions benchmark (`benchmarks.regions`) on a small problem: its runs, checks and report."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.regions import Job, main, render, run_job


def test_a_small_run_is_checked_measured_and_reported() -> None:
    runs = [
        Job("greedy", "tampere", 1, 60),
        Job("solver", "tampere", 1, 60, "handbook", seconds=4),
        Job("solver", "tampere", 1, 60, "placement", seconds=4),
        Job("bound", "tampere", 1, 60, "placement"),
    ]
    results = [run_job(job) for job in runs]
    assert [r.error for r in results] == [None] * 4
    greedy, handbook, placement, bound = results
    assert greedy.violations == 0 and handbook.violations == 0 and placement.violations == 0
    assert handbook.placed is not None and greedy.placed is not None and handbook.placed > greedy.placed
    assert handbook.two_leader_share is not None and placement.two_leader_share is not None
    assert handbook.two_leader_share >= placement.two_leader_share
    # the unpruned model's bound covers more plans than the pruned model's, so it is no lower
    assert bound.bound is not None and placement.objective is not None and bound.bound >= placement.objective
    report = render(results, "2026-12-02", 4)
    assert "| tampere | 1 |" in report and "## Machine" in report
    row = next(line for line in report.splitlines() if line.startswith("| tampere | 1 |"))
    assert row.endswith("| yes |") or row.endswith("| no |")


def test_a_failed_run_is_reported_not_raised() -> None:
    [result] = [run_job(Job("solver", "nowhere", 1, 60))]
    assert result.error is not None and "nowhere" in result.error
    assert "Runs that failed" in render([result], "2026-12-02", 4)


def test_kinds_choose_the_runs_and_render_joins_them_with_earlier_results(tmp_path: Path) -> None:
    small = ["--regions", "tampere", "--seeds", "1", "--clients", "60", "--seconds", "4"]
    greedy, bound, joined = tmp_path / "greedy.md", tmp_path / "bound.md", tmp_path / "joined.md"
    assert main([*small, "--kinds", "greedy", "--out", str(greedy)]) == 0
    assert main([*small, "--kinds", "bound", "--out", str(bound)]) == 0
    kinds = [{r["job"]["kind"] for r in json.loads(f.with_suffix(".json").read_text())} for f in (greedy, bound)]
    assert kinds == [{"greedy"}, {"bound"}]
    assert main([*small, "--render", str(greedy.with_suffix(".json")), str(bound.with_suffix(".json")),
                 "--out", str(joined)]) == 0  # fmt: skip
    report = joined.read_text()
    greedy_row = next(line for line in report.splitlines() if line.startswith("| tampere | 1 |"))
    assert "— / " in greedy_row  # the greedy's figures, no solver's
    bound_row = [line for line in report.splitlines() if line.startswith("| tampere | placement |")][-1]
    assert bound_row.split("|")[-3].strip().replace(",", "").isdigit()  # the unpruned bound, from the other file
