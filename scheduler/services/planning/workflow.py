"""The weekly planning workflow: plan a draft from the database, then publish it.

`plan` snapshots the database into a problem (running groups with their active
participants are pinned, so nobody is moved), solves it and stores a draft run with
its diff against what is published. The background planning job (`scheduler.jobs`)
takes the same steps apart: `snapshot` and `open_run`, the solve, then `store_plan`.
`publish` applies a draft in one transaction and records a new offering version. An
offering version names the version it replaced, and that column is unique: if two
drafts were planned on the same version, the second to publish fails with
`StaleRunError` instead of overwriting the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.contract import Plan, Problem, parse_plan
from scheduler.contract.errors import Conflict
from scheduler.storage.groups import mark_changed, store_group
from scheduler.storage.models import AuditEntry, EnrollmentRow, GroupRow, OfferingVersion, PlanningRun
from scheduler.storage.repository import export_problem

__all__ = [
    "PlanDiff",
    "StaleRunError",
    "current_version",
    "diff_plan",
    "open_run",
    "plan_run",
    "publish_run",
    "resolve_run",
    "run_today",
    "snapshot",
    "store_plan",
]


class StaleRunError(Conflict):
    """A draft planned on an offering version that is no longer the published one."""


@dataclass
class PlanDiff:
    """What a draft changes in the published offering."""

    opened: list[str]
    closed: list[str]
    moved: list[str]
    clients_added: int

    def as_dict(self) -> dict[str, Any]:
        return {"opened": self.opened, "closed": self.closed, "moved": self.moved, "clients_added": self.clients_added}


def current_version(session: Session) -> int:
    """The published offering version (0 before anything is published)."""
    return int(session.scalar(select(func.max(OfferingVersion.id))) or 0)


def snapshot(session: Session, allow_moves: bool = False) -> Problem:
    """The database as a planning problem; running groups pinned unless moves are allowed."""
    problem = export_problem(session)
    if allow_moves:
        data = problem.dump()
        for group in data["groups"]:
            group["pinned"] = False
        problem = Problem.model_validate(data)
    return problem


def diff_plan(before: Problem, plan: Plan) -> PlanDiff:
    """Groups opened, closed and moved, and seats given to clients, against the running groups."""
    running = {g.id: g for g in before.groups}
    planned = {g.id: g for g in plan.groups}
    where = lambda g: (g.day, g.start, g.hub, g.room)  # noqa: E731
    moved = sorted(i for i in running.keys() & planned.keys() if where(running[i]) != where(planned[i]))
    seated = {(p, g.id) for g in before.groups for p in g.participants}
    added = sum((p, g.id) not in seated for g in plan.groups for p in g.participants)
    return PlanDiff(sorted(planned.keys() - running.keys()), sorted(running.keys() - planned.keys()), moved, added)


def plan_run(session: Session, solve: Any, actor: str, allow_moves: bool = False) -> PlanningRun:
    """Plan from the database with `solve(problem) -> Plan` and store a draft run."""
    problem, version = snapshot(session, allow_moves), current_version(session)
    plan = solve(problem)
    run = open_run(session, problem, version, status="draft")
    store_plan(session, run, problem, plan, actor)
    return run


def open_run(session: Session, problem: Problem, based_on_version: int, status: str) -> PlanningRun:
    """A new run over the problem, planned on the given offering version; flushed, so it has an id."""
    run = PlanningRun(status=status, based_on_version=based_on_version, problem=problem.dump())
    session.add(run)
    session.flush()
    return run


def store_plan(session: Session, run: PlanningRun, problem: Problem, plan: Plan, actor: str) -> None:
    """The run becomes a draft: its plan, metrics and diff against the problem's running groups."""
    diff = diff_plan(problem, plan)
    run.plan, run.diff = plan.dump(), diff.as_dict()
    run.metrics = plan.metrics.model_dump(mode="json", exclude_none=True)
    run.status, run.finished_at = "draft", datetime.now(UTC)
    session.add(AuditEntry(actor=actor, action="plan", entity="planning_run", entity_id=str(run.id),
                           detail=diff.as_dict()))


def resolve_run(session: Session, which: str) -> PlanningRun:
    """A run by id, or `latest` for the newest."""
    if which == "latest":
        run = session.scalars(select(PlanningRun).order_by(PlanningRun.id.desc()).limit(1)).first()
    elif which.isdigit():
        run = session.get(PlanningRun, int(which))
    else:
        raise LookupError(f"{which!r} is not a run id: give a number or 'latest'")
    if run is None:
        raise LookupError(f"no planning run {which}: run `tarjotin plan` first")
    return run


def run_today(run: PlanningRun) -> date:
    """Today in the run's timezone: seats published now start from this day (or the term start, if later)."""
    return datetime.now(ZoneInfo(str(run.problem.get("timezone") or "Europe/Helsinki"))).date()


def publish_run(session: Session, run: PlanningRun, actor: str, today: date | None = None) -> OfferingVersion:
    """Apply a draft: groups, enrollments and a new offering version, all or nothing."""
    if run.status != "draft" or run.plan is None:
        raise StaleRunError(f"run {run.id} is {run.status}, only a draft can be published")
    version = current_version(session)
    if run.based_on_version != version:
        raise StaleRunError(f"run {run.id} was planned on offering version {run.based_on_version}, "
                            f"but version {version} is published now: plan again")
    run_id = run.id
    offering = OfferingVersion(replaces=version, run_id=run_id)
    session.add(offering)
    try:  # first, so a concurrent publisher waits here on the unique index, then loses
        session.flush()
    except IntegrityError as error:
        raise StaleRunError(f"offering version {version} was replaced while run {run_id} was being published: "
                            "plan again") from error
    _seats_unchanged_since(session, run)
    plan = parse_plan(run.plan)
    start = max(today or date.min, date.fromisoformat(run.problem["term"]["start"]))
    _apply_groups(session, plan, start)
    run.status = "published"
    session.add(AuditEntry(actor=actor, action="publish", entity="offering_version", entity_id=str(offering.id),
                           detail={"run": run.id, **(run.diff or {})}))
    return offering


def _seats_unchanged_since(session: Session, run: PlanningRun) -> None:
    """Refuse a draft whose running groups' seats changed after it was planned (say a seat ended).

    The running groups are locked first, in id order, as seat changes lock them.
    """
    list(session.scalars(select(GroupRow).where(GroupRow.status == "running").order_by(GroupRow.id).with_for_update()))
    active = session.scalars(select(EnrollmentRow).where(EnrollmentRow.status == "active"))
    now = {(e.client_id, e.group_id) for e in active}
    then = {(p, g["id"]) for g in run.problem.get("groups", []) for p in g.get("participants", [])}
    if now != then:
        raise StaleRunError(f"seats changed since run {run.id} was planned: plan again")


def _apply_groups(session: Session, plan: Plan, start: date) -> None:
    planned = {g.id for g in plan.groups}
    for row in session.scalars(select(GroupRow).where(GroupRow.status == "running")):
        if row.id not in planned:
            row.status = "closed"
            mark_changed(row)
    seats = {(p, g.id) for g in plan.groups for p in g.participants}
    active = set()
    for enrollment in session.scalars(select(EnrollmentRow).where(EnrollmentRow.status == "active")):
        if (enrollment.client_id, enrollment.group_id) in seats:
            active.add((enrollment.client_id, enrollment.group_id))
        else:  # the group closed or the client was moved (only when moves were allowed)
            enrollment.status, enrollment.to_date = "interrupted", start
    for group in plan.groups:
        store_group(session, dict(
            id=group.id, template_id=group.template, modality=group.modality, hub_id=group.hub, room_id=group.room,
            language=group.language, day=group.day, start=group.start, end=group.end, leaders=group.leaders,
            pinned=True, status="running"))
        for client_id in group.participants:
            if (client_id, group.id) not in active:
                session.add(EnrollmentRow(client_id=client_id, group_id=group.id, from_date=start))
