"""The handbook's weight of a second leader: the default policy's aim at each weight, on every region.

The handbook preset weighs a second leader (and takes as much off a group of three or four) at
12 000 points, two fifths of a client placed; until 2026-12-06 it was 6 000 (the trade-off
curve's `mild` point). This benchmark plans each region's scenario with each, at the same
fixed deterministic effort (so the machine's load does not decide the comparison), beside the
greedy baseline, and judges the default policy's aim (`benchmarks.regions.meets_aim`): more
clients placed than the greedy and at least its two-leader share and mean group size. Seeds 1
and 2 are those the regions benchmark reports; 3 and 4 were not looked at when the weight was
chosen. Every plan is checked by the independent checker.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

from benchmarks.regions import CURVE, Job, Result, load, meets_aim, run_job
from benchmarks.report import machine
from scheduler.contract import POLICY_PRESETS
from scheduler.scenario import REGIONS

__all__ = ["main", "render", "run"]

VARIANTS = ("mild", "handbook")
"""The curve's points compared: the former handbook weights and today's."""
EFFORT = 15.0
"""Deterministic seconds of search a solve gets: the solver's default for a 30-s time limit."""


def run(region: str, seed: int, clients: int, variant: str, effort: float) -> Result:
    """One plan (`greedy` or a CURVE point at `effort`), measured and checked."""
    if variant == "greedy":
        return run_job(Job("greedy", region, seed, clients))
    return run_job(Job("solver", region, seed, clients, variant, effort=effort))


def render(results: list[Result], started: str, effort: float) -> str:
    """The report: each region and seed with the greedy and each weight, and the aim's count."""
    by = {(r.job.kind, r.job.region, r.job.seed, r.job.variant): r for r in results}
    variants = [v for v in CURVE if any(r.job.kind == "solver" and r.job.variant == v for r in results)]
    regions = list(dict.fromkeys(r.job.region for r in results))
    seeds = sorted({r.job.seed for r in results})
    clients = results[0].job.clients if results else 0
    names = " / ".join(["greedy", *[f"`{v}`" for v in variants]])
    weights = ", ".join(f"`{v}` second_leader {_weight(v):,}" for v in variants)
    lines = [
        "# The handbook's weight of a second leader",
        "",
        f"`python -m benchmarks.second_leader`: {clients} clients per region and seed, {effort:g} deterministic "
        f"seconds per solve (2 workers), {weights}. The aim: more clients placed than the greedy **and** at least "
        "its two-leader share and mean group size. Figures are " + names + ".",
        "",
        "| region | seed | placed | two-leader share | mean size | at minimum | viol. | "
        + " | ".join(f"aim met (`{v}`)" for v in variants)
        + " |",
        "|---|---:|---:|---:|---:|---:|---:|" + ":---:|" * len(variants),
    ]
    met = dict.fromkeys(variants, 0)
    placed = dict.fromkeys(variants, 0)
    for region in regions:
        for seed in seeds:
            g = by.get(("greedy", region, seed, "handbook"))
            row = [g, *[by.get(("solver", region, seed, v)) for v in variants]]
            aims = []
            for v, r in zip(variants, row[1:], strict=True):
                aim = meets_aim(r, g)
                met[v] += aim
                placed[v] += r.placed if r is not None and r.placed is not None else 0
                aims.append("yes" if aim else "no")
            lines.append(
                f"| {region} | {seed} | {_all(row, 'placed')} | {_all(row, 'two_leader_share', '{:.2f}')} | "
                f"{_all(row, 'mean_size', '{:.2f}')} | {_all(row, 'at_minimum')} | {_all(row, 'violations')} | "
                + " | ".join(aims)
                + " |"
            )
    cases = len(regions) * len(seeds)
    lines += ["", "| weight | aim met | clients placed, all region-seeds |", "|---|---:|---:|"]
    lines += [f"| `{v}` | {met[v]} of {cases} | {placed[v]:,} |" for v in variants]
    lines += ["", "## Machine", "", *[f"- {k}: {v}" for k, v in machine(started).items()], ""]
    return "\n".join(lines)


def _weight(variant: str) -> int:
    point = CURVE[variant]
    return int(point.get("second_leader", POLICY_PRESETS[point["preset"]].second_leader))


def _all(results: list[Result | None], name: str, fmt: str = "{:,}") -> str:
    values = [getattr(r, name) if r is not None else None for r in results]
    return " / ".join("—" if v is None else fmt.format(v) for v in values)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.second_leader", description=__doc__.splitlines()[0])
    parser.add_argument("--regions", default=",".join(REGIONS), help="comma-separated region names")
    parser.add_argument("--seeds", default="1,2,3,4", help="comma-separated scenario seeds")
    parser.add_argument("--clients", type=int, default=400)
    parser.add_argument("--effort", type=float, default=EFFORT, help="deterministic seconds per solve")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated points of the curve")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/SECOND_LEADER.md"))
    parser.add_argument("--render", type=Path, metavar="RESULTS.json", help="write the report from earlier results")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    regions = [r.strip() for r in args.regions.split(",") if r.strip()]
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [r for r in regions if r not in REGIONS] + [v for v in variants if v not in CURVE]
    if unknown:
        print(f"unknown region(s) or curve point(s) {', '.join(unknown)}", file=sys.stderr)
        return 2
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    raw = args.out.with_suffix(".json")
    if args.render:
        results = load([args.render])
        args.out.write_text(render(results, started, args.effort))
        return 0
    results = []
    for seed in (int(s) for s in args.seeds.split(",")):
        for region in regions:
            for variant in ["greedy", *variants]:
                results.append(run(region, seed, args.clients, variant, args.effort))
                print(json.dumps(asdict(results[-1]), default=str), flush=True)
                raw.write_text(json.dumps([asdict(r) for r in results], indent=1, default=str) + "\n")
                args.out.write_text(render(results, started, args.effort))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
