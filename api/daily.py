"""The daily step in the background of `tarjotin serve`: offers expire and finished seats complete on time.

`tarjotin serve` runs `scheduler.services.offers.daily_step` once at start and then every
hour, in a daemon thread of its own on the application's clock, never inside a request
(`tarjotin offers expire` runs the same step from cron or by hand). The step is idempotent
and takes the seat locks, so several server processes running it at once do no harm.
A failing run is logged and tried again at the next hour. After each run it wakes the mail
outbox (`api.outbox`), which sends the notices the step made (offers about to expire) and any
left pending.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from zoneinfo import ZoneInfoNotFoundError

from sqlalchemy import Engine

from scheduler.services.clock import HELSINKI, Clock
from scheduler.services.notices import MAIL_ON
from scheduler.services.offers import DailyStep, daily_step
from scheduler.storage.database import session_scope
from scheduler.storage.models import PlanningSettings

__all__ = ["ACTOR", "EVERY_SECONDS", "DailySteps"]

log = logging.getLogger("tarjotin.daily")

EVERY_SECONDS = 3600.0
ACTOR = "daily-step"


class DailySteps:
    """A daemon thread running the daily step now and then every `every` seconds, until stopped."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        every: float = EVERY_SECONDS,
        mailing: bool | None = None,
        after: Callable[[], None] | None = None,
    ) -> None:
        self._engine, self._clock, self._every = engine, clock, every
        self._mailing, self._after = mailing, after
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> DailyStep:
        """The step for today in the county's timezone."""
        with session_scope(self._engine) as session:
            if self._mailing is not None:
                session.info[MAIL_ON] = self._mailing
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
                if done.expired or done.completed or done.reminded:
                    log.info(
                        "daily step: %d offers expired, %d seats completed, %d notices of offers expiring",
                        done.expired,
                        done.completed,
                        done.reminded,
                    )
                if self._after is not None:
                    self._after()
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
