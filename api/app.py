"""The FastAPI application: the live offering, reservations, resources and planning jobs."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from sqlalchemy.orm import sessionmaker

from api import auth_first, docs, errors, pages
from api.body_limit import BodyLimit
from api.daily import EVERY_SECONDS, DailySteps
from api.metrics import AppMetrics, RequestMetrics
from api.metrics import router as metrics_router
from api.outbox import MailOutbox
from api.query import plain_query
from api.security_headers import SecurityHeaders
from scheduler.services.advice.jobs import AdviceJobs
from scheduler.services.clock import SYSTEM_CLOCK, Clock
from scheduler.services.notices import MAIL_ON
from scheduler.services.planning.jobs import PlanningJobs
from scheduler.settings import Settings, get_settings
from scheduler.storage.database import make_engine
from scheduler.storage.stamp_reader import StampReader

__all__ = ["create_app", "create_served_app"]

DESCRIPTION = """
The live group offering of social rehabilitation (*sosiaalinen kuntoutus*).

Without a token: the anonymous offering and recommendations for an anonymous profile.
With a bearer token (`tarjotin token create --role ...`): counsellors reserve and cancel
seats for clients; coordinators manage every resource, run planning and ask for capacity
advice and what-if plans; staff read their own sessions. Client ids appear only to
coordinators and counsellors.

Errors answer as RFC 9457 problem details (`application/problem+json`): `type` (one of
`https://tarjotin.fi/problems/not-found`, `invalid`, `conflict`, `unauthorized`, `forbidden`,
`payload-too-large`, `internal-error`, `unavailable`, or `about:blank`), `title`, `status`, `detail` (a sentence),
`instance` (the path), `request_id` and, for invalid input, `errors` naming each field
(`field`, `message`, `loc`, `type`). Every answer carries `X-Request-ID` (yours, if you send a sane one).

A request body may be at most 1 MiB (the service's `TARJOTIN_MAX_BODY_BYTES`): a larger one is answered
413 `payload-too-large` before it is read. A route that needs a token checks it before it reads the body:
without a valid token the answer is 401 (403 for a role that may not), whatever the body holds.
"""


def create_app(
    settings: Settings | None = None, clock: Clock = SYSTEM_CLOCK, daily_every: float | None = None
) -> FastAPI:
    """An application over the database the settings name (its schema must be up to date).

    Every reading of the date or time goes through the clock (`api.deps.ClockDep`): the planning jobs,
    publishing, the offering, reservations, the feeds and the coordinator's pages. With `daily_every`
    (seconds), the daily step (`api.daily`: offers expire, finished seats complete) runs at start-up and
    then that often in the background, as `tarjotin serve` does. With a mail server in the settings
    (`smtp_host`), the mail outbox (`api.outbox`) mails notices after the commits that made them.
    """
    settings = settings or get_settings()
    app = FastAPI(
        title="Tarjotin",
        version="1",
        description=DESCRIPTION,
        lifespan=_lifespan,
        dependencies=[Depends(plain_query)],
        responses=errors.COMMON,
        docs_url=None,  # served by api.docs without a CDN
        redoc_url=None,
    )
    engine = make_engine(settings.url)
    app.state.jobs = PlanningJobs(engine, clock=clock, settings=settings)
    app.state.advice = AdviceJobs(engine, app.state.jobs)
    app.state.engine = engine
    app.state.stamp_reader = StampReader(settings.url)  # the offering's version, read without the pool
    app.state.clock = clock
    app.state.metrics = AppMetrics(engine, app.state.jobs.queue.pending)
    mailing = bool(settings.smtp_host)
    app.state.sessions = sessionmaker(engine, expire_on_commit=False, info={"clock": clock, MAIL_ON: mailing})
    app.state.settings = settings
    app.state.outbox = MailOutbox(engine, settings, clock) if mailing else None
    if app.state.outbox is not None:
        app.state.outbox.watch(app.state.sessions)
    after_daily = app.state.outbox.kick if app.state.outbox is not None else None
    app.state.daily = DailySteps(engine, clock, daily_every, mailing, after_daily) if daily_every else None
    auth_first.install(app)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, upload_limit=settings.max_upload_bytes)
    errors.install(app)  # outside the two above: their refusals answer as problems with the request's id
    app.add_middleware(SecurityHeaders)  # every answer has them, errors included
    app.add_middleware(RequestMetrics, metrics=app.state.metrics)  # outermost: counts and times every answer
    from api.routers import ROUTERS

    for router in ROUTERS:
        app.include_router(router)
    app.include_router(metrics_router)  # GET /metrics (api.metrics): no token, no client data, not documented
    docs.install(app)
    pages.install(app)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """At start-up, runs that a dead process left planning are marked failed, the mail outbox starts (with a mail
    server) and the daily step (when asked for); at shutdown they stop, and a run still planning stops."""
    jobs: PlanningJobs = app.state.jobs
    jobs.recover()
    outbox: MailOutbox | None = app.state.outbox
    if outbox is not None:
        outbox.start()
    daily: DailySteps | None = app.state.daily
    if daily is not None:
        daily.start()
    if getattr(app.state, "freeze_at_start", False):
        # What the process made to start (the application, its routes, schemas and tables: some 340,000 objects)
        # lives as long as the process. Frozen, Python's full collections no longer walk it: each took some
        # 220 ms, a pause in every answer then (benchmarks/OFFERING.md). Served processes only: a test process
        # makes and drops many applications, and what is frozen is never collected.
        gc.collect()
        gc.freeze()
    yield
    if daily is not None:
        daily.stop()
    if outbox is not None:
        outbox.stop()
    jobs.shutdown()
    app.state.stamp_reader.close()


def create_served_app() -> FastAPI:
    """The application `tarjotin serve` runs: the configured database, the system clock, the daily step hourly,
    and what it made at start-up frozen out of the garbage collector's way once it has started."""
    app = create_app(daily_every=EVERY_SECONDS)
    app.state.freeze_at_start = True
    return app
