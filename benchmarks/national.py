"""Benchmark: the national scenario planned on the job queue by 1, 2 and 4 worker processes.

    python -m benchmarks.national [--clients 2000,5000,10000,20000] [--workers 1,2,4] [--at 20000]
                                  [--seconds-per-client 0.012] [--alone 2000] [--out FILE]

For each size in `--clients` it plans the national scenario (`tarjotin scenario --region national`,
seed 1) with two workers, and at the `--at` size also with each count in `--workers`: the problem
is imported into a fresh PostgreSQL database (TARJOTIN_BENCH_POSTGRES_URL, by default
`tarjotin_bench` on 127.0.0.1), `tarjotin worker` processes are started on Redis
(TARJOTIN_BENCH_BROKER_URL, by default 127.0.0.1:6379), and a run is started as the service
starts one (`PlanningJobs.start`). The run splits into its counties, each a task on the queue,
merged into one draft. Measured: the wall time from the start to the draft, and to the draft
checked by the independent checker; clients placed; violations; the peak memory (VmHWM) of each
worker. The time limit is `--seconds-per-client` times the clients (the parts share it).

At the `--alone` sizes it also plans each county alone in this process (`solver.solve` of each
county's problem with its share of the limit, one after another) and adds up the clients placed:
the queue's plan should place the same.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import solver
from benchmarks.report import machine
from scheduler.checker import check
from scheduler.contract import Plan, Problem
from scheduler.scenario import generate_national
from scheduler.services.planning.jobs import JobOptions, PlanningJobs
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope, upgrade
from scheduler.storage.models import PlanningRun
from scheduler.storage.repository import import_problem

__all__ = ["main"]

POSTGRES = os.environ.get("TARJOTIN_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/tarjotin_bench")
BROKER = os.environ.get("TARJOTIN_BENCH_BROKER_URL", "redis://127.0.0.1:6379/0")
TARJOTIN = str(Path(sys.executable).parent / "tarjotin")
SEED = 1


def _fresh_database(url: str) -> None:
    """Drop and create the benchmark's database, then migrate it."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    upgrade(Settings(database_url=url))


def _peak_mib(pid: int) -> float:
    """A process's peak resident memory so far (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def plan_on_queue(problem: Problem, workers: int, seconds: float) -> dict[str, Any]:
    """Import the problem, plan it on the queue with that many workers, check the draft."""
    _fresh_database(POSTGRES)
    engine = make_engine(POSTGRES)
    with session_scope(engine) as session:
        import_problem(session, problem, actor="benchmark")
    queue = f"tarjotin-bench-{uuid.uuid4().hex[:8]}"
    settings = Settings(database_url=POSTGRES, broker_url=BROKER, queue_name=queue)
    env = {**os.environ, "TARJOTIN_DATABASE_URL": POSTGRES, "TARJOTIN_BROKER_URL": BROKER, "TARJOTIN_QUEUE_NAME": queue}
    processes = [
        subprocess.Popen([TARJOTIN, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(workers)
    ]
    try:
        time.sleep(3)  # the workers import OR-Tools and connect before the clock starts
        jobs = PlanningJobs(engine, settings=settings)
        began = time.perf_counter()
        run_id = jobs.start(JobOptions(time_limit=seconds), actor="benchmark")
        assert jobs.wait(seconds * 4 + 600, run_id), "the run did not end"
        planned = time.perf_counter() - began
        with session_scope(engine) as session:
            run = session.get(PlanningRun, run_id)
            assert run is not None
            status, error, parts, stored = run.status, run.error, run.parts, (run.problem, run.plan)
        assert status == "draft", f"run {run_id} ended {status}: {error}"
        plan = Plan.model_validate(stored[1])
        violations = check(Problem.model_validate(stored[0]), plan)
        checked = time.perf_counter() - began
        peaks = [round(_peak_mib(p.pid)) for p in processes]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
        engine.dispose()
    return {
        "clients": len(problem.clients),
        "workers": workers,
        "time_limit": round(seconds, 1),
        "parts": parts,
        "planned_s": round(planned, 1),
        "checked_s": round(checked, 1),
        "placed": plan.metrics.placed,
        "violations": len(violations),
        "peak_mib": peaks,
    }


def each_county_alone(problem: Problem, seconds: float) -> int:
    """Clients placed when each county is planned alone, one after another, with its share of the limit."""
    parts = solver.split(problem, solver.SolveParams(time_limit=seconds))
    return sum(solver.solve(part.problem, part.params).metrics.placed for part in parts)


def _table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| clients | workers | time limit s | parts | planned s | planned and checked s | placed | violations | "
        "peak MiB per worker | each county alone |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in rows:
        alone = f"{r['alone']:,}" if "alone" in r else "–"
        lines.append(
            f"| {r['clients']:,} | {r['workers']} | {r['time_limit']} | {r['parts']} | {r['planned_s']} | "
            f"{r['checked_s']} | {r['placed']:,} | {r['violations']} | {', '.join(map(str, r['peak_mib']))} | {alone} |"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="2000,5000,10000,20000")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--at", type=int, default=20000)
    parser.add_argument("--seconds-per-client", type=float, default=0.012)
    parser.add_argument("--alone", default="2000")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/NATIONAL.md"))
    args = parser.parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    sizes = [int(n) for n in args.clients.split(",") if n]
    alone = {int(n) for n in args.alone.split(",") if n}
    rows = []
    for clients in sizes:
        problem = generate_national(clients, SEED)
        seconds = args.seconds_per_client * clients
        counts = [int(w) for w in args.workers.split(",")] if clients == args.at else [2]
        for workers in counts:
            row = plan_on_queue(problem, workers, seconds)
            if clients in alone and workers == counts[0]:
                row["alone"] = each_county_alone(problem, seconds)
            rows.append(row)
            print(_table([row])[-1], flush=True)
    lines = [
        "# The national scenario on the job queue",
        "",
        "`python -m benchmarks.national` — every county and Helsinki (`tarjotin scenario --region national`, seed "
        f"{SEED}), planned on the Redis queue by `tarjotin worker` processes over PostgreSQL, each county a task. "
        f"Time limit {args.seconds_per_client} s per client, shared by the counties. 'Planned s' is from the start "
        "of the run to its draft; 'planned and checked' adds reading the draft and the independent checker. "
        "'Each county alone': each county's problem solved alone, one after another in one process, clients placed "
        "added up.",
        "",
        *_table(rows),
        "",
        *[f"- {key}: {value}" for key, value in machine(started).items()],
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
