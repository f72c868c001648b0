"""Benchmark: a 26-week season at 400 clients, simulated under two policies, in each built-in region.

Each season runs the real weekly cycle (`tarjotin simulate`) on its own SQLite database: referrals
imported, planned, published, offers answered, attendance recorded, endings. Timed from the first
import to the season's figures, one policy's season at a time (a report of two policies takes the
sum). Target: 26 weeks at 400 clients within 10 minutes on two cores. The waits and shapes beside the
times show what the policies do in regions of different character; the weekly solve's limits are
stated, and the world is the default one (docs/simulate.md).

    python -m benchmarks.simulate [--regions lansi-uusimaa,lappi] [--clients 400] [--weeks 26]
                                  [--out benchmarks/SIMULATE.md] [--json benchmarks/SIMULATE.json]

Not a test: the numbers depend on the machine, which the report names.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.report import page
from scheduler.scenario import REGIONS
from scheduler.services.simulation import Season, parse_policy, run_season

TARGET_SECONDS = 600.0
POLICIES = ("handbook", "placement")


def _num(value: float | None, fmt: str = "{:.0f}") -> str:
    return "–" if value is None else fmt.format(value)


def _row(s: dict[str, Any]) -> str:
    """One policy's season as a row of the report."""
    share, use = s["mean_two_leader_share"], s["mean_seat_use"]
    return (
        f"| {s['region']} | {s['policy']} | {s['seconds']:.0f} | {_num(s['median_wait_days'])} | "
        f"{_num(s['p90_wait_days'])} | {s['past_three_months']} | {s['still_waiting_past_three_months']} | "
        f"{s['still_waiting']} | {s['groups_opened']} | {_num(share and 100 * share)} | {_num(use and 100 * use)} | "
        f"{s['staff_minutes'] // 60} | {s['driving_minutes'] // 60} | {s['seconds'] < TARGET_SECONDS} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", default=",".join(REGIONS))
    parser.add_argument("--clients", type=int, default=400)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--effort", type=float, default=2.0)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/SIMULATE.md"))
    parser.add_argument("--json", type=Path, default=Path("benchmarks/SIMULATE.json"))
    parser.add_argument("--report-only", action="store_true", help="write the report again from --json, run nothing")
    args = parser.parse_args()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    found: list[dict[str, object]] = json.loads(args.json.read_text()) if args.report_only else []
    for region in [] if args.report_only else args.regions.split(","):
        season = Season(region, args.clients, args.weeks, args.seed, effort=args.effort)
        for name in POLICIES:
            with tempfile.TemporaryDirectory() as tmp:
                began = time.perf_counter()
                run = run_season(season, parse_policy(name), f"sqlite:///{Path(tmp) / 'season.db'}")
                seconds = time.perf_counter() - began
            found.append({"region": region, "policy": name, "seconds": round(seconds, 1), **run.season.model_dump()})
            print(_row(found[-1]), flush=True)
    rows = [_row(row) for row in found]
    intro = (
        f"`python -m benchmarks.simulate --clients {args.clients} --weeks {args.weeks}`: seed {args.seed}, each "
        f"weekly solve {args.effort:g} deterministic seconds of CP-SAT effort on 2 workers (20 s wall-clock "
        "limit), the default world. Seconds: one policy's whole season, from importing the scenario to the "
        f"season's figures. Target: under {TARGET_SECONDS / 60:.0f} minutes. Waits are days from case opening to "
        "first session (median, 90th percentile) of the first sessions held in the season; 'past 3 mo' counts "
        "first sessions more than three months after the case opening, 'still >3 mo' those in service still "
        "waiting past three months at the end, 'waiting' everyone in service without a seat at the end. Seat use "
        "is seats taken over the running groups' seats and 'two leaders' the running groups led by two, each averaged "
        "over the weeks (%); staff and driving in hours."
    )
    header = (
        "| region | policy | seconds | median wait | p90 wait | past 3 mo | still >3 mo | waiting | groups opened "
        "| two leaders % | seat use % | staff h | driving h | under target |"
    )
    args.out.write_text(page("Season simulation benchmark", intro, header, rows, started))
    if not args.report_only:
        args.json.write_text(json.dumps(found, indent=1, default=str) + "\n")
    print(f"wrote {args.out} and {args.json}")


if __name__ == "__main__":
    main()
