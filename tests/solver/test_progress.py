"""Watching a solve: progress reports as CP-SAT finds plans, cancelling, and no change without an observer."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from ortools.sat.python import cp_model

from scheduler.contract import Problem
from scheduler.scenario import generate
from solver import Observer, PlanningCancelled, Progress, SolveParams, solve


@pytest.fixture(scope="module")
def scenario() -> Problem:
    """The built-in scenario with 120 clients: CP-SAT keeps improving for the whole time limit."""
    return generate(120, 1)


@pytest.fixture(scope="module")
def small() -> Problem:
    """40 clients: proved optimal in well under a second."""
    return generate(40, 2)


def test_observer_hears_each_better_plan(scenario: Problem) -> None:
    """The first plan comes after about 1.6 s on an idle machine; 10 s leaves room for a loaded one."""
    reports: list[Progress] = []
    plan = solve(scenario, SolveParams(time_limit=10), Observer(reports.append))
    found = [r for r in reports if r.solutions > 0]
    assert found, "no plan was reported"
    assert [r.solutions for r in found] == sorted(r.solutions for r in found)
    for report in found:
        assert report.objective is not None and report.bound is not None
        assert report.objective <= report.bound  # maximised: the bound is the best still possible
        assert 1 <= report.area <= report.areas
        assert report.elapsed_seconds > 0
    assert plan.metrics.bound is not None and found[-1].objective is not None
    assert found[-1].objective <= plan.metrics.bound


def test_the_observer_hears_the_plan_the_solve_returns(scenario: Problem) -> None:
    """Whichever search found it: the LP-support search reports its plans too, with the area's
    best-case cap as their bound (its own bound is the restricted model's, not the area's)."""
    reports: list[Progress] = []
    plan = solve(scenario, SolveParams(time_limit=10), Observer(reports.append))
    found = [r for r in reports if r.solutions > 0]
    assert found and found[-1].objective == pytest.approx(plan.metrics.objective)
    assert found[-1].placed == plan.metrics.placed
    assert found[-1].bound is not None and plan.metrics.bound is not None and found[-1].bound >= plan.metrics.bound


def test_the_first_report_comes_before_any_plan(small: Problem) -> None:
    reports: list[Progress] = []
    solve(small, SolveParams(time_limit=2), Observer(reports.append))
    assert reports[0].solutions == 0 and reports[0].objective is None and reports[0].area == 1


def test_cancel_stops_a_long_solve_within_a_second(scenario: Problem) -> None:
    """Measured from the cancel itself, not from the start: on a loaded machine building the model alone may
    take longer than the timer. A second on an idle machine; two more allowed for a busy CI runner, still far
    short of the 60 s the solve would take."""
    observer = Observer()
    cancelled: list[float] = []

    def cancel() -> None:
        cancelled.append(time.perf_counter())
        observer.cancel()

    timer = threading.Timer(1.5, cancel)
    timer.start()
    with pytest.raises(PlanningCancelled):
        solve(scenario, SolveParams(time_limit=60), observer)
    assert cancelled and time.perf_counter() - cancelled[0] < 1.0 + 2.0


def test_a_solve_cancelled_before_it_starts_plans_nothing(small: Problem) -> None:
    observer = Observer()
    observer.cancel()
    began = time.perf_counter()
    with pytest.raises(PlanningCancelled):
        solve(small, SolveParams(time_limit=30), observer)
    assert time.perf_counter() - began < 2.0


def test_without_observer_cp_sat_runs_as_before(small: Problem, monkeypatch: pytest.MonkeyPatch) -> None:
    """No solution callback and no watcher thread: the search is exactly the plain one (the
    leader bound's LP thread, `tarjotin-bound`, may run beside it)."""
    callbacks: list[Any] = []
    plain = cp_model.CpSolver.solve

    def others() -> int:
        return sum(not t.name.startswith("tarjotin-bound") for t in threading.enumerate())

    def recording(self: cp_model.CpSolver, model: cp_model.CpModel, callback: Any = None) -> Any:
        callbacks.append(callback)
        assert others() == before
        return plain(self, model, callback)

    monkeypatch.setattr(cp_model.CpSolver, "solve", recording)
    before = others()
    solve(small, SolveParams(time_limit=2))
    assert callbacks and all(callback is None for callback in callbacks)


def test_same_plan_twice_without_observer_and_same_value_with_one(small: Problem) -> None:
    def groups(problem: Problem, observer: Observer | None = None) -> tuple[Any, float | None]:
        plan = solve(problem, SolveParams(time_limit=5), observer)
        return [g.model_dump() for g in plan.groups], plan.metrics.objective

    first, second = groups(small), groups(small)
    watched = groups(small, Observer())
    assert first == second
    assert watched[1] == first[1]


def test_reports_count_the_clients_placed(small: Problem) -> None:
    reports: list[Progress] = []
    plan = solve(small, SolveParams(time_limit=5), Observer(reports.append))
    found = [r for r in reports if r.solutions > 0]
    assert found, "no plan was reported"
    assert all(r.placed is not None and 0 <= r.placed <= len(small.clients) for r in found)
    last = found[-1].placed
    assert last is not None and 0 < last <= plan.metrics.placed
