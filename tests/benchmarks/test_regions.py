"""The regions benchmark (`benchmarks.regions`) on a small problem: its runs, checks and report."""

from __future__ import annotations

from benchmarks.regions import Job, render, run_job


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
