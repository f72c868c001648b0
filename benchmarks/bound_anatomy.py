"""Why the gap stays where leaders are scarce: what each relaxation does, region by region.

`python -m benchmarks.bound_anatomy [--regions …] [--seeds 1] [--policies placement handbook]
[--solve 30] [--branch 600] [--pruning] [--branch-pruned 900] [--out FILE]` builds each region's
400-client problem under each policy, as the solver models it (its pruning), solves the
leader-capacity LP (`solver.leaderbound`) and reads its primal: how many clients it seats, in how
many groups, how many of them fully open, the mean size of an open group, and how many groups have a
fractional second leader. Beside it, the whole model's relaxation (`solver.modelbound`, every leader
kept) of the same pruned model and of the unpruned model (`Limits.unpruned`: every eligible leader,
every option of every client), and the plan of an S-second solve with its gap to each; with
`--branch`, HiGHS's branch and bound over the unpruned model beside them. `--pruning` lifts each
pruning on its own (every eligible leader, every option) to show which one loosens the unpruned
relaxation; `--branch-pruned S` runs HiGHS's branch and bound over the solver's own model for S
seconds and reports its bound and the best plan it found (checked by CP-SAT with every variable
fixed to it). Written to `benchmarks/BOUNDS.md` (or `--out`).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from ortools.sat.python import cp_model

from benchmarks.regions import CURVE, area_models, unpruned_bound, whole_model_bound
from benchmarks.report import machine
from scheduler.contract import Problem
from scheduler.scenario import REGIONS, generate
from solver import SolveParams, solve
from solver.candidates import Limits
from solver.leaderbound import leader_bound
from solver.modelbound import Branching, branch, branch_and_bound, model_bound
from solver.variables import Vars

__all__ = ["Anatomy", "anatomy", "main"]

EPS = 1e-6
MODEL_SECONDS = 600.0
"""Wall-clock cap of one whole-model LP (an LP stopped first gives no bound)."""
LEADER_SECONDS = 120.0
"""Cap of one leader-capacity LP (GLOP; under the handbook it may not finish: its columns then show —)."""


@dataclass
class Anatomy:
    """The relaxations of a region's problem under a policy, and (optionally) a search's plan beside them."""

    region: str
    seed: int
    policy: str = "placement"
    bound: int | None = 0
    """The leader-capacity relaxation of the pruned model; None if its LP stopped first."""
    seats: float = 0.0
    groups: int = 0
    whole: int = 0
    open_sum: float = 0.0
    size_weighted: float = 0.0
    half_second: int = 0
    leader_minutes: int = 0
    model_pruned: int | None = None
    """The whole model's relaxation of the solver's own (pruned) model."""
    model_unpruned: int | None = None
    """The whole model's relaxation of the unpruned model: a bound on every plan of the problem."""
    unpruned_seconds: float | None = None
    branch_unpruned: int | None = None
    """HiGHS's branch and bound over the unpruned model (`--branch S`): its dual bound when stopped."""
    all_leaders: int | None = None
    """`--pruning`: the whole model's relaxation with every eligible leader (options pruned)."""
    all_options: int | None = None
    """`--pruning`: the whole model's relaxation with every option of every client (leaders pruned)."""
    branch_pruned: int | None = None
    """`--branch-pruned`: HiGHS's dual bound over the solver's own model when stopped."""
    branch_found: int | None = None
    """`--branch-pruned`: the objective of the best plan HiGHS found (only if CP-SAT accepts it)."""
    branch_seconds: int | None = None
    """`--branch-pruned`: the wall-clock seconds it took (all areas)."""
    branch_seconds_asked: float | None = None
    """`--branch-pruned`: the seconds it was given per area (named in the report's command)."""
    placed: int | None = None
    objective: int | None = None
    solve_seconds: float | None = None

    @property
    def mean_size(self) -> float:
        return self.size_weighted / self.open_sum if self.open_sum else 0.0


def problem_for(region: str, seed: int, policy: str, clients: int = 400) -> Problem:
    problem = generate(clients, seed, region=region, service=False)
    return problem.model_copy(update={"policy": problem.policy.model_copy(update=CURVE[policy])})


def with_branching(found: Anatomy, seconds: float, clients: int = 400) -> Anatomy:
    """HiGHS's branch and bound over the unpruned model for `seconds` an area."""
    problem = problem_for(found.region, found.seed, found.policy, clients)
    unpruned = Limits.unpruned(problem.policy.leader_reach_minutes)
    found.branch_unpruned = whole_model_bound(problem, unpruned, seconds, branch_and_bound)
    return found


def with_pruning_lifted(found: Anatomy, clients: int = 400) -> Anatomy:
    """The whole model's relaxation with each pruning lifted on its own."""
    problem = problem_for(found.region, found.seed, found.policy, clients)
    reach, every = problem.policy.leader_reach_minutes, Limits.unpruned(problem.policy.leader_reach_minutes)
    pruned = Limits(leader_reach=reach)
    found.all_leaders = whole_model_bound(
        problem, replace(pruned, leaders_per_group=every.leaders_per_group), MODEL_SECONDS
    )
    found.all_options = whole_model_bound(
        problem, replace(pruned, options_per_client=every.options_per_client), MODEL_SECONDS
    )
    return found


def with_pruned_branching(found: Anatomy, seconds: float, clients: int = 400) -> Anatomy:
    """HiGHS's branch and bound over the solver's own model for `seconds` an area: its bound, and its
    best plan's objective where CP-SAT accepts that plan with every variable fixed to it."""
    problem = problem_for(found.region, found.seed, found.policy, clients)
    found.branch_pruned = found.branch_found = 0
    found.branch_seconds_asked = seconds
    started = time.perf_counter()
    for v in area_models(problem, Limits(leader_reach=problem.policy.leader_reach_minutes)):
        area = branch(v.model, seconds)
        found.branch_pruned = _add(found.branch_pruned, area.bound)
        found.branch_found = _add(found.branch_found, area.found if _holds(v.model, area) else None)
    found.branch_seconds = round(time.perf_counter() - started)
    return found


def _add(total: int | None, part: int | None) -> int | None:
    return None if total is None or part is None else total + part


def _holds(model: cp_model.CpModel, found: Branching) -> bool:
    """Whether the model's every constraint holds for this solution (CP-SAT with every variable fixed)."""
    if found.values is None:
        return False
    fixed = model.clone()
    for index, value in enumerate(found.values):
        fixed.add(fixed.get_int_var_from_proto_index(index) == value)
    checker = cp_model.CpSolver()
    checker.parameters.num_workers = 1
    checker.parameters.max_time_in_seconds = 60
    status = checker.solve(fixed)
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and round(checker.objective_value) == found.found


def anatomy(region: str, seed: int, policy: str = "placement", clients: int = 400) -> Anatomy:
    """The leader-capacity relaxation of the solver's own (pruned) model, read from its primal,
    and the whole model's relaxation of the pruned and of the unpruned model."""
    problem = problem_for(region, seed, policy, clients)
    found = Anatomy(region, seed, policy, leader_minutes=sum(s.max_weekly_minutes for s in problem.staff))
    pruned = Limits(leader_reach=problem.policy.leader_reach_minutes)
    models = area_models(problem, pruned)
    found.model_pruned = 0
    for v in models:
        whole = model_bound(v.model, MODEL_SECONDS)
        found.model_pruned = _add(found.model_pruned, whole)
        primal: dict[int, float] = {}
        bound = leader_bound(v, effort=LEADER_SECONDS, seconds=LEADER_SECONDS, primal=primal)
        found.bound = _add(found.bound, bound)
        if bound is not None:
            _read(found, v, primal)
    started = time.perf_counter()
    found.model_unpruned = unpruned_bound(problem, MODEL_SECONDS)
    found.unpruned_seconds = round(time.perf_counter() - started)
    return found


def _read(found: Anatomy, v: Vars, primal: dict[int, float]) -> None:
    """What the leader-capacity relaxation's primal does with the area's groups."""
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


def with_plan(found: Anatomy, seconds: float, clients: int = 400) -> Anatomy:
    problem = problem_for(found.region, found.seed, found.policy, clients)
    started = time.perf_counter()
    plan = solve(problem, SolveParams(time_limit=seconds))
    found.solve_seconds = round(time.perf_counter() - started)
    found.placed = sum(len(g.participants) for g in plan.groups)
    found.objective = None if plan.metrics.objective is None else round(plan.metrics.objective)
    return found


def _gap(bound: int | None, objective: int | None) -> str:
    return f"{(bound - objective) / objective:.1%}" if bound is not None and objective else "—"


def _n(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def render(found: list[Anatomy], started: str, seconds: float | None, branch: float | None = None) -> str:
    lines = [
        "# Why the gap stays where leaders are scarce",
        "",
        "`python -m benchmarks.bound_anatomy"
        + (f" --solve {seconds:g}" if seconds else "")
        + (f" --branch {branch:g}" if branch else "")
        + (" --pruning" if any(a.all_options is not None for a in found) else "")
        + "".join(sorted({f" --branch-pruned {a.branch_seconds_asked:g}" for a in found if a.branch_seconds_asked}))
        + "`: each region's 400-client problem, modelled as the solver models it (its pruning).",
        "",
        "## The leader-capacity relaxation",
        "",
        "The leader-capacity LP (`solver/leaderbound.py`) is solved and its primal read: the clients it seats, "
        "the groups it uses (any open share), how many of them it opens whole, the mean size of an open group "
        "(seats per unit opened), and the groups whose second leader is only partly there.",
        "",
        "| region | seed | policy | leader minutes | LP seats | groups used | whole | mean size "
        "| part second leader | leader bound |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for a in found:
        read = (
            f"{a.seats:.0f} | {a.groups} | {a.whole} | {a.mean_size:.1f} | {a.half_second}"
            if a.bound is not None
            else "— | — | — | — | —"  # the LP stopped first: nothing to read
        )
        lines.append(f"| {a.region} | {a.seed} | {a.policy} | {a.leader_minutes:,} | {read} | {_n(a.bound)} |")
    lines += [
        "",
        "## Each bound beside the plan",
        "",
        "The whole model's relaxation (`solver/modelbound.py`: every leader variable kept, with their weekly "
        "minutes, one session at a time and travel between sessions; HiGHS, certified by weak duality) of the "
        "solver's pruned model and of the unpruned model (every eligible leader, every option; only dominated "
        "starts left out), "
        + (f"and the plan of a {seconds:g}-second solve (2 workers). " if seconds else "")
        + (
            f"Branch and bound: HiGHS over the same rows of the unpruned model with every variable whole, "
            f"stopped after {branch:g} s, its dual bound (proven by HiGHS within its tolerances, not certified here). "
            if branch
            else ""
        )
        + "A gap is (bound − objective) / objective.",
        "",
        "| region | seed | policy | placed | objective | leader bound | gap | whole model (pruned) | gap "
        "| whole model (unpruned) | gap | unpruned LP s"
        + (" | branch and bound (unpruned) | gap |" if branch else " |"),
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|---:|" if branch else ""),
    ]
    for a in found:
        lines.append(
            f"| {a.region} | {a.seed} | {a.policy} | {_n(a.placed)} | {_n(a.objective)} | {_n(a.bound)} "
            f"| {_gap(a.bound, a.objective)} | {_n(a.model_pruned)} | {_gap(a.model_pruned, a.objective)} "
            f"| {_n(a.model_unpruned)} | {_gap(a.model_unpruned, a.objective)} "
            f"| {'—' if a.unpruned_seconds is None else f'{a.unpruned_seconds:.0f}'} |"
            + (f" {_n(a.branch_unpruned)} | {_gap(a.branch_unpruned, a.objective)} |" if branch else "")
        )
    if any(a.all_leaders is not None or a.all_options is not None for a in found):
        lines += [
            "",
            "## Which pruning the unpruned relaxation gains from",
            "",
            "The whole model's relaxation with the solver's pruning (10 leaders a group, 20 options a client), "
            "with every eligible leader but the options pruned, with every option but the leaders pruned, "
            "and with neither pruned.",
            "",
            "| region | seed | policy | pruned | every leader | every option | unpruned |",
            "|---|---:|---|---:|---:|---:|---:|",
            *(
                f"| {a.region} | {a.seed} | {a.policy} | {_n(a.model_pruned)} | {_n(a.all_leaders)} "
                f"| {_n(a.all_options)} | {_n(a.model_unpruned)} |"
                for a in found
            ),
        ]
    if any(a.branch_seconds is not None for a in found):
        lines += [
            "",
            "## Branch and bound over the solver's own model",
            "",
            "HiGHS's branch and bound over every row of the solver's pruned model with every variable whole, "
            "stopped by the clock: its dual bound (proven by HiGHS within its tolerances) and the best plan it "
            "found (counted only if CP-SAT accepts it with every variable fixed), beside the plan of the "
            "timed solve. A gap is (bound − objective) / objective.",
            "",
            "| region | seed | policy | seconds | bound | plan's gap to it | HiGHS's best plan | its gap |",
            "|---|---:|---|---:|---:|---:|---:|---:|",
            *(
                f"| {a.region} | {a.seed} | {a.policy} | {_n(a.branch_seconds)} | {_n(a.branch_pruned)} "
                f"| {_gap(a.branch_pruned, a.objective)} | {_n(a.branch_found)} "
                f"| {_gap(a.branch_pruned, a.branch_found)} |"
                for a in found
                if a.branch_seconds is not None
            ),
        ]
    lines += ["", "## Machine", "", *[f"- {k}: {v}" for k, v in machine(started).items()], ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bound_anatomy", description=__doc__)
    parser.add_argument("--regions", nargs="+", default=list(REGIONS), choices=list(REGIONS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[1])
    parser.add_argument("--policies", nargs="+", default=["placement", "handbook"], choices=list(CURVE))
    parser.add_argument("--solve", type=float, default=None, help="also plan each problem for this many seconds")
    parser.add_argument("--branch", type=float, default=None, help="also branch and bound the unpruned model so long")
    parser.add_argument("--pruning", action="store_true", help="also lift each pruning on its own")
    parser.add_argument(
        "--branch-pruned", type=float, default=None, help="also branch and bound the solver's own model so long"
    )
    parser.add_argument("--out", type=Path, default=Path("benchmarks/BOUNDS.md"))
    args = parser.parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    found = []
    for region in args.regions:
        for seed in args.seeds:
            for policy in args.policies:
                a = anatomy(region, seed, policy)
                if args.solve:
                    with_plan(a, args.solve)
                if args.branch:
                    with_branching(a, args.branch)
                if args.pruning:
                    with_pruning_lifted(a)
                if args.branch_pruned:
                    with_pruned_branching(a, args.branch_pruned)
                print(
                    f"{region} {seed} {policy}: leader {a.bound}, whole {a.model_pruned}, "
                    f"unpruned {a.model_unpruned}, objective {a.objective}",
                    file=sys.stderr,
                    flush=True,
                )
                found.append(a)
                args.out.write_text(render(found, started, args.solve, args.branch), encoding="utf-8")
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
