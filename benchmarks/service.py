"""Benchmark: how fast the HTTP service answers on the 400-client scenario.

The scenario is planned once and published into SQLite and into PostgreSQL; a real
uvicorn server answers over HTTP (httpx, one kept-alive connection, requests one at a
time), as a counsellor's browser would. Timed: `POST /offering/recommend` for stored
clients (by id, with a coordinator's token: a counsellor may ask only for their own) and for anonymous profiles, and
`GET /offering` (the whole offering, and one filtered). The issue's target is a median
under 50 ms for recommendations.

    python -m benchmarks.service [--clients 400] [--requests 300] [--out benchmarks/SERVICE.md]

Not a test: the numbers depend on the machine, which the report names.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import text

from api.app import create_app
from benchmarks.report import page
from scheduler.contract import Plan, Problem
from scheduler.scenario import generate
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, upgrade
from solver import SolveParams, solve
from tests.api.conftest import publish_scenario
from tests.api.live import live_server

POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
POSTGRES_BENCH = "postgresql+psycopg://postgres@127.0.0.1:5432/tarjotin_bench"


def _postgres() -> str | None:
    """An empty benchmark database on the local PostgreSQL, or None if there is none."""
    try:
        admin = make_engine(POSTGRES_ADMIN).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS tarjotin_bench"))
            conn.execute(text("CREATE DATABASE tarjotin_bench"))
        admin.dispose()
    except Exception as error:  # noqa: BLE001 - report and carry on with SQLite
        print(f"no PostgreSQL benchmark: {error}")
        return None
    return POSTGRES_BENCH


def _timed(call: Callable[[], httpx.Response], count: int) -> list[float]:
    times = []
    for _ in range(count):
        began = time.perf_counter()
        answer = call()
        times.append((time.perf_counter() - began) * 1000)
        assert answer.status_code == 200, answer.text
    return times


def _profile(problem: Problem, rng: random.Random) -> dict[str, object]:
    client = rng.choice(problem.clients)
    return {
        "languages": client.languages,
        "home": client.home.model_dump(),
        "travel_mode": client.travel_mode,
        "max_travel_minutes": client.max_travel_minutes,
        "interests": client.interests,
        "audiences": client.audiences,
        "remote_ok": client.remote_ok,
        "available": [w.model_dump() for w in client.available],
    }


def measure(url: str, problem: Problem, plan: Plan, requests: int) -> dict[str, list[float]]:
    """Latencies in ms by request kind, over a real HTTP server on the database."""
    upgrade(Settings(database_url=url))
    headers = publish_scenario(url, problem, plan)["coordinator"]  # every client (counsellors own theirs)
    app = create_app(Settings(database_url=url))
    rng = random.Random(7)
    town = problem.hubs[0].municipality
    with live_server(app) as base, httpx.Client(base_url=base, timeout=30) as http:

        def by_id() -> httpx.Response:
            return http.post("/offering/recommend", json={"client_id": rng.choice(problem.clients).id}, headers=headers)

        kinds = {
            "recommend (stored client)": by_id,
            "recommend (anonymous profile)": lambda: http.post(
                "/offering/recommend", json={"profile": _profile(problem, rng)}
            ),
            "offering (all groups)": lambda: http.get("/offering", params={"limit": 500}),
            "offering (municipality, free seats)": lambda: http.get(
                "/offering", params={"municipality": town, "free_only": True}
            ),
        }
        for call in kinds.values():
            _timed(call, 20)  # warm-up
        results = {name: _timed(call, requests) for name, call in kinds.items()}
    app.state.engine.dispose()
    return results


def _rows(database: str, results: dict[str, list[float]]) -> list[str]:
    rows = []
    for name, times in results.items():
        p95 = statistics.quantiles(times, n=20)[-1]
        rows.append(
            f"| {database} | {name} | {len(times)} | {statistics.median(times):.1f} | {p95:.1f} | {max(times):.1f} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the HTTP service's answers.")
    parser.add_argument("--clients", type=int, default=400)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/SERVICE.md"))
    args = parser.parse_args()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    problem = generate(args.clients, 1)
    plan = solve(problem, SolveParams(time_limit=args.time_limit))
    databases = {"SQLite": f"sqlite:///{Path('data/bench-service.db').resolve()}"}
    Path("data/bench-service.db").unlink(missing_ok=True)
    postgres = _postgres()
    if postgres:
        databases["PostgreSQL"] = postgres
    rows = []
    for name, url in databases.items():
        rows += _rows(name, measure(url, problem, plan, args.requests))
    intro = (
        f"`python -m benchmarks.service --clients {args.clients} --requests {args.requests}`: the built-in "
        f"scenario ({args.clients} clients, {len(plan.groups)} published groups) over a real uvicorn server, "
        "one kept-alive HTTP connection, requests one after another. Target: recommendations median < 50 ms."
    )
    text = page("Service benchmark", intro, "| database | request | n | median ms | p95 ms | max ms |", rows, started)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
