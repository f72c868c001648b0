"""The planning job queue: Huey, on Redis when a broker is configured, else on a SQLite file.

Why Huey (docs/planning-queue.md): one small, well-kept library whose same task code runs on
Redis (`TARJOTIN_BROKER_URL=redis://...`, any number of workers on any machines) and, with no
broker, on a SQLite file beside the database (the embedded default: `make demo`, one local
worker process); its `group(...).then(...)` chord fans a run's parts out and back in with an
atomic counter in the broker. Celery and Dramatiq need a broker server even for the demo; RQ
is Redis only; Procrastinate is PostgreSQL only, and the embedded database is SQLite.

Advice and what-ifs (`scheduler.services.advice.tasks`) ride the same queue: a task to prepare
an advice, one per candidate change it re-plans, and one per what-if.

Only a part's task keeps a result (how it ended), for the chord, which deletes it. The queue
carries only `RunTask`s (ids, options, the run's ticket); the problem, progress,
cancel, heartbeat and results live in the database (`scheduler.services.planning.runs`).
Messages are pickled, as every Python queue does: the broker must be reachable by the
service's own processes only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey, group
from sqlalchemy import Engine

from scheduler.services.advice import tasks as advice_tasks
from scheduler.services.planning import execute
from scheduler.services.planning.execute import RunTask
from scheduler.settings import Settings, get_settings
from scheduler.storage.database import make_engine

__all__ = ["PlanningQueue", "planning_queue"]


@cache
def _engine(url: str) -> Engine:
    """The worker process's engine for the database its settings name (one pool per process)."""
    return make_engine(url)


def _worker_engine() -> Engine:
    return _engine(get_settings().url)


@dataclass(frozen=True)
class PlanningQueue:
    """A Huey instance with the planning tasks registered on it; `embedded` when it is the SQLite file."""

    huey: Huey
    embedded: bool
    tasks: dict[str, Any]

    def enqueue(self, task: RunTask) -> None:
        """Queue a run's first task."""
        self.tasks["plan_run"](task)

    def pending(self) -> int:
        """How many messages wait in the queue."""
        return int(self.huey.pending_count())


def planning_queue(settings: Settings) -> PlanningQueue:
    """The queue the settings name, with its tasks."""
    huey: Huey
    if settings.broker_url:
        huey = RedisHuey(settings.queue_name, url=settings.broker_url, results=True)
        embedded = False
    else:
        settings.queue_file.parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey(settings.queue_name, filename=str(settings.queue_file), results=True)
        embedded = True
    tasks: dict[str, Any] = {}

    def merge_parts(task: RunTask, _results: list[str] | None = None) -> None:
        try:
            execute.merge_parts(_worker_engine(), task)
        except Exception as error:  # noqa: BLE001 - stored on the run
            execute.failed(_worker_engine(), task, error)

    def plan_part(task: RunTask, part: int) -> str:  # its result is the chord's: how the part ended
        try:
            return execute.plan_part(_worker_engine(), task, part)
        except Exception as error:  # noqa: BLE001 - stored on the run
            return execute.failed(_worker_engine(), task, error)

    def plan_run(task: RunTask) -> None:
        def fan_out(parts: list[int]) -> None:
            each = [tasks["plan_part"].s(task, part) for part in parts]
            huey.enqueue(group(each).then(tasks["merge_parts"], task))

        try:
            execute.plan_run(_worker_engine(), task, fan_out)
        except Exception as error:  # noqa: BLE001 - stored on the run
            execute.failed(_worker_engine(), task, error)

    def prepare_advice(advice_id: int) -> None:
        def fan_out(indices: list[int]) -> None:
            for idx in indices:
                tasks["verify_candidate"](advice_id, idx)

        advice_tasks.prepare_advice(_worker_engine(), advice_id, fan_out)

    def verify_candidate(advice_id: int, idx: int) -> None:
        advice_tasks.verify_candidate(_worker_engine(), advice_id, idx)

    def plan_whatif(whatif_id: int) -> None:
        advice_tasks.plan_whatif_task(_worker_engine(), whatif_id)

    for function in (merge_parts, plan_part, plan_run, prepare_advice, verify_candidate, plan_whatif):
        tasks[function.__name__] = huey.task(name=function.__name__)(function)
    return PlanningQueue(huey, embedded, tasks)
