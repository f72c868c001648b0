"""Whether a change moved the solver's plans: every region and seed planned on a fixed deterministic effort.

`python -m benchmarks.plan_digests OUT.json [--clients 200] [--effort 3]` plans each region
(`scheduler.scenario.REGIONS`) with seeds 1 and 2 on a deterministic effort the wall clock never
reaches, checks every plan with the independent checker, and writes per problem the objective,
the clients placed, the checker's violations and a digest of the groups. Run it at two commits
and compare the files: equal digests mean the change left every plan as it was (the regions
benchmark's figures stand); any difference means rerun `benchmarks.regions`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from scheduler.checker import check
from scheduler.contract import Group
from scheduler.scenario import REGIONS, generate
from solver import SolveParams, solve

__all__ = ["digests", "main"]


def digests(clients: int, effort: float, seeds: tuple[int, ...] = (1, 2)) -> dict[str, list[object]]:
    """`region/seed` -> [objective, placed, violations, digest of the groups]."""
    found: dict[str, list[object]] = {}
    for region in REGIONS:
        for seed in seeds:
            problem = generate(clients, seed, region=region, service=False)
            plan = solve(problem, SolveParams(time_limit=40 * effort, effort=effort))
            groups = json.dumps([_as_before(g) for g in plan.groups], sort_keys=True)
            found[f"{region}/{seed}"] = [
                plan.metrics.objective,
                sum(len(g.participants) for g in plan.groups),
                len(check(problem, plan)),
                hashlib.sha256(groups.encode()).hexdigest()[:16],
            ]
            print(region, seed, found[f"{region}/{seed}"], file=sys.stderr, flush=True)
    return found


KIND_FIELDS = {"start_date": None, "sessions": None, "remote_participants": [], "reach": None}
"""A group's fields of problem/2 (issue 17) with the values a problem/1 plan has: left out of the digest so that
digests taken before it compare."""


def _as_before(group: Group) -> dict[str, object]:
    data = group.model_dump(mode="json")
    return {k: v for k, v in data.items() if k not in KIND_FIELDS or v != KIND_FIELDS[k]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.plan_digests", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--effort", type=float, default=3.0)
    args = parser.parse_args(argv)
    args.out.write_text(json.dumps(digests(args.clients, args.effort), indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
