"""Benchmark: how problems split into independent parts (`solver.split`), what the split costs, and
`solve` beside `solve_split` on the same time limit.

    python -m benchmarks.split [--clients 400] [--large 2000,5000] [--seconds 20] [--effort E] [--out FILE]

For each region at `--clients` (seed 0), and two copies of Western Uusimaa far apart
(`far_apart`), it splits the problem (the parts: clients / candidate groups / kept after
pruning), times the split, and plans it with `solve` and with `solve_split` on the same
time limit (the effort is the limit's default share; with `--effort` that deterministic effort on a
limit the wall clock never reaches, 40 s a unit, so the plans repeat whatever the machine's load).
At the `--large`
sizes it times the split only, beside `build_instance` (what the split costs at least).
Every plan goes through the independent checker.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.report import machine
from scheduler.checker import check
from scheduler.contract import Problem, parse_problem
from scheduler.scenario import REGIONS, generate
from solver import SolveParams, solve, solve_split, split
from solver.candidates import Limits, build_instance

__all__ = ["far_apart", "main"]


def far_apart(problem: Problem, shift: float = 4.0) -> Problem:
    """The problem and a copy of it `shift`° of latitude north (4°: 450 km), with in-person group models only.

    No client or leader of one copy reaches the other's hubs; remote and hybrid models are left
    out because anyone may join or lead them from anywhere (they would tie the copies together).
    The copy's hubs, rooms, staff, clients and counsellors are named `b-` and the original's.
    """
    data = problem.dump()
    kept = {t["id"] for t in data["templates"] if t["modality"] == "in_person"}
    data["templates"] = [t for t in data["templates"] if t["id"] in kept]
    data["groups"] = [g for g in data.get("groups", []) if g["template"] in kept]

    def moved(point: dict[str, Any]) -> dict[str, Any]:
        return {**point, "lat": point["lat"] + shift}

    hubs = [
        {**moved(h), "id": f"b-{h['id']}", "rooms": [{**r, "id": f"b-{r['id']}"} for r in h.get("rooms", [])]}
        for h in data["hubs"]
    ]
    staff = [{**s, "id": f"b-{s['id']}", "base_hub": f"b-{s['base_hub']}"} for s in data["staff"]]
    clients = [
        {**c, "id": f"b-{c['id']}", "home": moved(c["home"])}
        | ({"counsellor": f"b-{c['counsellor']}"} if c.get("counsellor") else {})
        for c in data["clients"]
    ]
    counsellors = [{**c, "id": f"b-{c['id']}"} for c in data.get("counsellors", [])]
    copies = {"hubs": hubs, "staff": staff, "clients": clients, "counsellors": counsellors}
    return parse_problem({**data, **{key: data.get(key, []) + more for key, more in copies.items()}})


def _timed(work: Any, *args: Any) -> tuple[Any, float]:
    began = time.perf_counter()
    result = work(*args)
    return result, time.perf_counter() - began


def compare(name: str, problem: Problem, params: SolveParams) -> str:
    """One row: the parts, the split's time, and `solve` beside `solve_split`."""
    parts, split_seconds = _timed(split, problem, params)
    whole, whole_seconds = _timed(solve, problem, params)
    merged, merged_seconds = _timed(solve_split, problem, params)
    sizes = " + ".join(f"{p.clients}/{p.candidates}/{p.active}" for p in parts)
    violations = len(check(problem, whole)), len(check(problem, merged))
    row = (
        f"| {name} | {len(problem.clients)} | {len(parts)} | {sizes} | {split_seconds:.2f} | "
        f"{whole.metrics.placed} | {merged.metrics.placed} | {whole.metrics.objective:,.0f} | "
        f"{merged.metrics.objective:,.0f} | {'yes' if whole.groups == merged.groups else 'no'} | "
        f"{whole_seconds:.1f} | {merged_seconds:.1f} | {violations[0]}/{violations[1]} |"
    )
    print(row, file=sys.stderr, flush=True)
    return row


def large(region: str, clients: int, seconds: float) -> str:
    """One row: the split of a large problem beside what building its candidates alone takes."""
    problem = generate(clients, 0, region=region)
    params = SolveParams(time_limit=seconds)
    _, build_seconds = _timed(build_instance, problem, Limits.of(problem, params))
    parts, split_seconds = _timed(split, problem, params)
    sizes = " + ".join(f"{p.clients}/{p.candidates}/{p.active}" for p in parts)
    row = f"| {region} | {clients} | {len(parts)} | {sizes} | {build_seconds:.2f} | {split_seconds:.2f} |"
    print(row, file=sys.stderr, flush=True)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.split", description=__doc__)
    parser.add_argument("--clients", type=int, default=400)
    parser.add_argument("--large", default="2000,5000")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--effort", type=float, default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    params = SolveParams(time_limit=args.seconds)
    limit = f"a {args.seconds:g} s limit"
    if args.effort is not None:
        params = SolveParams(time_limit=40 * args.effort, effort=args.effort)
        limit = f"a deterministic effort of {args.effort:g} (limit {40 * args.effort:g} s, never reached)"
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [
        f"Each region at {args.clients} clients (seed 0) and two copies of Western Uusimaa far apart; "
        f"`solve` and `solve_split` on {limit} each. Parts: clients / candidate groups / "
        "kept after pruning.",
        "",
        "| problem | clients | parts | sizes | split s | placed (solve) | placed (split) | objective (solve) | "
        "objective (split) | same groups | solve s | solve_split s | violations |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for region in REGIONS:
        lines.append(compare(region, generate(args.clients, 0, region=region), params))
    apart = far_apart(generate(args.clients // 2, 0, region="lansi-uusimaa"))
    lines.append(compare("lansi-uusimaa ×2 far apart", apart, params))
    lines += [
        "",
        "| region | clients | parts | sizes | build_instance s | split s |",
        "|---|---:|---:|---|---:|---:|",
    ]
    for clients in (int(n) for n in args.large.split(",") if n):
        lines.append(large("lansi-uusimaa", clients, args.seconds))
    lines += ["", *(f"- {key}: {value}" for key, value in machine(started).items())]
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
