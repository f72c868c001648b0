"""Benchmark: the CP-SAT planner beside a first-come-first-served coordinator.

For each size of waiting list the built-in Western Uusimaa scenario is planned twice,
by the solver and by the greedy baseline (`benchmarks.greedy_baseline`), each in a
child process of its own so that its peak memory is its own. Both plans go through
the independent checker. The results, the machine and the targets of the issue go
into a Markdown file, and to standard output.

    python -m benchmarks.run [--sizes 100,400,1000,2000] [--seed 1] [--workers 2]
                             [--time-limit S] [--spread-seeds 0,2,3,4] [--out benchmarks/RESULTS.md]

This is not a test: a run takes several minutes and its numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from benchmarks.report import Target, machine, render
from scheduler.checker import check
from scheduler.contract import Plan, Problem, parse_plan, parse_problem
from scheduler.scenario import generate

__all__ = ["Outcome", "TIME_LIMITS", "main", "run_size", "run_spread", "time_limit_for"]

DESCRIPTION = "Benchmark the CP-SAT planner beside a first-come-first-served greedy planner."
SIZES = (100, 400, 1000, 2000)
TIME_LIMITS: tuple[tuple[int, float], ...] = ((400, 20.0), (2000, 60.0))
"""Solver seconds by waiting-list size: up to 400 clients 20 s, above that 60 s."""
SPREAD_SIZE = 400
"""The size also planned with other scenario seeds (`--spread-seeds`), the one with a gap target."""
SLACK_SECONDS = 120.0
"""A child still running this long after its time limit is stopped and reported."""


@dataclass
class Outcome:
    """What one planner achieved on one waiting list."""

    size: int
    planner: str
    limit: float | None = None
    status: str = "error"
    wall: float | None = None
    placed: int | None = None
    unassigned: int | None = None
    suitable: int | None = None
    placed_suitable: int | None = None
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    peak_mib: float | None = None
    violations: int | None = None
    rules: str = ""
    error: str = ""

    @property
    def share(self) -> float | None:
        """Placed clients among those who have any suitable candidate group."""
        if self.placed_suitable is None or not self.suitable:
            return None
        return self.placed_suitable / self.suitable


def time_limit_for(size: int, override: float | None = None) -> float:
    """The solver's time limit for a waiting list of this size."""
    if override is not None:
        return override
    return next((limit for most, limit in TIME_LIMITS if size <= most), TIME_LIMITS[-1][1])


def _plan_in_child(planner: str, problem: dict[str, Any], options: dict[str, Any], out: Connection) -> None:
    """The child's work: plan once, then report the plan, wall time and own peak memory."""
    try:
        parsed = parse_problem(problem)
        began = time.perf_counter()
        if planner == "solver":
            from solver import SolveParams, solve

            plan = solve(parsed, SolveParams(**options))
        else:
            from benchmarks.greedy_baseline import greedy_plan

            plan = greedy_plan(parsed)
        wall = time.perf_counter() - began
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        out.send({"plan": plan.dump(), "wall": wall, "peak_mib": peak_kib / 1024})
    except BaseException:
        out.send({"error": traceback.format_exc(limit=6)})
    finally:
        out.close()


def _in_child(planner: str, problem: dict[str, Any], options: dict[str, Any], deadline: float) -> dict[str, Any]:
    """Run one planner in a fresh spawned process; its answer, or what went wrong."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_plan_in_child, args=(planner, problem, options, send))
    child.start()
    send.close()
    answer: dict[str, Any] = {"error": f"no answer in {deadline:.0f} s"}
    try:
        if receive.poll(deadline):
            answer = receive.recv()
    except EOFError:
        answer = {"error": "the child process ended without an answer"}
    if child.is_alive() and "error" in answer:
        child.kill()
    child.join()
    if "error" in answer and child.exitcode:
        answer["error"] += f" (exit code {child.exitcode})"
    return answer


def suitable_clients(plan: Plan) -> set[str]:
    """Clients who have a suitable candidate group by the solver's reading: placed, or waiting only for room."""
    placed = {p for g in plan.groups for p in g.participants}
    return placed | {u.client for u in plan.unassigned if u.reasons and all(r.code == "capacity" for r in u.reasons)}


def _judge(outcome: Outcome, problem: Problem, answer: dict[str, Any], suitable: set[str] | None = None) -> Outcome:
    """Fill the outcome from the child's answer: counts, bound, gap and the checker's verdict.

    `suitable` (from the solver's plan) is the common denominator of "placed of suitable";
    without it the plan's own reasons define it.
    """
    if "error" in answer:
        outcome.error = answer["error"].strip().splitlines()[-1]
        return outcome
    plan = parse_plan(answer["plan"])
    ids = {c.id for c in problem.clients}
    outcome.status, outcome.wall, outcome.peak_mib = plan.status, answer["wall"], answer["peak_mib"]
    outcome.placed = len({p for g in plan.groups for p in g.participants if p in ids})
    outcome.unassigned = len(plan.unassigned)
    suitable = suitable if suitable is not None else suitable_clients(plan)
    outcome.suitable = len(suitable)
    outcome.placed_suitable = len({p for g in plan.groups for p in g.participants} & suitable)
    m = plan.metrics
    outcome.objective, outcome.bound = m.objective, m.bound
    if m.gap is not None:
        outcome.gap = m.gap
    elif m.objective is not None and m.bound is not None:
        outcome.gap = abs(m.bound - m.objective) / max(abs(m.objective), 1e-9)
    violations = check(problem, plan)
    outcome.violations = len(violations)
    outcome.rules = ", ".join(sorted({v.rule for v in violations}, key=lambda r: int(r[1:])))
    return outcome


def run_size(
    size: int,
    seed: int,
    workers: int,
    limit: float,
    greedy: bool = True,
) -> tuple[Problem, list[Outcome]]:
    """Plan one scenario size with the solver and (unless `greedy` is false) with the greedy baseline."""
    problem = generate(size, seed=seed, service=False)  # the solver as benchmarked before service periods
    data = problem.dump()
    solver_options = {"time_limit": limit, "workers": workers, "seed": seed}
    outcomes = []
    suitable: set[str] | None = None
    planners: list[tuple[str, dict[str, Any], float | None]] = [("solver", solver_options, limit)]
    planners += [("greedy", {}, None)] if greedy else []
    for planner, options, own_limit in planners:
        _say(f"{size} clients, seed {seed}, {planner} ...")
        answer = _in_child(planner, data, options, deadline=3 * limit + SLACK_SECONDS)
        outcome = _judge(Outcome(size, planner, own_limit), problem, answer, suitable)
        if planner == "solver" and "plan" in answer:
            suitable = suitable_clients(parse_plan(answer["plan"]))
        _say(f"  {outcome.status}, {outcome.placed} placed, {outcome.wall or 0:.1f} s")
        if outcome.error:
            _say(f"  {outcome.error}")
        outcomes.append(outcome)
    return problem, outcomes


def run_spread(size: int, seeds: list[int], workers: int, limit: float) -> list[tuple[int, Outcome]]:
    """The solver alone on the same size generated with other seeds: is the main seed's result typical?"""
    return [(seed, run_size(size, seed, workers, limit, greedy=False)[1][0]) for seed in seeds]


def targets(results: list[Outcome]) -> list[Target]:
    """The issue's targets, each met, missed, or not measured by this run."""
    solver = {o.size: o for o in results if o.planner == "solver"}
    greedy = {o.size: o for o in results if o.planner == "greedy"}
    return [
        _quality_at_400(solver.get(400)),
        _share_at_2000(solver.get(2000)),
        _beats_greedy(solver, greedy),
        _memory_at_2000(solver.get(2000)),
    ]


def _unmeasured(text: str, o: Outcome | None) -> Target:
    """A target whose size this run left out (not measured), or whose solve failed (missed)."""
    if o is None:
        return Target(text, None, "size not run")
    return Target(text, False, f"the solve failed: {o.error or 'no answer'}")


def _quality_at_400(o: Outcome | None) -> Target:
    text = "400 clients: every hard constraint met, gap ≤ 1 % within 20 s"
    if o is None or o.wall is None:
        return _unmeasured(text, o)
    met = o.violations == 0 and o.gap is not None and o.gap <= 0.01 and o.wall <= 20.0
    gap = "no gap" if o.gap is None else f"gap {o.gap * 100:.2f} %"
    return Target(text, met, f"{o.violations} violations, {gap}, {o.wall:.1f} s")


def _share_at_2000(o: Outcome | None) -> Target:
    text = "2000 clients: valid plan within 60 s placing ≥ 95 % of clients with a suitable group"
    if o is None or o.wall is None:
        return _unmeasured(text, o)
    share = o.share
    met = o.violations == 0 and o.wall <= 60.0 and share is not None and share >= 0.95
    placed = "—" if share is None else f"{share * 100:.1f} %"
    return Target(text, met, f"{o.violations} violations, {o.wall:.1f} s, {placed} placed")


def _beats_greedy(solver: dict[int, Outcome], greedy: dict[int, Outcome]) -> Target:
    text = "the solver places more clients than the greedy planner at every size"
    pairs = [(size, o.placed, greedy[size].placed) for size, o in sorted(solver.items()) if size in greedy]
    if not pairs:
        return Target(text, None, "nothing run")
    met = all(mine is not None and (theirs is None or mine > theirs) for _, mine, theirs in pairs)
    return Target(text, met, ", ".join(f"{size}: {mine} vs {theirs}" for size, mine, theirs in pairs))


def _memory_at_2000(o: Outcome | None) -> Target:
    text = "peak memory below 4 GiB at 2000 clients"
    if o is None or o.peak_mib is None:
        return _unmeasured(text, o)
    return Target(text, o.peak_mib < 4096, f"{o.peak_mib:,.0f} MiB")


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=DESCRIPTION)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="waiting-list sizes, comma-separated")
    parser.add_argument("--seed", type=int, default=1, help="scenario and solver seed")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT search workers")
    parser.add_argument("--time-limit", type=float, default=None, help="solver seconds for every size")
    parser.add_argument(
        "--spread-seeds",
        default="0,2,3,4",
        help=f"other scenario seeds to plan at {SPREAD_SIZE} clients with the solver alone (empty: none)",
    )
    parser.add_argument("--out", type=Path, default=Path("benchmarks/RESULTS.md"), help="Markdown file to write")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, write the Markdown report and print it."""
    args = _arguments(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    problems, results = {}, []
    for size in sizes:
        problem, outcomes = run_size(size, args.seed, args.workers, time_limit_for(size, args.time_limit))
        problems[size] = problem
        results += outcomes
    seeds = [int(s) for s in args.spread_seeds.split(",") if s.strip()]
    spread = run_spread(SPREAD_SIZE, seeds, args.workers, time_limit_for(SPREAD_SIZE, args.time_limit))
    command = "python -m benchmarks.run " + " ".join(sys.argv[1:] if argv is None else argv)
    text = render(machine(started), command.strip(), args.seed, problems, results, targets(results), spread)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
