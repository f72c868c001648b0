"""python -m benchmarks.peer PROBLEM.json --seconds 30 [--seed 0] [--policy handbook|placement] --out PLAN.json"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from benchmarks.peer import peer_plan
from scheduler.contract import parse_problem


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.peer", description="The local-search peer's plan.")
    parser.add_argument("problem", type=Path)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--policy", choices=("handbook", "placement"), help="overrides the problem's preset")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    problem = parse_problem(json.loads(args.problem.read_text(encoding="utf-8")))
    if args.policy:
        problem = problem.model_copy(update={"policy": problem.policy.model_copy(update={"preset": args.policy})})
    plan = peer_plan(problem, args.seconds, args.seed)
    args.out.write_text(json.dumps(plan.dump(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    shape = plan.metrics.shape
    assert shape is not None
    print(
        f"placed {plan.metrics.placed}/{len(problem.clients)}, groups {shape.groups}, "
        f"two leaders {shape.two_leader_share:.0%}, mean size {shape.mean_size:.2f}"
    )


if __name__ == "__main__":
    main()
