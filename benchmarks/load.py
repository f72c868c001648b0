"""Load benchmark: `tarjotin serve` with several workers on PostgreSQL under a real load generator.

Locust (`benchmarks/locustfile.py`, headless) sends a mix of the routes a county's callers
use: the anonymous offering (`GET /offering`), the offering page (`GET /`), a group's
calendar feed without and with `If-None-Match`, recommendations for anonymous profiles
and counsellors' reservations (seats run out: a 409 "full" is an expected answer). Each
level of concurrent clients runs for `--duration` seconds; throughput, p50 and p99 per
route and the errors (which must be zero: the command fails otherwise) go to the report.

    python -m benchmarks.load [--clients 300] [--users 8,32,128] [--duration 30] [--workers 2]
                              [--database-url URL] [--out benchmarks/LOAD.md]

Without --database-url, a database `tarjotin_load` on the local PostgreSQL is made anew.
Not a test: the numbers depend on the machine (and what else runs on it), which the report names.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.orm import Session

from benchmarks.report import machine
from benchmarks.service import _profile
from scheduler.scenario import generate
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, upgrade
from solver import SolveParams, solve
from tests.api.conftest import fitting_clients, publish_scenario

BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
POSTGRES_LOAD = "postgresql+psycopg://postgres@127.0.0.1:5432/tarjotin_load"
STOP_TIMEOUT_SECONDS = 90
"""How long locust lets the requests in flight at the end of a level finish (longer than the pool's 30 s wait)."""
SEATS_PER_GROUP = 12
"""Fitting clients made per group for reservations (more than any group's capacity, so groups fill)."""


@dataclass
class Row:
    users: int
    route: str
    requests: int
    per_second: float
    p50: float
    p99: float
    errors: int


def _fresh_postgres() -> str:
    admin = make_engine(POSTGRES_ADMIN).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS tarjotin_load WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE tarjotin_load"))
    admin.dispose()
    return POSTGRES_LOAD


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """`tarjotin serve --workers N` on a free port, once it answers."""
    return serve_command([str(BIN / "tarjotin"), "serve"], url, workers)


def serve_command(
    command: list[str], url: str, workers: int, cwd: Path | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """`command` (a `tarjotin serve`) on a free port with `--workers N`, once it answers."""
    port = _free_port()
    server = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env={**os.environ, "TARJOTIN_DATABASE_URL": url},
        cwd=cwd,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"tarjotin serve stopped with {server.returncode}")
        try:
            if httpx.get(f"{base}/offering", timeout=5).status_code == 200:
                return server, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("tarjotin serve did not answer in 10 minutes")


def _data(url: str, base: str, headers: dict[str, dict[str, str]], problem: Any) -> dict[str, Any]:
    """What the visitors need: tokens, groups with their feeds' ETags, profiles, and reservations that fit."""
    groups = httpx.get(f"{base}/offering", params={"limit": 500}, timeout=60).json()["items"]
    engine = make_engine(url)
    shim = SimpleNamespace(session=lambda: Session(engine, expire_on_commit=False))
    pairs = []
    for number, group in enumerate(groups):
        pairs += [[client, group["id"]] for client in fitting_clients(shim, group, SEATS_PER_GROUP, f"load{number}")]  # type: ignore[arg-type]
    engine.dispose()
    random.Random(13).shuffle(pairs)
    with httpx.Client(base_url=base, timeout=60) as http:
        feeds = [{"id": g["id"], "etag": http.get(f"/calendars/groups/{g['id']}.ics").headers["ETag"]} for g in groups]
    rng = random.Random(7)
    return {
        "counsellor": headers["counsellor"],
        "groups": feeds,
        "profiles": [_profile(problem, rng) for _ in range(200)],
        "pairs": pairs,
    }


def _locust(base: str, data: Path, users: int, duration: int, folder: Path, routes: list[str]) -> list[Row]:
    prefix = folder / f"users{users}"
    tags = ["--tags", *routes] if routes else []
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--only-summary",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{duration}s",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
            # Requests still in flight at the end are waited for and counted: a stalled server shows as
            # failed or slow requests, not as requests that were never counted.
            "--stop-timeout",
            str(STOP_TIMEOUT_SECONDS),
            *tags,
        ],
        env={**os.environ, "TARJOTIN_LOAD_DATA": str(data)},
        check=True,
    )
    rows = []
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        for line in csv.DictReader(stats):
            route = line["Name"] if line["Name"] == "Aggregated" else line["Name"]
            rows.append(
                Row(
                    users,
                    "all routes" if route == "Aggregated" else route,
                    int(line["Request Count"]),
                    float(line["Requests/s"]),
                    float(line["50%"]),
                    float(line["99%"]),
                    int(line["Failure Count"]),
                )
            )
    return rows


def _load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1 / 5 / 15 min)"


def report(args: argparse.Namespace, rows: list[Row], groups: int, started: str, loads: tuple[str, str]) -> str:
    intro = (
        f"`python -m benchmarks.load --clients {args.clients} --users {','.join(map(str, args.users))} "
        f"--duration {args.duration} --workers {args.workers}"
        + (f" --routes {','.join(args.routes)}" if args.routes else "")
        + f"`: the built-in scenario ({args.clients} clients, "
        f"{groups} published groups) on PostgreSQL, `tarjotin serve --workers {args.workers}`, and locust "
        "(headless, on the same machine, no think time: the clients are the requests in flight) sending the "
        "mix: offering 4, offering page 3, feed 2, feed with If-None-Match (304) 2, recommendation for an "
        f"anonymous profile 2, reservation 1. Each level runs {args.duration} s. A reservation answered 409 "
        "(the group is full) or replayed (same Idempotency-Key) is an expected answer; errors are every other "
        "failed request, and must be zero."
    )
    lines = [
        "# Load benchmark",
        "",
        intro,
        "",
        "| clients | route | requests | req/s | p50 ms | p99 ms | errors |",
        "|---:|---|---:|---:|---:|---:|---:|",
        *(
            f"| {r.users} | {r.route} | {r.requests} | {r.per_second:.1f} | {r.p50:.0f} | {r.p99:.0f} | {r.errors} |"
            for r in rows
        ),
        "",
        "## Machine",
        "",
        *[f"- {key}: {value}" for key, value in {**machine(started), "load at start": loads[0]}.items()],
        f"- load at the end: {loads[1]}",
        "",
    ]
    return "\n".join(lines)


KEPT = "## Where the time goes"
"""The report's hand-written part (the profile of the slowest route, before and after): kept on a rerun."""


def _kept(out: Path) -> str:
    if not out.exists():
        return ""
    text_ = out.read_text(encoding="utf-8")
    return "\n" + text_[text_.index(KEPT) :] if KEPT in text_ else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load benchmark of tarjotin serve on PostgreSQL (locust).")
    parser.add_argument("--clients", type=int, default=300, help="scenario size")
    parser.add_argument("--time-limit", type=float, default=10.0, help="solver time for the published plan")
    parser.add_argument("--users", type=lambda s: [int(x) for x in s.split(",")], default=[8, 32, 128])
    parser.add_argument("--duration", type=int, default=30, help="seconds per level")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--routes",
        type=lambda s: s.split(","),
        default=[],
        help="only these of offering,page,feed,recommend,reserve (default: all, mixed)",
    )
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: tarjotin_load, made anew)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/LOAD.md"))
    args = parser.parse_args(argv)
    started, load_start = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), _load_average()
    problem = generate(args.clients, 1)
    plan = solve(problem, SolveParams(time_limit=args.time_limit, workers=2))
    url = args.database_url or _fresh_postgres()
    upgrade(Settings(database_url=url))
    headers = publish_scenario(url, problem, plan)
    server, base = _serve(url, args.workers)
    try:
        with tempfile.TemporaryDirectory(prefix="tarjotin-load-") as folder:
            data = Path(folder) / "data.json"
            data.write_text(json.dumps(_data(url, base, headers, problem)), encoding="utf-8")
            rows = [
                row
                for users in args.users
                for row in _locust(base, data, users, args.duration, Path(folder), args.routes)
            ]
    finally:
        server.terminate()
        server.wait(timeout=60)
    text_ = report(args, rows, len(plan.groups), started, (load_start, _load_average()))
    args.out.write_text(text_ + _kept(args.out), encoding="utf-8")
    print(text_)
    errors = sum(r.errors for r in rows if r.route == "all routes")
    if errors:
        print(f"{errors} errors: see the report", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
