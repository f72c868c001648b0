"""Benchmark: the offering under load, route by route, with `wrk` against `tarjotin serve`.

A 300-client county (the built-in scenario, planned and published) on SQLite or PostgreSQL; `tarjotin
serve` with one process or several; `wrk` (one thread, C, on the same machine: it takes little of the two
cores the server needs; no think time: the concurrency is the connections, each with a request in flight)
sends one route at a time for `--seconds` as a browser would after its first visit (gzip, the page's
cookies): the offering as JSON (`GET /offering`), the offering page (`GET /`), a recommendation for an
anonymous profile (`POST /offering/recommend`, 200 profiles in turn) and the whole offering as a calendar
feed (`GET /calendars/offering.ics`, served from bytes already rendered: the yardstick). Each route is asked
for two seconds before it is measured. Errors are every answer that is not 2xx and every failed
connection, read, write or timeout, and must be zero.

    python -m benchmarks.offering_load [--clients 300] [--concurrency 1,8,32,128] [--seconds 10]
        [--processes 1,2] [--databases sqlite,postgresql] [--label after] [--json FILE]
        [--code TREE] [--compare BEFORE.json] [--out benchmarks/OFFERING.md]

`--code` serves (and makes the database with) the code in another tree, e.g. a worktree of the commit
before a change, in this environment: its JSON, given to `--compare`, states the gain on the same machine.
Not a test: the numbers depend on the machine, which the report names. Needs `wrk` (Debian's package).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from benchmarks.load import _fresh_postgres, _serve, serve_command
from benchmarks.report import machine
from benchmarks.service import _profile
from scheduler.scenario import generate
from scheduler.settings import Settings
from scheduler.storage.database import upgrade
from solver import SolveParams, solve
from tests.api.conftest import publish_scenario

ROUTES = ("GET /offering", "GET / (page)", "POST /offering/recommend", "GET /calendars/offering.ics")


LUA = Path(__file__).with_name("offering_load.lua")
WARM_SECONDS = 2.0
"""Each route is asked for this long before it is measured: the first answers build what is kept."""


def _hammer(
    base: str, route: str, concurrency: int, seconds: float, bodies: Path, headers: dict[str, str]
) -> dict[str, Any]:
    """`wrk` sending one route from `concurrency` connections for `seconds`: count, rate, p50, p99, errors."""
    method, path = route.split(" ")[:2]
    # a request still unanswered when the run ends counts as a timeout: an error, not a request left out
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{seconds:g}s", "--timeout", f"{seconds:g}s", "-s", str(LUA)]
    command += [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    command += [base + path, "--"] + ([str(bodies)] if method == "POST" else [])
    ran = subprocess.run(command, capture_output=True, text=True, check=True)
    found = json.loads(ran.stdout.strip().splitlines()[-1])
    kinds = {k: found[k] for k in ("status", "connect", "read", "write", "timeout") if found[k]}
    took = found["duration_us"] / 1e6
    return _unanswered(
        {
            "route": route,
            "concurrency": concurrency,
            "requests": found["requests"],
            "per_second": round(found["requests"] / took, 1),
            "p50_ms": round(found["p50_us"] / 1000, 1),
            "p99_ms": round(found["p99_us"] / 1000, 1),
            "errors": sum(kinds.values()),
            "error_kinds": kinds,
        }
    )


def _unanswered(row: dict[str, Any]) -> dict[str, Any]:
    """A run in which no request was answered had every connection's request fail (`wrk` counts only the
    answered, and a timeout only once the run is over)."""
    if row["requests"] == 0 and not row["errors"]:
        row = {**row, "errors": row["concurrency"], "error_kinds": {"unanswered": row["concurrency"]}}
    return row


def _settle(base: str) -> None:
    """Wait until the server answers promptly again: requests the last run left queued are done (a server
    that fell behind is measured afresh, not through the last run's backlog)."""
    for _ in range(120):
        try:
            started = time.monotonic()
            if httpx.get(f"{base}/healthz", timeout=60).status_code == 200 and time.monotonic() - started < 1:
                return
        except httpx.TransportError:
            pass
        time.sleep(1)


def _browser_headers(base: str) -> dict[str, str]:
    """What a browser sends after its first visit: gzip, and the page's cookies (language, CSRF)."""
    first = httpx.get(f"{base}/", timeout=60)
    cookies = "; ".join(f"{name}={value}" for name, value in first.cookies.items())
    return {"Accept-Encoding": "gzip", **({"Cookie": cookies} if cookies else {})}


PREPARE = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from scheduler.contract import Plan, Problem
from scheduler.settings import Settings
from scheduler.storage.database import upgrade
from tests.api.conftest import publish_scenario
upgrade(Settings(database_url=sys.argv[2]))
problem = Problem.model_validate_json(Path(sys.argv[3]).read_text())
publish_scenario(sys.argv[2], problem, Plan.model_validate_json(Path(sys.argv[4]).read_text()))
"""
"""The database made by the code in another tree (`--code`): its own schema, the same scenario and plan."""

SERVE = "import sys; sys.path.insert(0, sys.argv.pop(1)); from api.cli import app; app(prog_name='tarjotin')"


def _database(kind: str, folder: Path, problem: Any, plan: Any, code: Path | None) -> str:
    url = f"sqlite:///{folder / 'offering.db'}" if kind == "sqlite" else _fresh_postgres()
    if code is None:
        upgrade(Settings(database_url=url))
        publish_scenario(url, problem, plan)
        return url
    (folder / "problem.json").write_text(problem.model_dump_json())
    (folder / "plan.json").write_text(plan.model_dump_json())
    paths = [str(code), url, str(folder / "problem.json"), str(folder / "plan.json")]
    subprocess.run([sys.executable, "-c", PREPARE, *paths], cwd=code, check=True)
    return url


def _serve_code(url: str, processes: int, code: Path | None) -> tuple[subprocess.Popen[bytes], str]:
    """`tarjotin serve` of this tree, or of the code in `code` (the same environment, the other code)."""
    if code is None:
        return _serve(url, processes)
    return serve_command([sys.executable, "-c", SERVE, str(code), "serve"], url, processes, cwd=code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--concurrency", default="1,8,32,128")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--routes", default=",".join(ROUTES))
    parser.add_argument("--label", default="after")
    parser.add_argument("--time-limit", type=float, default=20.0, help="seconds to plan the scenario")
    parser.add_argument("--code", type=Path, default=None, help="serve the code in this tree (an earlier commit)")
    parser.add_argument("--report-only", action="store_true", help="write --out again from --json (and --compare)")
    parser.add_argument("--json", type=Path, default=Path("benchmarks/OFFERING.json"))
    parser.add_argument("--compare", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/OFFERING.md"))
    args = parser.parse_args(argv)
    if args.report_only:
        found = json.loads(args.json.read_text(encoding="utf-8"))
        before = [_unanswered(row) for row in json.loads(args.compare.read_text())["rows"]] if args.compare else []
        _write(args, found["rows"], before, found["started"], found["machine"])
        return 0
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    problem = generate(args.clients, 1)
    plan = solve(problem, SolveParams(time_limit=args.time_limit, workers=2))
    rng = random.Random(7)
    rows: list[dict[str, Any]] = []
    for kind in args.databases.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            bodies = Path(tmp) / "profiles.jsonl"
            bodies.write_text("".join(json.dumps({"profile": _profile(problem, rng)}) + "\n" for _ in range(200)))
            url = _database(kind, Path(tmp), problem, plan, args.code)
            for processes in [int(p) for p in args.processes.split(",")]:
                server, base = _serve_code(url, processes, args.code)
                try:
                    groups = len(httpx.get(f"{base}/offering", params={"limit": 500}, timeout=60).json()["items"])
                    headers = _browser_headers(base)
                    for route in args.routes.split(","):
                        _settle(base)
                        _hammer(base, route, 8, WARM_SECONDS, bodies, headers)
                        for concurrency in [int(c) for c in args.concurrency.split(",")]:
                            _settle(base)
                            row = _hammer(base, route, concurrency, args.seconds, bodies, headers)
                            row.update(database=kind, processes=processes, groups=groups, label=args.label)
                            print(json.dumps(row), flush=True)
                            rows.append(row)
                finally:
                    server.terminate()
                    server.wait(timeout=60)
    args.json.write_text(json.dumps({"started": started, "machine": machine(started), "rows": rows}, indent=1) + "\n")
    before = [_unanswered(row) for row in json.loads(args.compare.read_text())["rows"]] if args.compare else []
    _write(args, rows, before, started, None)
    print(f"wrote {args.out} and {args.json}")
    return 0


def _write(
    args: argparse.Namespace,
    rows: list[dict[str, Any]],
    before: list[dict[str, Any]],
    started: str,
    measured_on: dict[str, Any] | None,
) -> None:
    """The report, with what was written by hand below the figures kept."""
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    kept = old[old.index(HAND) :] if HAND in old else ""
    args.out.write_text(report(args, rows, before, started, measured_on) + kept, encoding="utf-8")


def _errors(row: dict[str, Any]) -> str:
    kinds = row.get("error_kinds") or {}
    return str(row["errors"]) + (f" ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})" if kinds else "")


def _key(row: dict[str, Any]) -> tuple[str, int, str, int]:
    return (row["database"], row["processes"], row["route"], row["concurrency"])


HAND = "\n## What it shows"
"""The report's part written by hand, kept when the report is written again."""


def report(
    args: argparse.Namespace,
    rows: list[dict[str, Any]],
    before: list[dict[str, Any]],
    started: str,
    measured_on: dict[str, Any] | None = None,
) -> str:
    was = {_key(r): r for r in before}
    feed = {(r["database"], r["processes"], r["concurrency"]): r for r in rows if r["route"] == ROUTES[3]}
    groups = rows[0]["groups"] if rows else 0
    lines = [
        "# Offering load benchmark",
        "",
        f"`python -m benchmarks.offering_load --clients {args.clients} --concurrency {args.concurrency} "
        f"--seconds {args.seconds:g} --processes {args.processes} --databases {args.databases}`: the built-in "
        f"scenario ({args.clients} clients, {groups} published groups), `tarjotin serve` with 1 or 2 processes, "
        "`wrk` (one thread) on the same machine sending one route at a time as a browser would after its first "
        "visit (gzip, the page's cookies; no think time: the concurrency is the requests in flight) for "
        f"{args.seconds:g} s, after {WARM_SECONDS:g} s unmeasured. Errors: answers other than 2xx and failed "
        "connections, reads, writes or timeouts (zero everywhere, or the run says so). 'Before': the same "
        "command serving the code before the offering was kept (`--code`, same machine and environment) "
        "(where measured); 'of feed': the rate as a share of the cached offering feed's at the same setting.",
        "",
        "| database | processes | route | concurrency | requests | req/s | before req/s | × before | of feed "
        "| p50 ms | p99 ms | errors | before errors |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        old = was.get(_key(row))
        yard = feed.get((row["database"], row["processes"], row["concurrency"]))
        times = f"{row['per_second'] / old['per_second']:.1f}" if old and old["per_second"] else "–"
        share = f"{row['per_second'] / yard['per_second']:.0%}" if yard and yard["per_second"] else "–"
        lines.append(
            f"| {row['database']} | {row['processes']} | {row['route']} | {row['concurrency']} | {row['requests']} "
            f"| {row['per_second']:.0f} | {old['per_second'] if old else '–'} | {times} | {share} "
            f"| {row['p50_ms'] if row['requests'] else '–'} | {row['p99_ms'] if row['requests'] else '–'} "
            f"| {_errors(row)} | {_errors(old) if old else '–'} |"
        )
    lines += ["", "## Machine", "", *[f"- {k}: {v}" for k, v in (measured_on or machine(started)).items()], ""]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
