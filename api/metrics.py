"""Prometheus metrics at `GET /metrics` (text exposition format): requests, planning runs and the queue.

No token is asked and no client data is shown: counts by route template (never a raw path), the runs'
states, the latest finished run's figures and the queue's length. The proxy in front must not expose
/metrics to the public (docs/operations.md).

- `tarjotin_http_requests_total{method,route,status}`: answered requests by method, route template and
  status class (`2xx`); `tarjotin_http_request_duration_seconds{method,route,status}`: their durations.
- `tarjotin_planning_runs{state}`: planning runs by state, counted in the database at scrape time.
- `tarjotin_planning_last_run_solve_seconds`, `..._placed`, `..._unassigned`, `..._gap`,
  `..._finished_timestamp_seconds`: the latest finished run's stored plan metrics (absent when it has none).
- `tarjotin_planning_queue_pending`: messages waiting on the planning queue.
- `tarjotin_metrics_errors_total{collector}`: scrapes where a part could not be read (that part is left out;
  the scrape still answers).

With several server processes (`tarjotin serve --workers N`), `serve` points `PROMETHEUS_MULTIPROC_DIR` at a
fresh folder before the workers start: each process writes its counts there, and a scrape (whichever worker
answers it) adds them all up (`MultiProcessCollector`); the database's figures are read once per scrape.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.logs import route_template
from api.request_ids import ROUTE_KEY
from scheduler.storage.database import session_scope
from scheduler.storage.models import PlanningRun

__all__ = ["MULTIPROC_ENV", "AppMetrics", "DatabaseCollector", "RequestMetrics", "multiprocess_dir", "router"]

log = logging.getLogger("tarjotin.metrics")

disable_created_metrics()  # type: ignore[no-untyped-call]  # no `_created` series beside each counter: Prometheus does not need them

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
"""Methods counted by name; any other is `other` (a caller must not make up label values)."""
STATES = ("running", "cancelling", "draft", "published", "failed", "cancelled")
"""Run states always reported (0 when none): an alert on `failed` needs the series to exist."""
COLLECTORS = ("runs", "last_run", "queue")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class DatabaseCollector(Collector):
    """Reads the planning runs and the queue at scrape time; a part that fails is left out and counted."""

    def __init__(self, engine: Engine, pending: Callable[[], int], errors: Counter) -> None:
        self._engine, self._pending, self._errors = engine, pending, errors

    def describe(self) -> list[Metric]:
        return []  # nothing is read at registration

    def collect(self) -> Iterator[Metric]:
        for name, part in (("runs", self._runs), ("last_run", self._last_run), ("queue", self._queue)):
            try:
                yield from list(part())
            except Exception as error:  # noqa: BLE001 - a scrape answers whatever else it can
                self._errors.labels(collector=name).inc()
                log.warning("metrics: could not read %s (%s)", name, type(error).__name__)

    def _runs(self) -> Iterator[Metric]:
        with session_scope(self._engine) as session:
            rows = session.execute(select(PlanningRun.status, func.count()).group_by(PlanningRun.status)).all()
            counts = {str(status): int(count) for status, count in rows}
        family = GaugeMetricFamily("tarjotin_planning_runs", "Planning runs by state", labels=["state"])
        for state in sorted(set(STATES) | set(counts)):
            family.add_metric([state], counts.get(state, 0))
        yield family

    def _last_run(self) -> Iterator[Metric]:
        with session_scope(self._engine) as session:
            row = session.execute(
                select(PlanningRun.finished_at, PlanningRun.metrics)
                .where(PlanningRun.finished_at.is_not(None), PlanningRun.metrics.is_not(None))
                .order_by(PlanningRun.finished_at.desc(), PlanningRun.id.desc())
                .limit(1)
            ).first()
        if row is None or row.metrics is None or row.finished_at is None:
            return
        finished, metrics = row.finished_at, row.metrics
        figures = {
            "solve_seconds": ("seconds the latest finished planning run's solve took", metrics.get("solve_seconds")),
            "placed": ("clients the latest finished planning run placed", metrics.get("placed")),
            "unassigned": ("waiting clients the latest finished planning run left unplaced", metrics.get("unassigned")),
            "gap": ("the latest finished planning run's relative optimality gap", metrics.get("gap")),
            "finished_timestamp_seconds": ("when the latest planning run finished (Unix time)", finished.timestamp()),
        }
        for name, (meaning, value) in figures.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                yield GaugeMetricFamily(f"tarjotin_planning_last_run_{name}", meaning, value=float(value))

    def _queue(self) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            "tarjotin_planning_queue_pending", "Messages waiting on the planning queue", value=self._pending()
        )


def multiprocess_dir() -> str | None:
    """The folder the server processes share their counts in, when `serve` runs several."""
    return os.environ.get(MULTIPROC_ENV) or None


def prepare_multiprocess() -> Path:
    """A fresh folder for the workers' counts, named in the environment they inherit (call it before they start);
    removed when this process exits."""
    folder = Path(tempfile.mkdtemp(prefix="tarjotin-metrics-"))
    os.environ[MULTIPROC_ENV] = str(folder)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


class AppMetrics:
    """One application's metrics: its own registry (so applications in one test process count apart)."""

    def __init__(self, engine: Engine, pending: Callable[[], int]) -> None:
        self.registry = CollectorRegistry()
        self._errors = Counter(
            "tarjotin_metrics_errors",
            "Scrapes where a part of the metrics could not be read",
            ["collector"],
            registry=None,
        )
        self.database = DatabaseCollector(engine, pending, self._errors)
        self.registry.register(self.database)  # first: an error it counts shows in the same scrape
        self.registry.register(self._errors)
        for name in COLLECTORS:
            self._errors.labels(collector=name)
        labels = ["method", "route", "status"]
        self.requests = Counter(
            "tarjotin_http_requests", "HTTP requests answered, by route template", labels, registry=self.registry
        )
        self.latency = Histogram(
            "tarjotin_http_request_duration_seconds",
            "Time to answer HTTP requests, by route template",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        labels = (method if method in METHODS else "other", route, f"{status // 100}xx")
        self.requests.labels(*labels).inc()
        self.latency.labels(*labels).observe(seconds)

    def exposition(self) -> bytes:
        """The text format: this process's registry, or every server process's counts and the database's once."""
        if multiprocess_dir() is None:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        registry.register(self.database)
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # the counters and histograms (errors too) of every process
        return generate_latest(registry)


class RequestMetrics:
    """ASGI middleware: counts and times every HTTP request by method, route template and status class."""

    def __init__(self, app: ASGIApp, metrics: AppMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        before = dict(scope)
        began = time.perf_counter()
        status = 500

        async def counted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, counted)
        finally:
            route = scope.get(ROUTE_KEY) or route_template(scope, before)
            self.metrics.observe(scope["method"], route, status, time.perf_counter() - began)


router = APIRouter()


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """Prometheus's scrape: no token, no client data (the proxy keeps it from the public)."""
    app_metrics: AppMetrics = request.app.state.metrics
    return Response(app_metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
