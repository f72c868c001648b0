"""A solve's progress on one line of stderr (a solve in this process, or a run on the planning queue): the
area being planned, plans found, the gap to the bound and the seconds left; live while a terminal shows it,
and a last line once the plan is made."""

from __future__ import annotations

import time
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.live import Live
from rich.text import Text
from sqlalchemy import select

from api.cli.common import engine, err, fail, refusals, upgrade_schema
from scheduler.contract import Plan, Problem
from scheduler.settings import get_settings

if TYPE_CHECKING:
    from scheduler.services.planning.jobs import JobOptions
    from solver import Progress

__all__ = ["ProgressLine", "plan_queued", "solve_watched"]


class ProgressLine:
    """What the solve has reported so far, rendered afresh each time the line is drawn."""

    def __init__(self, time_limit: float) -> None:
        self.time_limit = time_limit
        self.began = time.monotonic()
        self.latest: Progress | None = None

    def hear(self, progress: Progress) -> None:
        """The solver's report (from its own thread): keep the newest."""
        self.latest = progress

    def __rich__(self) -> Text:
        left = self.time_limit - (time.monotonic() - self.began)
        clock = f"at most {left:.0f} s left" if left >= 0.5 else "finishing"
        progress = self.latest
        if progress is None:
            return Text(f"planning: building the model · {clock}")
        return Text(
            f"planning: area {progress.area} of {progress.areas} · {progress.solutions} plans found · "
            f"{'' if progress.placed is None else f'{progress.placed} placed · '}"
            f"gap {_percent(_gap(progress))} · {clock}"
        )

    def done(self, plan: Plan, clients: int) -> Text:
        """The last line: how long it took, plans found, clients placed and the gap."""
        solutions = self.latest.solutions if self.latest else 0
        seconds = time.monotonic() - self.began
        return Text(
            f"planned in {seconds:.1f} s: {solutions} plans found, {plan.metrics.placed} of {clients} "
            f"clients placed, gap {_percent(plan.metrics.gap)}"
        )


def _gap(progress: Progress) -> float | None:
    """How far the best plan so far may be from the best possible, as the plan's metrics count it."""
    if progress.objective is None or progress.bound is None or not progress.objective:
        return None
    return (progress.bound - progress.objective) / abs(progress.objective)


def _percent(share: float | None) -> str:
    return "unknown" if share is None else f"{100 * share:.2f} %"


def solve_watched(
    problem: Problem,
    time_limit: float,
    workers: int = 2,
    seed: int = 0,
    log: bool = False,
    deterministic: bool = True,
    live: bool = True,
    console: Console = err,
) -> Plan:
    """Plan the problem (`solver.SolveParams` tell the knobs) with its progress on the console
    (stderr): a live line if `live` and the console is a terminal, then the last line in any case.
    A problem that cannot be planned is a plain error, exit code 2."""
    # Late: OR-Tools (and the pandas it loads) takes a second to import, which `tarjotin --help` would wait for.
    from solver import Observer, PlanningError, SolveParams, solve

    params = SolveParams(time_limit=time_limit, workers=workers, seed=seed, log=log, deterministic=deterministic)
    line = ProgressLine(time_limit)
    shown: AbstractContextManager[object] = nullcontext()
    if live and console.is_terminal:
        shown = Live(line, console=console, transient=True, refresh_per_second=4)
    try:
        with shown:
            plan = solve(problem, params, Observer(line.hear))
    except PlanningError as error:
        fail(str(error))
    console.print(line.done(plan, len(problem.clients)), highlight=False)
    return plan


def plan_queued(options: JobOptions, actor: str, live: bool = True, console: Console = err) -> int:
    """Plan the database as the service does: the run goes on the planning queue and a worker plans it (with
    no broker, a local worker process this command starts and stops), its progress followed on the console.
    Ctrl-C cancels the run. Another run planning, a failed run or a cancelled one is a plain error."""
    from scheduler.services.planning.jobs import PlanningJobs
    from scheduler.storage.database import session_scope
    from scheduler.storage.models import PlanningRun

    settings = get_settings()
    with refusals():
        upgrade_schema()
        jobs = PlanningJobs(engine(), settings=settings)
        run_id = jobs.start(options, actor)
    line = ProgressLine(options.time_limit)
    shown: AbstractContextManager[object] = nullcontext()
    if live and console.is_terminal:
        shown = Live(line, console=console, transient=True, refresh_per_second=4)
    try:
        with shown:
            while not jobs.wait(0.25, run_id):
                with session_scope(engine()) as session:
                    seen = session.scalar(select(PlanningRun.progress).where(PlanningRun.id == run_id)) or {}
                if seen.get("solutions"):
                    line.hear(_progress(seen))
    except KeyboardInterrupt:
        jobs.cancel(run_id, actor)
        jobs.wait(30, run_id)
    finally:
        jobs.shutdown()
    with session_scope(engine()) as session:
        run = session.get(PlanningRun, run_id)
        assert run is not None
        status, error, plan, clients = run.status, run.error, run.plan, len(run.problem["clients"])
        if run.progress and run.progress.get("solutions"):
            line.hear(_progress(run.progress))  # the last report, stored as the run ended
    if status != "draft" or plan is None:
        fail(f"planning run {run_id} {status}" + (f": {error}" if error else ""))
    console.print(line.done(Plan.model_validate(plan), clients), highlight=False)
    return run_id


def _progress(seen: dict[str, Any]) -> Progress:
    """A run's stored progress as the solver reports it."""
    import solver

    def number(key: str) -> float | None:
        value = seen.get(key)
        return float(value) if value is not None else None

    return solver.Progress(
        solutions=int(seen.get("solutions") or 0),
        objective=number("objective"),
        bound=number("bound"),
        elapsed_seconds=float(seen.get("elapsed_seconds") or 0.0),
        area=int(seen.get("area") or 0),
        areas=int(seen.get("areas") or 0),
    )
