"""The daily step in the background of `tarjotin serve`: offers expire and finished seats complete on time.

`tarjotin serve` runs `scheduler.services.offers.daily_step` once at start and then every
hour, in a daemon thread of its own on the application's clock, never inside a request
(`tarjotin offers expire` runs the same step from cron or by hand). The step is idempotent
and takes the seat locks, so several server processes running it at once do no harm.
A failing run is logged and tried again at the next hour.
"""

from __future__ import annotations

import logging
import threading
from zoneinfo import ZoneInfoNotFoundError

from sqlalchemy import Engine

from scheduler.services.clock import HELSINKI, Clock
from scheduler.services.offers import DailyStep, daily_step
from scheduler.storage.database import session_scope
from scheduler.storage.models import PlanningSettings

__all__ = ["ACTOR", "EVERY_SECONDS", "DailySteps"]

log = logging.getLogger("tarjotin.daily")

EVERY_SECONDS = 3600.0
ACTOR = "daily-step"


class DailySteps:
    """A daemon thread running the daily step now and then every `every` seconds, until stopped."""

    def __init__(self, engine: Engine, clock: Clock, every: float = EVERY_SECONDS) -> None:
        self._engine, self._clock, self._every = engine, clock, every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> DailyStep:
        """The step for today in the county's timezone."""
        with session_scope(self._engine) as session:
            frame = session.get(PlanningSettings, 1)
            try:
                today = self._clock.today(frame.timezone if frame else HELSINKI)
            except ZoneInfoNotFoundError:
                today = self._clock.today()
            return daily_step(session, today, ACTOR, self._clock.now())

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                done = self.run_once()
                if done.expired or done.completed:
                    log.info("daily step: %d offers expired, %d seats completed", done.expired, done.completed)
            except Exception:  # a database outage: logged, tried again at the next hour
                log.exception("the daily step failed; it runs again in %.0f s", self._every)
            self._stop.wait(self._every)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="daily-step", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
