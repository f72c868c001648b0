"""A planning worker process: `tarjotin worker`, or the embedded local worker the service starts.

`run_worker` consumes the planning queue (`queue.planning_queue`) with `threads` tasks at a
time, and every few seconds fails runs whose worker stopped beating (`runs.reap_stale`), so a
worker that died is noticed even when no one reads the runs. SIGTERM or SIGINT stops it
gracefully: a run it plans stops at once and is stored as failed (`execute.STOPPED`), then the
process exits. SIGKILL stops it at once; its run fails by heartbeat.

`LocalWorker` is the embedded default: with no broker, the service starts one worker process of
its own (never a thread of the web process) when a run is queued, and stops it with the service.
The local worker also stops when the service's process is gone.
"""

from __future__ import annotations

import logging
import logging.config
import os
import signal
import subprocess
import sys
import threading
import time
from types import FrameType

from huey.consumer import Consumer
from sqlalchemy import Engine

from scheduler.logs import logging_config
from scheduler.services.planning import runs
from scheduler.services.planning.execute import ACTIVITY, STOPPING
from scheduler.services.planning.queue import planning_queue
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope

__all__ = ["LocalWorker", "run_worker"]

log = logging.getLogger("tarjotin.worker")

REAP_EVERY = 5.0
IDLE_EXIT = 120.0
"""Seconds the embedded local worker waits for work before it stops (it is started again when needed)."""


class _PlanningConsumer(Consumer):  # type: ignore[misc]
    """Huey's consumer; a stop signal also stops the solves under way (they are stored as failed)."""

    def _handle_signal(self, signum: int, frame: FrameType | None) -> None:
        STOPPING.set()
        super()._handle_signal(signum, frame)


def _reap(engine: Engine, timeout: float, stop: threading.Event) -> None:
    while not stop.wait(min(REAP_EVERY, timeout / 3)):
        try:
            with session_scope(engine) as session:
                for run_id in runs.reap_stale(session, timeout):
                    log.warning("planning run %s failed: its worker stopped answering", run_id)
        except Exception as error:  # noqa: BLE001 - tried again at the next round
            log.warning("could not look for planning runs whose worker died: %s", error)


def _watch_parent(parent: int, consumer: Consumer) -> None:
    """The embedded worker stops when the service that started it is gone, or when it has had nothing to do
    for `IDLE_EXIT` seconds (the service starts it again when it queues the next run)."""
    stop = threading.Event()
    while not stop.wait(1.0):
        gone = os.getppid() != parent
        idle = not ACTIVITY["working"] and time.monotonic() - ACTIVITY["since"] > IDLE_EXIT
        if gone or (idle and not consumer.huey.pending_count()):
            log.info("local planning worker stopping: %s", "its service is gone" if gone else "idle")
            if gone:
                STOPPING.set()
            os.kill(os.getpid(), signal.SIGTERM)
            return


def run_worker(settings: Settings, threads: int | None = None, parent: int | None = None) -> None:
    """Consume the planning queue until stopped (blocks)."""
    queue = planning_queue(settings)
    engine = make_engine(settings.url)
    stop = threading.Event()
    threading.Thread(
        target=_reap, args=(engine, settings.heartbeat_timeout_seconds, stop), name="planning-reaper", daemon=True
    ).start()
    consumer = _PlanningConsumer(
        queue.huey,
        workers=threads or settings.worker_threads,
        periodic=False,
        initial_delay=0.05,  # the embedded queue is polled: a run starts within half a second
        backoff=1.2,
        max_delay=0.5,
        worker_type="thread",
        graceful_signal="TERM",
    )
    if parent is not None:
        threading.Thread(target=_watch_parent, args=(parent, consumer), name="parent-watch", daemon=True).start()
    log.info("planning worker: %s, %d at a time", "Redis" if settings.broker_url else settings.queue_file, threads)
    try:
        consumer.run()
    finally:
        stop.set()
        engine.dispose()


class LocalWorker:
    """The embedded default's worker process, started when needed and stopped with the service."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def ensure(self) -> None:
        """Start the worker process unless it runs."""
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                return
            env = {
                **os.environ,
                "TARJOTIN_DATABASE_URL": self._settings.url,
                "TARJOTIN_DATA_DIR": str(self._settings.data_dir),
                "TARJOTIN_QUEUE_NAME": self._settings.queue_name,
                "TARJOTIN_HEARTBEAT_TIMEOUT_SECONDS": str(self._settings.heartbeat_timeout_seconds),
                "TARJOTIN_WORKER_PARENT": str(os.getpid()),
            }
            env.pop("TARJOTIN_BROKER_URL", None)
            command = [sys.executable, "-m", "scheduler.services.planning.worker"]
            self._process = subprocess.Popen(command, env=env, cwd=os.getcwd())

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the worker: a run it plans stops and is stored as failed."""
        with self._lock:
            process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _main() -> None:
    """The local worker's entry point (`python -m scheduler.services.planning.worker`)."""
    settings = Settings()
    quiet = max(settings.log_level.upper(), "WARNING", key=logging.getLevelName)  # the service's output stays calm
    logging.config.dictConfig(logging_config(quiet, settings.log_format))
    parent = os.environ.get("TARJOTIN_WORKER_PARENT")
    run_worker(settings, parent=int(parent) if parent else None)


if __name__ == "__main__":
    _main()
