"""Benchmark: the handbook's group kinds on every region — pop-ups, closed process groups, hybrid groups, peers.

Each region of `scheduler.scenario.REGIONS` is generated with group kinds (`generate(...,
group_kinds=True)`: process groups closed after their second session over their own term,
a hybrid model, peer instructors, pop-up slots a coordinator would set) and without them
(the problem/1 scenario), each planned by the solver in the same time; every plan goes
through the independent checker. Reported per region and seed: clients placed with and
without kinds, pop-ups placed of the slots and the waiting clients within their reach
(distinct, and the sum over pop-ups), hybrid groups and who joins from home, groups with a
peer instructor, the time the pop-up phase added, and the checker's verdict.

    python -m benchmarks.group_kinds [--regions a,b] [--seeds 1,2] [--clients 400] [--seconds 30]
                                     [--out benchmarks/GROUP_KINDS.md]

Not a test: about 2 × seeds × regions × seconds on two cores.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.report import page
from scheduler.checker import check
from scheduler.scenario import REGIONS, generate
from solver import SolveParams, solve

__all__ = ["main", "row"]

HEADER = (
    "| region | seed | placed, plain | placed, kinds | pop-ups / slots | reach (sum) | hybrid: room / home "
    "| peer-led | closed groups | wall plain (s) | wall kinds (s) | violations |"
)


def row(region: str, seed: int, clients: int, seconds: float) -> str:
    """One region and seed planned without and with group kinds, as a table row."""
    cells: list[str] = [region, str(seed)]
    walls, placed, faults = [], [], 0
    plans = []
    for kinds in (False, True):
        problem = generate(clients, seed, region=region, service=False, group_kinds=kinds)
        began = time.monotonic()
        plan = solve(problem, SolveParams(time_limit=seconds))
        walls.append(time.monotonic() - began)
        placed.append(plan.metrics.placed)
        faults += len(check(problem, plan))
        plans.append((problem, plan))
    problem, plan = plans[1]
    models = {t.id: t for t in problem.templates}
    peers = {s.id for s in problem.staff if s.peer}
    popups = [g for g in plan.groups if models[g.template].popup]
    hybrid = [g for g in plan.groups if g.modality == "hybrid"]
    closed = [g for g in plan.groups if models[g.template].admission == "closed"]
    cells += [
        str(placed[0]),
        str(placed[1]),
        f"{len(popups)} / {problem.popup_slots}",
        str(sum(g.reach or 0 for g in popups)),
        f"{len(hybrid)}: {sum(len(g.present) for g in hybrid)} / {sum(len(g.remote_participants) for g in hybrid)}",
        str(sum(bool(peers & set(g.leaders)) for g in plan.groups)),
        str(len(closed)),
        f"{walls[0]:.1f}",
        f"{walls[1]:.1f}",
        str(faults),
    ]
    print(" | ".join(cells), file=sys.stderr, flush=True)
    return "| " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.group_kinds", description=__doc__)
    parser.add_argument("--regions", default=",".join(REGIONS))
    parser.add_argument("--seeds", default="1,2")
    parser.add_argument("--clients", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/GROUP_KINDS.md"))
    args = parser.parse_args(argv)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = [
        row(region, int(seed), args.clients, args.seconds)
        for region in args.regions.split(",")
        for seed in args.seeds.split(",")
    ]
    intro = (
        f"`python -m benchmarks.group_kinds --clients {args.clients} --seconds {args.seconds:g}`: each region and "
        "seed planned without group kinds (the problem/1 scenario) and with them (`group_kinds=True`), the same "
        "time each, every plan checked by the independent checker (violations: both plans together). Reach: "
        "waiting clients the plan left unplaced within each pop-up's reach, summed over the pop-ups."
    )
    args.out.write_text(page("Group kinds on every region", intro, HEADER, rows, started), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
