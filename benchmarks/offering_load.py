"""Benchmark: the offering under load, route by route, with an async client against `tarjotin serve`.

A 300-client county (the built-in scenario, planned and published) on SQLite or PostgreSQL; `tarjotin
serve` with one process or several; an async HTTP client (httpx, on the same machine, no think time: the
concurrency is the requests in flight) sends one route at a time for `--seconds`: the offering as JSON
(`GET /offering`), the offering page (`GET /`), a recommendation for an anonymous profile (`POST
/offering/recommend`, 200 profiles in turn) and the whole offering as a calendar feed
(`GET /calendars/offering.ics`, served from bytes already rendered: the yardstick). Errors are every answer
that is not 200, and must be zero.

    python -m benchmarks.offering_load [--clients 300] [--concurrency 8,32,128] [--seconds 10]
        [--processes 1,2] [--databases sqlite,postgresql] [--label after] [--json FILE]
        [--compare BEFORE.json] [--out benchmarks/OFFERING.md]

`--compare` names the JSON of the same command run on the code before the change (same machine), to
state the gain. Not a test: the numbers depend on the machine, which the report names.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from benchmarks.load import _fresh_postgres, _serve
from benchmarks.report import machine
from benchmarks.service import _profile
from scheduler.scenario import generate
from scheduler.settings import Settings
from scheduler.storage.database import upgrade
from solver import SolveParams, solve
from tests.api.conftest import publish_scenario

ROUTES = ("GET /offering", "GET / (page)", "POST /offering/recommend", "GET /calendars/offering.ics")


def _request(route: str, profiles: list[dict[str, Any]], n: int) -> tuple[str, str, dict[str, Any] | None]:
    if route == "GET /offering":
        return "GET", "/offering", None
    if route == "GET / (page)":
        return "GET", "/", None
    if route == "POST /offering/recommend":
        return "POST", "/offering/recommend", {"profile": profiles[n % len(profiles)]}
    return "GET", "/calendars/offering.ics", None


async def _hammer(base: str, route: str, concurrency: int, seconds: float, profiles: list[dict[str, Any]]) -> dict:
    """Requests of one route from `concurrency` tasks for `seconds`: count, rate, p50, p99, errors."""
    latencies: list[float] = []
    errors = 0
    kinds: dict[str, int] = {}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        await client.get("/")  # the page's cookies, as a browser keeps them
        loop = asyncio.get_running_loop()
        began = loop.time()
        deadline = began + seconds
        counter = iter(range(10**9))

        async def task() -> None:
            nonlocal errors
            while loop.time() < deadline:
                method, path, body = _request(route, profiles, next(counter))
                start = time.perf_counter()
                try:
                    answer = await client.request(method, path, json=body)
                    kind = "" if answer.status_code == 200 else str(answer.status_code)
                except httpx.HTTPError as error:
                    kind = type(error).__name__
                latencies.append((time.perf_counter() - start) * 1000)
                if kind:
                    errors += 1
                    kinds[kind] = kinds.get(kind, 0) + 1

        await asyncio.gather(*(task() for _ in range(concurrency)))
        took = loop.time() - began
    ordered = sorted(latencies)
    return {
        "route": route,
        "concurrency": concurrency,
        "requests": len(ordered),
        "per_second": round(len(ordered) / took, 1),
        "p50_ms": round(statistics.median(ordered), 1) if ordered else None,
        "p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)], 1) if ordered else None,
        "errors": errors,
        "error_kinds": kinds,
    }


def _database(kind: str, folder: Path, problem: Any, plan: Any) -> str:
    url = f"sqlite:///{folder / 'offering.db'}" if kind == "sqlite" else _fresh_postgres()
    upgrade(Settings(database_url=url))
    publish_scenario(url, problem, plan)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--concurrency", default="8,32,128")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--routes", default=",".join(ROUTES))
    parser.add_argument("--label", default="after")
    parser.add_argument("--json", type=Path, default=Path("benchmarks/OFFERING.json"))
    parser.add_argument("--compare", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/OFFERING.md"))
    args = parser.parse_args()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    problem = generate(args.clients, 1)
    plan = solve(problem, SolveParams(time_limit=20, workers=2))
    rng = random.Random(7)
    profiles = [_profile(problem, rng) for _ in range(200)]
    rows: list[dict[str, Any]] = []
    for kind in args.databases.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            url = _database(kind, Path(tmp), problem, plan)
            for processes in [int(p) for p in args.processes.split(",")]:
                server, base = _serve(url, processes)
                try:
                    groups = len(httpx.get(f"{base}/offering", params={"limit": 500}, timeout=60).json()["items"])
                    for route in args.routes.split(","):
                        for concurrency in [int(c) for c in args.concurrency.split(",")]:
                            row = asyncio.run(_hammer(base, route, concurrency, args.seconds, profiles))
                            row.update(database=kind, processes=processes, groups=groups, label=args.label)
                            print(json.dumps(row), flush=True)
                            rows.append(row)
                finally:
                    server.terminate()
                    server.wait(timeout=60)
    args.json.write_text(json.dumps({"started": started, "machine": machine(started), "rows": rows}, indent=1) + "\n")
    before = json.loads(args.compare.read_text())["rows"] if args.compare else []
    args.out.write_text(report(args, rows, before, started))
    print(f"wrote {args.out} and {args.json}")


def _errors(row: dict[str, Any]) -> str:
    kinds = row.get("error_kinds") or {}
    return str(row["errors"]) + (f" ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})" if kinds else "")


def _key(row: dict[str, Any]) -> tuple[str, int, str, int]:
    return (row["database"], row["processes"], row["route"], row["concurrency"])


def report(args: argparse.Namespace, rows: list[dict[str, Any]], before: list[dict[str, Any]], started: str) -> str:
    was = {_key(r): r for r in before}
    feed = {(r["database"], r["processes"], r["concurrency"]): r for r in rows if r["route"] == ROUTES[3]}
    groups = rows[0]["groups"] if rows else 0
    lines = [
        "# Offering load benchmark",
        "",
        f"`python -m benchmarks.offering_load --clients {args.clients} --concurrency {args.concurrency} "
        f"--seconds {args.seconds:g} --processes {args.processes} --databases {args.databases}`: the built-in "
        f"scenario ({args.clients} clients, {groups} published groups), `tarjotin serve` with 1 or 2 processes, an "
        "async httpx client on the same machine sending one route at a time (no think time: the concurrency is "
        f"the requests in flight) for {args.seconds:g} s. Errors: answers other than 200 (zero everywhere, or "
        "the run says so). 'Before': the same command on the code before the offering was kept "
        "(where measured); 'of feed': the rate as a share of the cached offering feed's at the same setting.",
        "",
        "| database | processes | route | concurrency | requests | req/s | before req/s | × before | of feed "
        "| p50 ms | p99 ms | errors |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        old = was.get(_key(row))
        yard = feed.get((row["database"], row["processes"], row["concurrency"]))
        times = f"{row['per_second'] / old['per_second']:.1f}" if old and old["per_second"] else "–"
        share = f"{row['per_second'] / yard['per_second']:.0%}" if yard and yard["per_second"] else "–"
        lines.append(
            f"| {row['database']} | {row['processes']} | {row['route']} | {row['concurrency']} | {row['requests']} "
            f"| {row['per_second']:.0f} | {old['per_second'] if old else '–'} | {times} | {share} "
            f"| {row['p50_ms']} | {row['p99_ms']} | {_errors(row)} |"
        )
    lines += ["", "## Machine", "", *[f"- {k}: {v}" for k, v in machine(started).items()], ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
