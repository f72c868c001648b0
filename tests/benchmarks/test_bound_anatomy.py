"""The bound's anatomy (`benchmarks.bound_anatomy`) on a small problem: the relaxation's primal is read
consistently, the bounds are ordered as the models nest, and each covers a real plan."""

from __future__ import annotations

from benchmarks.bound_anatomy import (
    _holds,
    anatomy,
    render,
    with_branching,
    with_plan,
    with_pruned_branching,
    with_pruning_lifted,
)
from solver.modelbound import MIP_MARGIN, Branching
from tests.solver.test_lpbound import scenario_models


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


def test_each_pruning_lifted_lies_between_the_pruned_and_the_unpruned_relaxation() -> None:
    found = with_pruning_lifted(anatomy("lappi", 1, clients=60), clients=60)
    assert None not in (found.model_pruned, found.all_leaders, found.all_options, found.model_unpruned)
    # every option keeps the solver's candidates and adds options: it nests between the two; every
    # leader changes the greedy start the options are trimmed by, so it nests only in the unpruned model
    assert found.model_pruned <= found.all_options <= found.model_unpruned  # type: ignore[operator]
    assert found.all_leaders <= found.model_unpruned  # type: ignore[operator]
    report = render([found], "2026-12-06", None)
    assert f"| {found.all_leaders:,} | {found.all_options:,} |" in report


def test_branching_the_pruned_model_finds_a_plan_cp_sat_accepts() -> None:
    found = with_pruned_branching(with_plan(anatomy("kainuu", 2, clients=40), seconds=4, clients=40), 20, clients=40)
    assert found.objective is not None and found.branch_pruned is not None and found.branch_found is not None
    # both plans are plans of this model: neither is above its proven bound, and the bound is no looser than the LP's
    assert found.objective <= found.branch_pruned and found.branch_found <= found.branch_pruned
    assert found.model_pruned is not None
    assert found.branch_pruned <= found.model_pruned + MIP_MARGIN * (1 + found.model_pruned)
    report = render([found], "2026-12-06", 4)
    assert f"| {found.branch_pruned:,} |" in report and f"| {found.branch_found:,} |" in report


def test_a_solution_that_breaks_a_rule_is_not_counted() -> None:
    ((v, _, _),) = scenario_models(40, 1)
    broken = Branching(bound=None, found=0, values=[1] * len(v.model.proto.variables))  # every group open, all in
    assert not _holds(v.model, broken)
    assert not _holds(v.model, Branching(bound=None, found=None))
