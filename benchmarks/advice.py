"""Benchmark: advice (`scheduler.services.advice.advise`) on the regions, and how its top change holds up.

    python -m benchmarks.advice [--regions a,b] [--seeds 1,2] [--clients 400] [--seconds 30]
                                [--advice-seconds 60] [--generous 20] [--out benchmarks/ADVICE.md]

For each region of `scheduler.scenario.REGIONS` and seed, the scenario is planned as
`tarjotin solve` plans it (`--seconds`, two workers, deterministic) and advised with
`AdviceParams(time_limit=--advice-seconds, workers=2)`. The report gives the search
(candidates drawn, screened out, pruned, re-planned, seconds) and the top advice (kind,
clients placed, score, the screen's bound), and then the top change re-planned with a
generous time limit (`--generous` seconds for the base re-plan and for the re-plan with the
change, `plan_whatif` on the same fixed problem): how much the top advice gains then,
beside what advice's short re-plans said. The what-if plan goes through the independent
checker. Results go to a Markdown file with the machine.

Not a test: a run takes about two and a half minutes a region and seed on two cores.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.report import machine
from scheduler.checker import check
from scheduler.contract import Problem
from scheduler.contract.whatif import apply_changes
from scheduler.scenario import REGIONS, generate
from scheduler.services.advice.advise import AdviceParams, advise
from scheduler.services.advice.whatif import compare, fixed_problem, plan_whatif
from solver import SolveParams, solve

__all__ = ["Row", "advised", "main", "measure", "render"]


@dataclass
class Row:
    region: str
    seed: int
    clients: int
    placed: int | None = None
    unplaced: int | None = None
    candidates: int | None = None
    screened_out: int | None = None
    pruned: int | None = None
    replanned: int | None = None
    seconds: float | None = None
    items: int | None = None
    none_why: str | None = None
    top_kind: str | None = None
    top_gain: int | None = None
    top_score: float | None = None
    top_bound: int | None = None
    generous_gain: int | None = None
    generous_violations: int | None = None
    error: str | None = None


def measure(region: str, seed: int, clients: int, seconds: float, params: AdviceParams, generous: float) -> Row:
    """Plan one region's scenario, advise it, and re-plan the top advice with a generous time limit."""
    row = Row(region, seed, clients)
    try:
        advised(row, generate(clients, seed, region=region), seconds, params, generous)
    except Exception as error:  # a benchmark reports a failed run and goes on
        row.error = f"{type(error).__name__}: {error}"
    print(row, file=sys.stderr, flush=True)
    return row


def advised(row: Row, problem: Problem, seconds: float, params: AdviceParams, generous: float) -> Row:
    """Fill the row: plan the problem as `tarjotin solve` does, advise it, re-plan the top advice generously."""
    plan = solve(problem, SolveParams(time_limit=seconds, workers=2, seed=0, deterministic=True))
    row.placed, row.unplaced = plan.metrics.placed, len(plan.unassigned)
    advice = advise(problem, plan, params)
    row.candidates, row.screened_out, row.pruned = advice.candidates, advice.screened_out, advice.pruned
    row.replanned, row.seconds, row.items, row.none_why = (
        advice.replanned,
        advice.seconds,
        len(advice.items),
        advice.none_why,
    )
    if advice.items:
        top = advice.items[0]
        row.top_kind, row.top_gain, row.top_score, row.top_bound = (
            top.change.kind,
            top.placed_gain,
            top.score,
            top.bound,
        )
        fixed = fixed_problem(problem, plan)
        long = SolveParams(time_limit=generous, workers=params.workers, seed=params.seed)
        base = plan_whatif(fixed, [], long)
        after = plan_whatif(fixed, [top.change], long)
        row.generous_gain = compare(problem, base, after).placed_gain
        row.generous_violations = len(check(apply_changes(fixed, [top.change]), after))
    return row


def _cell(value: object) -> str:
    return "—" if value is None else f"{value}"


def _line(r: Row) -> str:
    cells = [
        r.region,
        r.seed,
        r.placed,
        r.unplaced,
        r.candidates,
        r.screened_out,
        r.pruned,
        r.replanned,
        r.seconds,
        r.top_kind or (r.none_why and f"none ({r.none_why})"),
        r.top_gain,
        r.top_bound,
        r.top_score,
        r.generous_gain,
        r.generous_violations,
    ]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


HEADER = (
    "| region | seed | placed | unplaced | candidates | screened out | pruned | re-planned | advice s | "
    "top advice | top gain | top bound | top score | gain re-planned generously | violations |"
)


def render(
    rows: list[Row],
    started: str,
    seconds: float,
    params: AdviceParams,
    generous: float,
    host: dict[str, str] | None = None,
) -> str:
    """The report: the table, the headline, failed runs and the machine (`host`: as found at the start)."""
    clients = sorted({r.clients for r in rows})
    ok = [r for r in rows if r.error is None]
    topped = [r for r in ok if r.top_gain is not None and r.generous_gain is not None]
    lines = [
        "# Advice on the regions",
        "",
        f"Each region at {', '.join(map(str, clients))} clients, planned as `tarjotin solve` plans it "
        f"({seconds:g} s, two workers, deterministic), then advised with "
        f"`AdviceParams(time_limit={params.time_limit:g}, workers={params.workers})` "
        f"(re-plans of {params.replan_seconds:g} s on one worker each). *Top gain* is the clients the top "
        "advice placed in advice's own re-plan; *gain re-planned generously* is the same change "
        f"re-planned with `plan_whatif` at {generous:g} s for the base and {generous:g} s for the change "
        "(same fixed groups, two workers), and *violations* the independent checker's on that what-if plan.",
        "",
        HEADER,
        "|---|" + "---:|" * 8 + "---|" + "---:|" * 5,
        *(_line(r) for r in ok),
        "",
    ]
    if topped:
        advised = sum(r.top_gain or 0 for r in topped)
        generous_total = sum(r.generous_gain or 0 for r in topped)
        held = sum(1 for r in topped if (r.generous_gain or 0) >= (r.top_gain or 0))
        lines += [
            "## Headline",
            "",
            f"- runs with advice: {len(topped)} of {len(rows)}; mean advice time "
            f"{sum(r.seconds or 0 for r in ok) / max(len(ok), 1):.1f} s",
            f"- the top advice placed {advised} clients in all by advice's re-plans and {generous_total} "
            f"when re-planned generously ({generous_total / advised:.0%} of it)"
            if advised
            else f"- the top advice placed {advised} clients by advice's re-plans, {generous_total} generously",
            f"- the generous re-plan placed at least as many as advice said in {held} of {len(topped)} runs",
            f"- candidates drawn {sum(r.candidates or 0 for r in ok)}, screened out "
            f"{sum(r.screened_out or 0 for r in ok)}, pruned {sum(r.pruned or 0 for r in ok)}, "
            f"re-planned {sum(r.replanned or 0 for r in ok)}",
            "",
        ]
    failed = [r for r in rows if r.error is not None]
    if failed:
        lines += ["## Runs that failed", "", *(f"- {r.region} seed {r.seed}: {r.error}" for r in failed), ""]
    host = host or machine(started)
    lines += ["## Machine", "", *(f"- {key}: {value}" for key, value in host.items()), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.advice", description=__doc__)
    parser.add_argument("--regions", default=",".join(REGIONS))
    parser.add_argument("--seeds", default="1,2")
    parser.add_argument("--clients", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--advice-seconds", type=float, default=60.0)
    parser.add_argument("--generous", type=float, default=20.0)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/ADVICE.md"))
    args = parser.parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    params = AdviceParams(time_limit=args.advice_seconds, workers=2)
    host = machine(started)  # the load and the commit when the run starts
    rows: list[Row] = []
    for region in (r for r in args.regions.split(",") if r):
        for seed in (int(s) for s in args.seeds.split(",") if s):
            rows.append(measure(region, seed, args.clients, args.seconds, params, args.generous))
            args.out.write_text(render(rows, started, args.seconds, params, args.generous, host))
    print(args.out.read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
