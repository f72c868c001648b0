"""The bound's anatomy (`benchmarks.bound_anatomy`) on a small problem: the relaxation's primal is read
consistently, the bounds are ordered as the models nest, and each covers a real plan."""

from __future__ import annotations

from benchmarks.bound_anatomy import anatomy, render, with_branching, with_plan
from solver.modelbound import MIP_MARGIN


def test_the_relaxation_is_read_and_bounds_a_plan() -> None:
    found = with_plan(anatomy("kainuu", 1, clients=60), seconds=4, clients=60)
    assert 0 < found.whole <= found.groups
    assert 0 < found.open_sum <= found.groups
    assert found.half_second <= found.groups
    # seats of an open unit stay within the rules' sizes: at least the smallest group, at most the largest
    assert 3 - 1e-6 <= found.mean_size <= 10 + 1e-6
    assert found.placed is not None and found.objective is not None
    # the relaxation of the solver's own (pruned) model bounds its plan (here CP-SAT proves the plan optimal)
    assert found.bound >= found.objective
    # the whole model keeps every row of the leader relaxation and the leaders' own; the unpruned model
    # holds every plan of the pruned one
    assert found.model_pruned is not None and found.model_unpruned is not None
    assert found.objective <= found.model_pruned <= found.bound
    assert found.model_pruned <= found.model_unpruned
    report = render([found], "2026-12-02", 4)
    rows = [line for line in report.splitlines() if line.startswith("| kainuu | 1 | placement |")]
    assert len(rows) == 2 and f"| {found.placed} |" in rows[1] and f"{found.model_unpruned:,}" in rows[1]
    assert "## Machine" in report


def test_branching_lies_between_the_plan_and_the_relaxation() -> None:
    found = with_branching(with_plan(anatomy("kainuu", 2, clients=40), seconds=4, clients=40), seconds=20, clients=40)
    assert found.objective is not None and found.model_unpruned is not None and found.branch_unpruned is not None
    assert found.objective <= found.branch_unpruned <= found.model_unpruned + MIP_MARGIN * (1 + found.model_unpruned)
    row = render([found], "2026-12-05", 4, 20).splitlines()
    assert any(f"| {found.branch_unpruned:,} |" in line for line in row)
