"""Benchmark: the full offering feed of the 2000-client scenario, rendered, and its 304 answer over HTTP.

The scenario is planned once with the greedy baseline (the feed's cost depends on the number of
groups and sessions, not on how good the plan is) and published. Timed: `offering_feed` (the
database read and the rendering, as a request does it), `calendars.render` alone, a full
`GET /calendars/offering.ics`, and a `GET` with `If-None-Match` that answers 304, over a real
uvicorn server with one kept-alive connection. Targets: render < 200 ms, 304 < 5 ms (medians).

    python -m benchmarks.feeds [--clients 2000] [--requests 300] [--postgres URL] [--out benchmarks/FEEDS.md]

Not a test: the numbers depend on the machine, which the report names.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
from fastapi import Response
from sqlalchemy.orm import Session

from api.app import create_app
from api.routers.calendars import rendered_feeds
from benchmarks.greedy_baseline import greedy_plan
from benchmarks.report import page
from calendars import Feed, Organizer, render
from calendars.render import _events
from scheduler.scenario import generate
from scheduler.services.feeds import FeedContext, load_series, offering_feed
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, upgrade
from tests.api.conftest import publish_scenario
from tests.api.live import live_server
from tests.conftest import fresh_postgres

ON = date(2027, 1, 1)


def _timed(call: Callable[[], object], count: int) -> list[float]:
    call()  # warm-up
    times = []
    for _ in range(count):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return times


def _in_process(url: str, runs: int) -> dict[str, list[float]]:
    engine = make_engine(url)
    context = FeedContext("fi", ON, "http://127.0.0.1:8000", Organizer("Tiimi", "tiimi@example.fi"))
    cold = _events.cache_clear
    with Session(engine) as session:
        series = tuple(load_series(session, context))
        feed = Feed("offering", "Länsi-Uusimaa", "fi", context.organizer, series)
        results = {
            "render, cold: every group written (calendars.render)": _timed(lambda: (cold(), render(feed)), runs),
            "render, warm: no group changed (calendars.render)": _timed(lambda: render(feed), runs),
            "read + render, cold (offering_feed, in process)": _timed(
                lambda: (cold(), offering_feed(session, context)), runs
            ),
            "read + render, warm (offering_feed, in process)": _timed(lambda: offering_feed(session, context), runs),
        }
    engine.dispose()
    return results


def _over_http(url: str, requests: int) -> tuple[dict[str, list[float]], int, int]:
    app = create_app(Settings(database_url=url))

    @app.get("/benchmark-floor", include_in_schema=False)
    async def floor() -> Response:  # the HTTP stack alone: no database, nothing rendered
        return Response(status_code=204)

    with live_server(app) as base, httpx.Client(base_url=base, timeout=30) as http:
        first = http.get("/calendars/offering.ics")
        assert first.status_code == 200, first.text
        tag = first.headers["etag"]

        def unchanged() -> None:
            answer = http.get("/calendars/offering.ics", headers={"If-None-Match": tag})
            assert answer.status_code == 304

        def fresh() -> None:
            rendered_feeds(app).clear()  # as the first fetch after a change
            http.get("/calendars/offering.ics")

        results = {
            "GET offering.ics, first after a change (200, read + render)": _timed(fresh, max(requests // 5, 20)),
            "GET offering.ics again, no If-None-Match (200, same bytes)": _timed(
                lambda: http.get("/calendars/offering.ics"), requests
            ),
            "GET offering.ics with If-None-Match (304)": _timed(unchanged, requests),
            "floor: an empty async route (HTTP stack alone)": _timed(lambda: http.get("/benchmark-floor"), requests),
        }
    app.state.engine.dispose()
    return results, len(first.content), first.content.count(b"BEGIN:VEVENT")


def _rows(database: str, results: dict[str, list[float]]) -> list[str]:
    return [
        f"| {database} | {name} | {len(t)} | {statistics.median(t):.2f} | "
        f"{statistics.quantiles(t, n=20)[-1]:.2f} | {max(t):.2f} |"
        for name, t in results.items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the calendar feeds.")
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--postgres", help="an empty PostgreSQL database to measure on as well (it is emptied)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/FEEDS.md"))
    args = parser.parse_args()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    problem = generate(args.clients, 1)
    plan = greedy_plan(problem)
    sqlite = Path("data/bench-feeds.db")
    sqlite.unlink(missing_ok=True)
    databases = {"SQLite": f"sqlite:///{sqlite.resolve()}"}
    if args.postgres:
        import os

        os.environ["TARJOTIN_TEST_POSTGRES_URL"] = args.postgres
        databases["PostgreSQL"] = fresh_postgres()
    rows, size, events = [], 0, 0
    for name, url in databases.items():
        upgrade(Settings(database_url=url))
        publish_scenario(url, problem, plan)
        rows += _rows(name, _in_process(url, max(args.requests // 10, 20)))
        http, size, events = _over_http(url, args.requests)
        rows += _rows(name, http)
    sessions = sum(problem.term.weeks for _ in plan.groups)
    intro = (
        f"`python -m benchmarks.feeds --clients {args.clients} --requests {args.requests}`: the built-in scenario "
        f"({args.clients} clients, {len(plan.groups)} published groups planned by the greedy baseline, "
        f"{problem.term.weeks}-week term, about {sessions} weekly dates); the full offering feed is "
        f"{size / 1024:.0f} KiB with {events} VEVENTs. HTTP: a real uvicorn server, one kept-alive connection, "
        "requests one after another. Targets: render < 200 ms, 304 < 5 ms (medians). *Cold* empties the "
        "renderer's memory of written groups first (every VEVENT written anew, as after a publish); *warm* is a "
        "refetch where no group changed (a reservation rewrites only its group). The floor is an empty route on "
        "the same server: what any answer costs on this machine at this load."
    )
    text = page("Feed benchmark", intro, "| database | what | n | median ms | p95 ms | max ms |", rows, started)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
