"""Why the gap stays where leaders are scarce: what the leader-capacity relaxation does, region by region.

`python -m benchmarks.bound_anatomy [--regions …] [--seeds 1] [--solve 600]` builds each region's
400-client problem under the placement policy, as the solver models it (its pruning), solves the
leader-capacity LP (`solver.leaderbound`) and reads its primal: how many clients it seats, in how
many groups, how many of them fully open, the mean size of an open group, and how many groups
have a fractional second leader. With `--solve S` it also plans the problem for S seconds, so the
relaxation's seats stand beside what a long search reaches. Written to `benchmarks/BOUNDS.md`.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.regions import CURVE
from benchmarks.report import machine
from scheduler.scenario import REGIONS, generate
from solver import SolveParams, solve
from solver.areas import areas
from solver.candidates import Limits, build_instance, trim_options
from solver.leaderbound import leader_bound
from solver.objective import build_objective
from solver.rules import add_all
from solver.variables import Vars
from solver.warmstart import greedy_hint

__all__ = ["Anatomy", "anatomy", "main"]

EPS = 1e-6


@dataclass
class Anatomy:
    """The relaxation's solution in a region, and (optionally) a long search's plan beside it."""

    region: str
    seed: int
    bound: int = 0
    seats: float = 0.0
    groups: int = 0
    whole: int = 0
    open_sum: float = 0.0
    size_weighted: float = 0.0
    half_second: int = 0
    leader_minutes: int = 0
    placed: int | None = None
    objective: int | None = None
    solve_seconds: float | None = None
    solver_bound: float | None = None
    """The plan's own leader-capacity bound (`metrics.bounds['leaders']`): the same relaxation, when it finished."""

    @property
    def mean_size(self) -> float:
        return self.size_weighted / self.open_sum if self.open_sum else 0.0


def anatomy(region: str, seed: int, clients: int = 400) -> Anatomy:
    """The leader-capacity relaxation of the solver's own (pruned) model, read from its primal."""
    problem = generate(clients, seed, region=region, service=False)
    problem = problem.model_copy(update={"policy": problem.policy.model_copy(update=CURVE["placement"])})
    found = Anatomy(region, seed, leader_minutes=sum(s.max_weekly_minutes for s in problem.staff))
    limits = Limits(leader_reach=problem.policy.leader_reach_minutes)
    inst = build_instance(problem, limits)
    hint = greedy_hint(inst, list(range(len(inst.candidates))))
    for part in areas(inst, trim_options(inst, limits.options_per_client, hint.members)):
        v = Vars(inst, part)
        add_all(v)
        build_objective(v)
        primal: dict[int, float] = {}
        bound = leader_bound(v, effort=600.0, seconds=600.0, primal=primal)
        if bound is None:
            raise RuntimeError(f"{region}: the leader LP stopped before it had a solution")
        found.bound += bound
        first_second = len(v.model.proto.variables)  # the `second` columns follow, one per candidate in order
        for n, g in enumerate(v.candidates):
            opened = primal.get(v.open[g].index, 0.0)
            size = sum(primal.get(v.join[c, g].index, 0.0) for c in v.members[g])
            found.seats += size
            if opened > EPS:
                found.groups += 1
                found.whole += opened > 1 - EPS
                found.open_sum += opened
                found.size_weighted += size
                second = primal.get(first_second + n, 0.0)
                found.half_second += EPS < second < opened - EPS
    return found


def with_plan(found: Anatomy, seconds: float, clients: int = 400) -> Anatomy:
    problem = generate(clients, found.seed, region=found.region, service=False)
    problem = problem.model_copy(update={"policy": problem.policy.model_copy(update=CURVE["placement"])})
    started = time.perf_counter()
    plan = solve(problem, SolveParams(time_limit=seconds))
    found.solve_seconds = round(time.perf_counter() - started)
    found.placed = sum(len(g.participants) for g in plan.groups)
    found.objective = None if plan.metrics.objective is None else round(plan.metrics.objective)
    found.solver_bound = (plan.metrics.bounds or {}).get("leaders")
    return found


def render(found: list[Anatomy], started: str, seconds: float | None) -> str:
    lines = [
        "# Why the gap stays where leaders are scarce",
        "",
        "`python -m benchmarks.bound_anatomy"
        + (f" --solve {seconds:g}" if seconds else "")
        + "`: each region's 400-client problem under the placement policy, modelled as the solver models it "
        "(its pruning). The leader-capacity LP (`solver/leaderbound.py`) is solved and its primal read: the "
        "clients it seats, the groups it uses (any open share), how many of them it opens whole, the mean size "
        "of an open group (seats per unit opened), and the groups whose second leader is only partly there. "
        + (
            f"Beside it, the plan of a {seconds:g}-second solve (2 workers) and its gap to that bound."
            if seconds
            else ""
        ),
        "",
        "| region | seed | leader minutes | LP seats | groups used | whole | mean size | part second leader "
        "| LP bound | placed | objective | gap |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for a in found:
        gap = f"{(a.bound - a.objective) / a.objective:.1%}" if a.objective else "—"
        lines.append(
            f"| {a.region} | {a.seed} | {a.leader_minutes:,} | {a.seats:.0f} | {a.groups} | {a.whole} "
            f"| {a.mean_size:.1f} | {a.half_second} | {a.bound:,} | {'—' if a.placed is None else a.placed} "
            f"| {'—' if a.objective is None else f'{a.objective:,.0f}'} | {gap} |"
        )
    lines += ["", "## Machine", "", *[f"- {k}: {v}" for k, v in machine(started).items()], ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bound_anatomy", description=__doc__)
    parser.add_argument("--regions", nargs="+", default=list(REGIONS), choices=list(REGIONS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[1])
    parser.add_argument("--solve", type=float, default=None, help="also plan each problem for this many seconds")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/BOUNDS.md"))
    args = parser.parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    found = []
    for region in args.regions:
        for seed in args.seeds:
            a = anatomy(region, seed)
            if args.solve:
                with_plan(a, args.solve)
            print(f"{region} {seed}: LP seats {a.seats:.0f}, placed {a.placed}", file=sys.stderr, flush=True)
            found.append(a)
    args.out.write_text(render(found, started, args.solve), encoding="utf-8")
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
