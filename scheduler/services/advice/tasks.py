"""What a planning worker does for advice and what-ifs: the task code, the same on every queue.

Advice is a task to prepare it (`prepare_advice`: the base re-plan, the candidates and their
screening bounds, stored as `AdviceCandidate` rows, highest bound first) and a task per
candidate (`verify_candidate`: a re-plan with the change), so advice is as fast as the
workers are many. A candidate task skips its re-plan when the advice was stopped, when the
advice's time limit would pass before it ends, or when `top` verified changes each placed at
least its bound (pruned). The last candidate to end completes the advice. A what-if is one
task (`plan_whatif_task`). Each task beats on its row; a task never raises: how it ended is
stored on the row.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, defer

import solver
from scheduler.contract import Plan, Problem, parse_plan
from scheduler.contract.advice import AdviceItem
from scheduler.contract.whatif import Change
from scheduler.services.advice.advise import AdviceParams, Candidate, Prepared, beaten, prepare, verify
from scheduler.services.advice.runs import planned_run, run_documents
from scheduler.services.advice.whatif import compare, fixed_problem, plan_whatif
from scheduler.services.erasure import ADVICE_BUSY, WHATIF_BUSY
from scheduler.services.planning.execute import ACTIVITY, worker_name
from scheduler.storage.database import session_scope
from scheduler.storage.models import AdviceCandidate, AdviceRun, WhatIf

__all__ = [
    "ADVICE_ACTIVE",
    "WHATIF_ACTIVE",
    "WHATIF_SECONDS",
    "aware",
    "change_list",
    "params_of",
    "plan_whatif_task",
    "prepare_advice",
    "verify_candidate",
]

log = logging.getLogger("tarjotin.worker")

ADVICE_ACTIVE = ADVICE_BUSY
"""The statuses of an advice job still at work (erasure waits for them: they hold a run's data)."""
WHATIF_ACTIVE = WHATIF_BUSY
WHATIF_SECONDS = 5.0
"""The time limit of each of a what-if's two re-plans (without and with the changes)."""
_CHANGES = TypeAdapter(list[Change])


def _now() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """A stored time as UTC (SQLite gives it back without its zone)."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def change_list(values: list[Any]) -> list[Change]:
    """Stored changes as contract records."""
    changes: list[Change] = _CHANGES.validate_python(values)
    return changes


def params_of(row: AdviceRun) -> AdviceParams:
    return AdviceParams(**row.params)


def _run_problem(session: Session, run_id: int) -> tuple[Problem, Plan]:
    return run_documents(planned_run(session, str(run_id)))


class _Working:
    """Counts this process as busy while a task works (the local worker stops only when idle)."""

    def __enter__(self) -> None:
        ACTIVITY["working"] += 1

    def __exit__(self, *_: object) -> None:
        ACTIVITY["working"] -= 1
        ACTIVITY["since"] = time.monotonic()


def prepare_advice(engine: Engine, advice_id: int, fan_out: Callable[[list[int]], None]) -> None:
    """Prepare the advice and queue a task per candidate (see the module)."""
    with _Working():
        try:
            with session_scope(engine) as session:
                row = session.get(AdviceRun, advice_id, with_for_update=True)
                if row is None or row.status != "queued":
                    if row is not None and row.status == "stopping":
                        row.status, row.finished_at = "stopped", _now()
                    return
                row.status, row.worker, row.started_at, row.heartbeat_at = "preparing", worker_name(), _now(), _now()
                params = params_of(row)
                problem, plan = _run_problem(session, row.run_id)
            prepared = prepare(problem, plan, params)
            with session_scope(engine) as session:
                row = session.get(AdviceRun, advice_id, with_for_update=True)
                if row is None:
                    return
                row.fixed = prepared.fixed.dump()
                row.base = prepared.base.dump()
                row.summary = {
                    "unplaced": prepared.unplaced,
                    "waiting": prepared.waiting,
                    "candidates": prepared.drawn,
                    "screened_out": prepared.screened_out,
                }
                for idx, candidate in enumerate(prepared.candidates):
                    session.add(
                        AdviceCandidate(
                            advice_id=advice_id,
                            idx=idx,
                            change=candidate.change.model_dump(mode="json"),
                            bound=candidate.bound,
                            status="queued",
                        )
                    )
                row.heartbeat_at = _now()
                if row.status == "stopping":
                    row.status, row.finished_at = "stopped", _now()
                    return
                if not prepared.candidates:
                    row.status, row.finished_at = "complete", _now()
                    return
                row.status = "verifying"
            fan_out(list(range(len(prepared.candidates))))
        except Exception as error:  # noqa: BLE001 - stored on the advice
            log.exception("advice %s could not be prepared", advice_id)
            _advice_failed(engine, advice_id, error)


def _advice_failed(engine: Engine, advice_id: int, error: BaseException) -> None:
    with session_scope(engine) as session:
        row = session.get(AdviceRun, advice_id)
        if row is not None:
            row.status, row.error, row.finished_at = "failed", f"{type(error).__name__}: {error}", _now()


@lru_cache(maxsize=4)
def _prepared(engine: Engine, advice_id: int) -> Prepared:
    """The advice's fixed problem and base plan, read and parsed once per worker process (they never change
    once prepared): each candidate's claim reads only the small columns."""
    with session_scope(engine) as session:
        fixed, base = session.execute(select(AdviceRun.fixed, AdviceRun.base).where(AdviceRun.id == advice_id)).one()
    problem = Problem.model_validate(fixed)
    return Prepared(problem=problem, fixed=problem, base=parse_plan(base), unplaced=0, waiting=[])


def _claim(engine: Engine, advice_id: int, idx: int) -> tuple[Prepared, Candidate, AdviceParams] | None:
    """Take a candidate to verify, or settle it at once (stopped, out of time, pruned): None then."""
    with session_scope(engine) as session:
        row = session.get(AdviceRun, advice_id, options=[defer(AdviceRun.fixed), defer(AdviceRun.base)])
        cand = session.get(AdviceCandidate, (advice_id, idx), with_for_update=True)
        if row is None or cand is None or cand.status != "queued":
            return None
        params = params_of(row)
        elapsed = (_now() - (aware(row.started_at) or _now())).total_seconds()
        if row.status != "verifying" or elapsed + params.replan_seconds * 1.5 > params.time_limit:
            cand.status = "skipped"
            return None
        items = [AdviceItem.model_validate(i) for i in session.scalars(_items(advice_id))]
        candidate = Candidate(change_list([cand.change])[0], cand.bound)
        if beaten(candidate, items, params.top):
            cand.status = "pruned"
            return None
        cand.status, cand.worker = "running", worker_name()
        row.heartbeat_at = _now()
    return _prepared(engine, advice_id), candidate, params


def _items(advice_id: int) -> Any:
    return select(AdviceCandidate.item).where(AdviceCandidate.advice_id == advice_id, AdviceCandidate.item.is_not(None))


def verify_candidate(engine: Engine, advice_id: int, idx: int) -> None:
    """Verify one candidate by planning with it (see the module)."""
    with _Working():
        try:
            claimed = _claim(engine, advice_id, idx)
            if claimed is not None:
                prepared, candidate, params = claimed
                item = verify(prepared, candidate, params)
                with session_scope(engine) as session:
                    cand = session.get(AdviceCandidate, (advice_id, idx))
                    if cand is not None:
                        cand.status, cand.item = "done", item.model_dump(mode="json")
        except Exception as error:  # noqa: BLE001 - stored on the candidate
            log.exception("advice %s candidate %s failed", advice_id, idx)
            with session_scope(engine) as session:
                cand = session.get(AdviceCandidate, (advice_id, idx))
                if cand is not None:
                    cand.status, cand.error = "failed", f"{type(error).__name__}: {error}"
        _maybe_finish(engine, advice_id)


def _maybe_finish(engine: Engine, advice_id: int) -> None:
    """The last candidate to end completes the advice (stopped, when any was skipped)."""
    with session_scope(engine) as session:
        row = session.get(AdviceRun, advice_id, with_for_update=True)
        if row is None or row.status not in ("verifying", "stopping"):
            return
        row.heartbeat_at = _now()
        counts = dict(
            session.execute(
                select(AdviceCandidate.status, func.count())
                .where(AdviceCandidate.advice_id == advice_id)
                .group_by(AdviceCandidate.status)
            ).all()
        )
        if counts.get("queued", 0) or counts.get("running", 0):
            return
        row.finished_at = _now()
        if counts.get("failed", 0) and not counts.get("done", 0) and not counts.get("pruned", 0):
            error = session.scalar(
                select(AdviceCandidate.error).where(
                    AdviceCandidate.advice_id == advice_id, AdviceCandidate.error.is_not(None)
                )
            )
            row.status, row.error = "failed", f"every re-plan failed: {error}"
            return
        stopped = row.status == "stopping" or counts.get("skipped", 0) > 0
        row.status = "stopped" if stopped else "complete"


def plan_whatif_task(engine: Engine, whatif_id: int, seconds: float = WHATIF_SECONDS) -> None:
    """Plan a what-if: the run's plan with every group kept, re-planned without and with its changes."""
    with _Working():
        try:
            with session_scope(engine) as session:
                row = session.get(WhatIf, whatif_id, with_for_update=True)
                if row is None or row.status != "queued":
                    return
                row.status, row.worker, row.heartbeat_at = "planning", worker_name(), _now()
                problem, plan = _run_problem(session, row.run_id)
                changes = change_list(row.changes)
            params = solver.SolveParams(time_limit=seconds, workers=1)
            fixed = fixed_problem(problem, plan)
            before = plan_whatif(fixed, [], params)
            after = plan_whatif(fixed, changes, params)
            diff = compare(problem, before, after)
            with session_scope(engine) as session:
                row = session.get(WhatIf, whatif_id)
                if row is not None:
                    row.plan, row.diff = after.dump(), diff.model_dump(mode="json")
                    row.status, row.finished_at = "done", _now()
        except Exception as error:  # noqa: BLE001 - stored on the what-if
            log.exception("what-if %s failed", whatif_id)
            with session_scope(engine) as session:
                row = session.get(WhatIf, whatif_id)
                if row is not None:
                    row.status, row.error, row.finished_at = "failed", f"{type(error).__name__}: {error}", _now()
