"""The mail outbox of `tarjotin serve`: a daemon thread that mails notices after their transaction commits.

A request that makes a notice never talks to the mail server: the notice is written in the
request's transaction, and when that commits (`after_commit` on the application's sessions) the
outbox is woken; it then sends what is pending in its own thread (`scheduler.services.mail.
send_pending`, which claims each notice first, so several server processes may run it at once).
It also wakes every `every` seconds for retries that have come due, and the daily step wakes it
after its run. Without a mail server in the settings there is no outbox: notices stay on the lists.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from scheduler.services.clock import Clock
from scheduler.services.mail import Delivery, Outcome, deliver, send_pending
from scheduler.services.notices import NOTIFIED
from scheduler.settings import Settings

__all__ = ["EVERY_SECONDS", "MailOutbox"]

log = logging.getLogger("tarjotin.mail")

EVERY_SECONDS = 60.0
"""How often the outbox looks for retries that have come due, unwoken."""


class MailOutbox:
    """A daemon thread sending pending notices when woken (`kick`) and every `every` seconds, until stopped."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        clock: Clock,
        every: float = EVERY_SECONDS,
        delivery: Delivery = deliver,
    ) -> None:
        self._engine, self._settings, self._clock, self._every = engine, settings, clock, every
        self._delivery = delivery
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None

    def kick(self) -> None:
        """Send what is pending soon, in the outbox's thread (returns at once)."""
        self._wake.set()

    def watch(self, sessions: sessionmaker[Session]) -> None:
        """Wake after each commit of these sessions that made a notice."""

        def committed(session: Session) -> None:
            if session.info.pop(NOTIFIED, False):
                self.kick()

        event.listen(sessions, "after_commit", committed)

    def run_once(self) -> Outcome:
        return send_pending(self._engine, self._settings, self._clock.now(), self._delivery)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._every)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                done = self.run_once()
                if done.sent or done.retrying or done.failed:
                    log.info("mail: %d sent, %d to retry, %d failed", done.sent, done.retrying, done.failed)
            except Exception:  # a database outage: logged, tried again when woken next
                log.exception("the mail outbox failed; it tries again in %.0f s", self._every)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="mail-outbox", daemon=True)
        self._thread.start()
        self.kick()  # what an earlier process left pending

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
