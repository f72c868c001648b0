"""Benchmark: the planner on every region, under each policy, beside the greedy baseline and a local-search peer.

Each region of `scheduler.scenario.REGIONS` (regions of different character: sparse and
far, dense with transit, Swedish-majority, short of leaders) is generated with several
seeds and planned by

- the solver under the county's default policy (`handbook`) and under `placement`,
- the greedy baseline (`benchmarks.greedy_baseline`, what a coordinator does by hand),
- the local-search peer (`benchmarks.peer`) under `placement`, in the same time,

and, on the first seed, along a trade-off curve of policy weights, without the county's
leader reach, and against the whole model's relaxation (`solver.modelbound`) of the *unpruned*
model (`Limits.unpruned`: every eligible leader, every option of every client). Every plan goes
through the independent checker. Results go to a Markdown file with the machine.

    python -m benchmarks.regions [--regions a,b] [--seeds 1,2] [--clients 400] [--seconds 30]
                                 [--wide] [--jobs 1] [--kinds solver,greedy,peer,bound]
                                 [--out benchmarks/REGIONS.md] [--render RESULTS.json ...]

Not a test: a run takes about half an hour on two cores (one job at a time: the solver's
time limit is for two cores of its own).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.greedy_baseline import greedy_plan
from benchmarks.peer import peer_plan
from benchmarks.report import machine
from scheduler.checker import check
from scheduler.contract import POLICY_PRESETS, Plan, Problem
from scheduler.scenario import REGIONS, generate
from solver import SolveParams, models, solve
from solver.candidates import Limits
from solver.modelbound import model_bound
from solver.objective import two_leader_rows
from solver.variables import Vars

__all__ = [
    "CURVE",
    "Job",
    "Result",
    "area_models",
    "load",
    "main",
    "measure",
    "meets_aim",
    "problem_for",
    "run_job",
    "unpruned_bound",
    "whole_model_bound",
]


def _shaped(second_leader: int, small_group: int, fragile_group: int) -> dict[str, Any]:
    """A point of the curve built as the handbook preset is: a group opened costs its second leader's
    worth and a group's own cost (the placement preset's) more, so no group opens for the bonus alone."""
    group = POLICY_PRESETS["placement"].group_opened
    return {
        "preset": "handbook",
        "group_opened": second_leader + group,
        "second_leader": second_leader,
        "small_group": small_group,
        "fragile_group": fragile_group,
    }


CURVE: dict[str, dict[str, Any]] = {
    "placement": {"preset": "placement"},
    "light": _shaped(3_000, 3_000, 15_000),
    "mild": _shaped(6_000, 6_000, 30_000),  # the handbook preset until 2026-12-06
    "handbook": {"preset": "handbook"},
    "strict": _shaped(24_000, 24_000, 30_000),
}
"""Policy points of the trade-off curve, from clients placed first to the handbook's shape first."""
WIDE = {"options_per_client": 40, "leaders_per_group": 20}
"""The solver's pruning at twice its defaults (20 options per client, 10 leaders per group)."""
UNPRUNED_LP_SECONDS = 900.0
"""Wall-clock cap of the unpruned model's bound (it is not part of a solve; about a minute at 400 clients)."""


@dataclass(frozen=True)
class Job:
    kind: str  # solver, greedy, peer, bound
    region: str
    seed: int
    clients: int
    variant: str = "handbook"  # a CURVE key
    reach: bool = True
    seconds: float = 30.0
    wide: bool = False  # the solver's pruning loosened (WIDE)
    effort: float | None = None
    """Deterministic seconds of search (`SolveParams.effort`); when set, it ends the search, not the clock."""


@dataclass
class Result:
    job: Job
    placed: int | None = None
    groups: int | None = None
    two_leader_share: float | None = None
    mean_size: float | None = None
    at_minimum: int | None = None
    objective: float | None = None
    bound: float | None = None
    bounds: dict[str, float] = field(default_factory=dict)
    gap: float | None = None
    wall: float | None = None
    violations: int | None = None
    error: str | None = None


def problem_for(job: Job) -> Problem:
    """The region's scenario under the job's policy point (and without leader reach if asked)."""
    problem = generate(job.clients, job.seed, region=job.region, service=False)  # comparable with earlier runs
    policy = {**CURVE[job.variant], **({} if job.reach else {"leader_reach_minutes": None})}
    return problem.model_copy(update={"policy": problem.policy.model_copy(update=policy)})


def area_models(problem: Problem, limits: Limits) -> list[Vars]:
    """The area models as `solve` builds them from these limits' candidates (before any search)."""
    return [v for v, _, _ in models.area_models(problem, limits)]


def whole_model_bound(
    problem: Problem, limits: Limits, seconds: float, bound: Callable[..., int | None] = model_bound
) -> int | None:
    """The whole model's relaxation (`solver.modelbound`, or another `bound` of a model) summed over
    the areas of these limits' model, each capped at `seconds`; None if one stopped first. The
    models have the rows that only the bound gets (`solver.objective.two_leader_rows`)."""
    total = 0
    for v in area_models(problem, limits):
        two_leader_rows(v)
        found = bound(v.model, seconds)
        if found is None:
            return None
        total += found
    return total


def unpruned_bound(problem: Problem, seconds: float) -> int | None:
    """`whole_model_bound` of the model without the solver's pruning (every eligible leader, every
    option of every client)."""
    return whole_model_bound(problem, Limits.unpruned(problem.policy.leader_reach_minutes), seconds)


def run_job(job: Job) -> Result:
    """Plan (or bound) one job and judge the plan with the checker."""
    result = Result(job)
    try:
        problem = problem_for(job)
        began = time.perf_counter()
        if job.kind == "bound":
            result.bound = unpruned_bound(problem, UNPRUNED_LP_SECONDS)
            result.wall = round(time.perf_counter() - began, 1)
            return result
        plan = _plan(job, problem)
        result.wall = round(time.perf_counter() - began, 1)
        measure(result, problem, plan)
    except Exception as error:  # a benchmark reports a failed run and goes on
        result.error = f"{type(error).__name__}: {error}"
    return result


def _plan(job: Job, problem: Problem) -> Plan:
    if job.kind == "solver":
        pruning = WIDE if job.wide else {}
        if job.effort is None:
            return solve(problem, SolveParams(time_limit=job.seconds, **pruning))
        # the clock only as a net far beyond the effort: the effort ends the search
        return solve(problem, SolveParams(time_limit=max(600.0, 40 * job.effort), effort=job.effort, **pruning))
    if job.kind == "peer":
        return peer_plan(problem, job.seconds)
    return greedy_plan(problem)


def measure(result: Result, problem: Problem, plan: Plan) -> None:
    """The plan's figures into the result, and the independent checker's count of its violations."""
    m = plan.metrics
    result.violations = len(check(problem, plan))
    result.placed, result.groups = m.placed, m.groups_total
    if m.shape is not None:
        result.two_leader_share, result.mean_size, result.at_minimum = (
            m.shape.two_leader_share,
            m.shape.mean_size,
            m.shape.at_minimum,
        )
    result.objective, result.bound, result.gap = m.objective, m.bound, m.gap
    result.bounds = dict(m.bounds or {})


def jobs(regions: list[str], seeds: list[int], clients: int, seconds: float, wide: bool = False) -> list[Job]:
    """Every run of the benchmark: the criterion runs on every seed, the curve, reach and bound on the first."""
    found: list[Job] = []
    for region in regions:
        for seed in seeds:
            found += [
                Job("greedy", region, seed, clients),
                Job("solver", region, seed, clients, "handbook", seconds=seconds),
                Job("solver", region, seed, clients, "placement", seconds=seconds),
                Job("peer", region, seed, clients, "placement", seconds=seconds),
            ]
        first = seeds[0]
        found += [
            Job("solver", region, first, clients, v, seconds=seconds)
            for v in CURVE
            if v not in ("handbook", "placement")
        ]
        found += [
            Job("solver", region, first, clients, "handbook", reach=False, seconds=seconds),
            *[
                Job("solver", region, first, clients, v, wide=True, seconds=seconds)
                for v in CURVE
                if wide and v in ("handbook", "placement")
            ],
            Job("bound", region, first, clients, "handbook"),
            Job("bound", region, first, clients, "placement"),
        ]
    return found


def render(results: list[Result], started: str, seconds: float) -> str:
    """The report: the criterion, the peer, the curve, reach and bounds, then the machine."""
    by = {(r.job.kind, r.job.region, r.job.seed, r.job.variant, r.job.reach, r.job.wide): r for r in results}

    def get(
        kind: str, region: str, seed: int, variant: str = "handbook", reach: bool = True, wide: bool = False
    ) -> Result | None:
        return by.get((kind, region, seed, variant, reach, wide))

    regions = list(dict.fromkeys(r.job.region for r in results))
    seeds = sorted({r.job.seed for r in results})
    clients = results[0].job.clients if results else 0
    lines = [
        "# The planner on regions of different character",
        "",
        f"`python -m benchmarks.regions`: {clients} clients per region and seed, {seconds:g} s per solve "
        "(the solver's default deterministic effort; the peer by the clock). Every plan is checked by the "
        "independent checker; a plan with a violation would show in the `viol.` column.",
        "",
        "## Default policy (handbook) beside the greedy baseline",
        "",
        "The aim: more clients placed than the greedy **and** at least its share of two-leader groups and its "
        "mean group size. Figures are solver / greedy.",
        "",
        "| region | seed | placed | two-leader share | mean size | at minimum | gap | wall s | viol. | aim met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for region in regions:
        for seed in seeds:
            s, g = get("solver", region, seed), get("greedy", region, seed)
            lines.append(_criterion_row(region, seed, s, g))
    lines += [
        "",
        "## Placement policy beside the local-search peer",
        "",
        "The aim: at least as many clients as the peer (`benchmarks/peer`, late acceptance over candidate groups "
        "and seats, unpruned candidates) in the same time. Figures are solver / peer.",
        "",
        "| region | seed | placed | two-leader share | mean size | solver gap | viol. | aim met |",
        "|---|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for region in regions:
        for seed in seeds:
            s, p = get("solver", region, seed, "placement"), get("peer", region, seed, "placement")
            lines.append(_peer_row(region, seed, s, p))
    first = seeds[0] if seeds else 0
    lines += [
        "",
        f"## The trade-off, seed {first}",
        "",
        "Clients placed against the shape, along policy weights from clients first to shape first "
        + ", ".join(f"`{k}` ({_weights(v)})" for k, v in CURVE.items())
        + ".",
        "",
        "| region | policy | placed | two-leader share | mean size | at minimum | groups |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for region in regions:
        for variant in CURVE:
            r = get("solver", region, first, variant)
            lines.append(
                f"| {region} | {variant} | {_n(r, 'placed')} | {_n(r, 'two_leader_share', '{:.2f}')} | "
                f"{_n(r, 'mean_size', '{:.2f}')} | {_n(r, 'at_minimum')} | {_n(r, 'groups')} |"
            )
    lines += [
        "",
        f"## Leader reach, seed {first}",
        "",
        "The county's leader reach (75 min by car from a leader's base) is a rule of the policy; "
        "the same problem planned without it (handbook policy):",
        "",
        "| region | placed with reach | placed without | two-leader share with / without | mean size with / without |",
        "|---|---:|---:|---:|---:|",
    ]
    for region in regions:
        a, b = get("solver", region, first), get("solver", region, first, reach=False)
        lines.append(
            f"| {region} | {_n(a, 'placed')} | {_n(b, 'placed')} | {_n(a, 'two_leader_share', '{:.2f}')} / "
            f"{_n(b, 'two_leader_share', '{:.2f}')} | {_n(a, 'mean_size', '{:.2f}')} / {_n(b, 'mean_size', '{:.2f}')} |"
        )
    if any(r.job.wide for r in results):
        lines += _pruning(regions, first, get)
    lines += [
        "",
        f"## Bounds, seed {first}",
        "",
        "The plan's objective, the bounds of the solver's own (pruned) model by kind (`model`: the whole "
        "model's relaxation, `solver/modelbound.py`, every leader kept; `leaders` only where that gave none), "
        "and the whole model's relaxation of the unpruned model (every eligible leader and every option; only "
        "dominated starts left out). "
        "A gap is (bound − objective) / objective.",
        "",
        "| region | policy | objective | CP-SAT | best case | seats | leaders | model | gap (own) "
        "| unpruned bound | gap (unpruned) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for region in regions:
        for variant in ("handbook", "placement"):
            r, u = get("solver", region, first, variant), get("bound", region, first, variant)
            lines.append(_bound_row(region, variant, r, u))
    failed = [r for r in results if r.error]
    if failed:
        lines += ["", "## Runs that failed", ""] + [f"- {r.job}: {r.error}" for r in failed]
    lines += ["", "## Machine", "", *[f"- {k}: {v}" for k, v in machine(started).items()], ""]
    return "\n".join(lines)


def _pruning(regions: list[str], first: int, get: Callable[..., Result | None]) -> list[str]:
    """The pruning table: the default solve beside the one with twice the options and leaders."""
    lines = [
        "",
        f"## Pruning, seed {first}",
        "",
        "The solver keeps each client's 20 best options and each candidate's 10 nearest eligible leaders; "
        "the same solve with twice as many (40 and 20), in the same time:",
        "",
        "| region | policy | placed (default / wide) | objective (default / wide) | gap (default / wide) |",
        "|---|---|---:|---:|---:|",
    ]
    for region in regions:
        for variant in ("handbook", "placement"):
            a, b = get("solver", region, first, variant), get("solver", region, first, variant, wide=True)
            lines.append(
                f"| {region} | {variant} | {_pair(a, b, 'placed')} | {_pair(a, b, 'objective', '{:,.0f}')} | "
                f"{_pair(a, b, 'gap', '{:.2%}')} |"
            )
    return lines


def _n(r: Result | None, name: str, fmt: str = "{:,}") -> str:
    value = getattr(r, name) if r is not None else None
    return "—" if value is None else fmt.format(value)


def _pair(a: Result | None, b: Result | None, name: str, fmt: str = "{:,}") -> str:
    return f"{_n(a, name, fmt)} / {_n(b, name, fmt)}"


def meets_aim(s: Result | None, g: Result | None) -> bool:
    """The default policy's aim: more clients placed than the greedy, and at least its two-leader share and
    mean group size."""
    return (
        s is not None
        and g is not None
        and None not in (s.placed, g.placed, s.two_leader_share, g.two_leader_share, s.mean_size, g.mean_size)
        and s.placed > g.placed  # type: ignore[operator]
        and s.two_leader_share >= g.two_leader_share  # type: ignore[operator]
        and s.mean_size >= g.mean_size  # type: ignore[operator]
    )


def _criterion_row(region: str, seed: int, s: Result | None, g: Result | None) -> str:
    met = meets_aim(s, g)
    return (
        f"| {region} | {seed} | {_pair(s, g, 'placed')} | {_pair(s, g, 'two_leader_share', '{:.2f}')} | "
        f"{_pair(s, g, 'mean_size', '{:.2f}')} | {_pair(s, g, 'at_minimum')} | {_n(s, 'gap', '{:.2%}')} | "
        f"{_n(s, 'wall', '{:.0f}')} | {_n(s, 'violations')}+{_n(g, 'violations')} | {'yes' if met else 'no'} |"
    )


def _peer_row(region: str, seed: int, s: Result | None, p: Result | None) -> str:
    met = s is not None and p is not None and s.placed is not None and p.placed is not None and s.placed >= p.placed
    return (
        f"| {region} | {seed} | {_pair(s, p, 'placed')} | {_pair(s, p, 'two_leader_share', '{:.2f}')} | "
        f"{_pair(s, p, 'mean_size', '{:.2f}')} | {_n(s, 'gap', '{:.2%}')} | "
        f"{_n(s, 'violations')}+{_n(p, 'violations')} | {'yes' if met else 'no'} |"
    )


def _bound_row(region: str, variant: str, r: Result | None, u: Result | None) -> str:
    bounds = r.bounds if r is not None else {}
    kinds = ("cp_sat", "best_case", "seats", "leaders", "model")
    cells = [(f"{bounds[k]:,.0f}" if k in bounds else "—") for k in kinds]
    unpruned = u.bound if u is not None else None
    objective = r.objective if r is not None else None
    gap = f"{(unpruned - objective) / objective:.2%}" if unpruned is not None and objective else "—"
    return (
        f"| {region} | {variant} | {_n(r, 'objective', '{:,.0f}')} | {' | '.join(cells)} | {_n(r, 'gap', '{:.2%}')} | "
        f"{'—' if unpruned is None else f'{unpruned:,.0f}'} | {gap} |"
    )


def _weights(policy: dict[str, Any]) -> str:
    shown = {k: v for k, v in policy.items() if k != "preset"}
    return str(policy["preset"]) + (" with " + ", ".join(f"{k} {v:,}" for k, v in shown.items()) if shown else "")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.regions", description=__doc__.splitlines()[0])
    parser.add_argument("--regions", default=",".join(REGIONS), help="comma-separated region names")
    parser.add_argument("--seeds", default="1,2", help="comma-separated scenario seeds")
    parser.add_argument("--clients", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=30.0, help="time limit of a solve and of the peer")
    parser.add_argument("--wide", action="store_true", help="also solve with the pruning loosened (WIDE)")
    parser.add_argument("--jobs", type=int, default=1, help="runs at once (each solve uses two CP-SAT workers)")
    parser.add_argument(
        "--kinds",
        default="solver,greedy,peer,bound",
        help="comma-separated kinds of run to make (the others can come from earlier results with --render)",
    )
    parser.add_argument("--out", type=Path, default=Path("benchmarks/REGIONS.md"))
    parser.add_argument(
        "--render",
        type=Path,
        nargs="+",
        metavar="RESULTS.json",
        help="write the report from earlier runs' results (later files win for the same run) instead of running",
    )
    return parser.parse_args(argv)


def load(paths: list[Path]) -> list[Result]:
    """Results written by earlier runs, the last one of each job kept."""
    kept: dict[Job, Result] = {}
    for path in paths:
        for data in json.loads(path.read_text()):
            job = Job(**data.pop("job"))
            kept[job] = Result(job, **data)
    return list(kept.values())


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    regions = [r.strip() for r in args.regions.split(",") if r.strip()]
    unknown = [r for r in regions if r not in REGIONS]
    if unknown:
        print(f"unknown region(s) {', '.join(unknown)}; known: {', '.join(REGIONS)}", file=sys.stderr)
        return 2
    seeds = [int(s) for s in args.seeds.split(",")]
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    if args.render:
        loaded = sorted(load(args.render), key=lambda r: regions.index(r.job.region) if r.job.region in regions else 99)
        args.out.write_text(render(loaded, started, args.seconds))
        return 0
    kinds = {k.strip() for k in args.kinds.split(",")}
    todo = [j for j in jobs(regions, seeds, args.clients, args.seconds, args.wide) if j.kind in kinds]
    results: list[Result] = []
    raw = args.out.with_suffix(".json")
    with multiprocessing.get_context("spawn").Pool(args.jobs, maxtasksperchild=1) as pool:
        for result in pool.imap(run_job, todo):
            results.append(result)
            print(json.dumps(asdict(result), default=str), flush=True)
            raw.write_text(json.dumps([asdict(r) for r in results], indent=1, default=str) + "\n")
            args.out.write_text(render(results, started, args.seconds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
