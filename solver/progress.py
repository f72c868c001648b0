"""Watching a solve: progress as CP-SAT finds plans, and a way to stop it early.

A caller hands `solve` an `Observer`. The observer hears a `Progress` report when an
area's search starts and whenever CP-SAT finds a better plan, and it may `cancel()`
from any thread: a watcher thread then stops CP-SAT within about a tenth of a second,
even when no new plan is arriving, and `solve` raises `PlanningCancelled`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from ortools.sat.python import cp_model
from ortools.sat.python.cp_model import IntVar

__all__ = ["Observer", "PlanningCancelled", "Progress", "Watch"]

POLL_SECONDS = 0.1


class PlanningCancelled(RuntimeError):
    """The caller asked the solve to stop before it finished; no plan is returned."""


@dataclass(frozen=True)
class Progress:
    """How far a solve is: plans found, their value and the best value still possible.

    `objective` and `bound` add up the areas planned so far and the one being planned
    (the objective is maximised, so `objective <= bound`); `area` counts from 1.
    """

    solutions: int
    objective: float | None
    bound: float | None
    elapsed_seconds: float
    area: int
    areas: int
    placed: int | None = None
    """Clients placed by the best plans so far (the areas done and the current one's latest)."""


class Observer:
    """Hears a solve's progress and may ask it to stop; `cancel` is safe from any thread."""

    def __init__(self, on_progress: Callable[[Progress], None] | None = None) -> None:
        self._on_progress = on_progress
        self._stop = threading.Event()
        self.latest: Progress | None = None

    def cancel(self) -> None:
        """Ask the solve to stop as soon as it can."""
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def report(self, progress: Progress) -> None:
        """Called by the solve; keeps the latest report and passes it on."""
        self.latest = progress
        if self._on_progress is not None:
            self._on_progress(progress)


class Watch:
    """One solve's link to its observer, over the areas in turn; without an observer it does nothing.

    Without an observer `run` is exactly `solver.solve(model)`, so plans stay the same.
    """

    def __init__(self, observer: Observer | None, areas: int = 1) -> None:
        self.observer = observer
        self.began = time.perf_counter()
        self.areas, self.area = areas, 0
        self.solutions = 0
        self._done_objective = self._done_bound = 0.0
        self._done_placed = self._area_placed = 0
        self._solver: cp_model.CpSolver | None = None
        self._lock = threading.Lock()

    def check(self) -> None:
        """Raise `PlanningCancelled` if the observer asked to stop."""
        if self.observer is not None and self.observer.cancelled:
            raise PlanningCancelled("the planning run was cancelled")

    def start_area(self) -> None:
        """The next area's search begins."""
        self.check()
        self.area += 1
        self._area_placed = 0
        if self.area == 1:
            self._report(None, None)
        else:
            self._report(self._done_objective, self._done_bound, self._done_placed)

    def area_done(self, objective: float, bound: float) -> None:
        """An area is planned: its value and bound join the totals."""
        self._done_objective += objective
        self._done_bound += max(bound, objective)
        self._done_placed += self._area_placed

    def run(
        self,
        solver: cp_model.CpSolver,
        model: cp_model.CpModel,
        report: bool = True,
        placed: Sequence[IntVar] = (),
        cap: float | None = None,
    ) -> int:
        """Solve the model; with an observer, report its plans (and how many `placed` are set) and stop it when
        cancelled. A model restricted from the area's reports `cap` (a bound of the area's) as its plans'
        bound: its own bound is not one of the area's."""
        if self.observer is None:
            return int(solver.solve(model))
        with self._attached(solver):
            code = solver.solve(model, _Reporter(self, placed, cap) if report else None)
        self.check()
        return int(code)

    def found(self, objective: float, bound: float, placed: int = 0) -> None:
        """CP-SAT found a better plan for the current area, placing `placed` of its clients."""
        self.solutions += 1
        self._area_placed = placed
        self._report(
            self._done_objective + objective, self._done_bound + max(bound, objective), self._done_placed + placed
        )

    def _report(self, objective: float | None, bound: float | None, placed: int | None = None) -> None:
        if self.observer is not None:
            elapsed = round(time.perf_counter() - self.began, 3)
            where = max(self.area, 1)
            self.observer.report(Progress(self.solutions, objective, bound, elapsed, where, self.areas, placed))

    @contextmanager
    def _attached(self, solver: cp_model.CpSolver) -> Iterator[None]:
        """The solver is stoppable while inside: a watcher thread stops it once cancelled."""
        finished = threading.Event()
        with self._lock:
            self._solver = solver
        watcher = threading.Thread(target=self._watch, args=(finished,), name="cp-sat-watch", daemon=True)
        watcher.start()
        try:
            self.check()
            yield
        finally:
            finished.set()
            watcher.join()
            with self._lock:
                self._solver = None

    def _watch(self, finished: threading.Event) -> None:
        assert self.observer is not None
        while not finished.wait(POLL_SECONDS):
            if self.observer.cancelled:
                with self._lock:  # again each turn: a stop sent before CP-SAT started is lost
                    if self._solver is not None:
                        self._solver.stop_search()


class _Reporter(cp_model.CpSolverSolutionCallback):
    """CP-SAT calls this on every better plan it finds."""

    def __init__(self, watch: Watch, placed: Sequence[IntVar], cap: float | None = None) -> None:
        super().__init__()
        self._watch = watch
        self._placed = placed
        self._cap = cap

    def on_solution_callback(self) -> None:
        placed = sum(self.boolean_value(var) for var in self._placed)
        bound = self.best_objective_bound if self._cap is None else self._cap
        self._watch.found(self.objective_value, bound, placed)
