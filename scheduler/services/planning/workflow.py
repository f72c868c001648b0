"""The weekly planning workflow: plan a draft from the database, then publish it.

The planning steps (snapshot, solve, store the draft with its diff) are the shared
flow in `scheduler.services.planning.flow`; `plan_run` is its synchronous use and is
re-exported here with the rest of the flow's names. This module publishes: `publish`
applies a draft in one transaction and records a new offering version. An offering
version names the version it replaced, and that column is unique: if two drafts were
planned on the same version, the second to publish fails with `StaleRunError` instead
of overwriting the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.contract import Plan, parse_plan
from scheduler.contract.errors import Conflict, Invalid, NotFound
from scheduler.services.clock import HELSINKI, SYSTEM_CLOCK, Clock
from scheduler.services.offers import make_offers, withdraw_offers
from scheduler.services.planning.diff import PlanDiff, diff_plan, run_diff
from scheduler.services.planning.flow import current_version, open_run, plan_run, snapshot, store_draft
from scheduler.services.seats import seat_planned
from scheduler.storage.groups import mark_changed, store_group
from scheduler.storage.locks import lock_seat_holders
from scheduler.storage.models import (
    AuditEntry,
    ClientRow,
    EnrollmentRow,
    GroupModelRow,
    GroupRow,
    HubRow,
    OfferingVersion,
    OfferRow,
    PlanningRun,
    PlanningSettings,
    RoomRow,
    StaffRow,
)
from scheduler.storage.repository import held_seats

__all__ = [
    "PlanDiff",
    "Publication",
    "StaleRunError",
    "current_version",
    "diff_plan",
    "open_run",
    "plan_run",
    "publish_run",
    "resolve_run",
    "run_diff",
    "run_today",
    "snapshot",
    "store_draft",
]


class StaleRunError(Conflict):
    """A draft planned on an offering version that is no longer the published one."""


@dataclass(frozen=True)
class Publication:
    """A published draft: its offering version, and what its new placements became."""

    version: OfferingVersion
    offers: int
    """Offers made (each new placement, unless the county accepts offers at once)."""
    seats: int
    """Seats made at once (only when the county accepts offers at once)."""
    withdrawn: int
    """Pending offers the plan no longer holds (their group closed, or the client was placed elsewhere)."""

    def to_json(self) -> dict[str, int]:
        return {"offers_made": self.offers, "seats_made": self.seats, "offers_withdrawn": self.withdrawn}


def resolve_run(session: Session, which: str) -> PlanningRun:
    """A run by id, or `latest` for the newest."""
    if which == "latest":
        run = session.scalars(select(PlanningRun).order_by(PlanningRun.id.desc()).limit(1)).first()
    elif which.isdigit():
        run = session.get(PlanningRun, int(which))
    else:
        raise Invalid.of("run", f"{which!r} is not a run id: give a number or 'latest'")
    if run is None:
        raise NotFound(f"no planning run {which}: run `tarjotin plan` first")
    return run


def run_today(run: PlanningRun, clock: Clock = SYSTEM_CLOCK) -> date:
    """Today on the clock in the run's timezone: seats published now start from this day (or the term start)."""
    return clock.today(str(run.problem.get("timezone") or HELSINKI))


def publish_run(session: Session, run: PlanningRun, actor: str, today: date | None = None) -> Publication:
    """Apply a draft: groups, offers (or seats) and a new offering version, all or nothing.

    Each new placement of the plan becomes an offer held for the client until they answer
    (`scheduler.services.offers`), made on `today` (the clock's day in the run's timezone
    when not given) with the county's reply time; with `offers_accept_at_once` it is a
    seat at once, ending with the client's service period. A placement the client already
    holds (an active seat or a pending offer) stays as it is; a pending offer the plan no
    longer holds is withdrawn. Seats start on `today`, never before the term nor before a group's own
    first session; a hybrid group's `remote_participants` get seats (offers) from home.
    """
    if run.status != "draft" or run.plan is None:
        raise StaleRunError(f"run {run.id} is {run.status}, only a draft can be published")
    version = current_version(session)
    if run.based_on_version != version:
        raise StaleRunError(
            f"run {run.id} was planned on offering version {run.based_on_version}, "
            f"but version {version} is published now: plan again"
        )
    run_id = run.id
    offering = OfferingVersion(replaces=version, run_id=run_id)
    session.add(offering)
    try:  # first, so a concurrent publisher waits here on the unique index, then loses
        session.flush()
    except IntegrityError as error:
        raise StaleRunError(
            f"offering version {version} was replaced while run {run_id} was being published: plan again"
        ) from error
    plan = parse_plan(run.plan)
    _lock_and_check(session, run, plan)
    start = max(today or date.min, date.fromisoformat(run.problem["term"]["start"]))
    made_on = today or run_today(run)
    frame = session.get(PlanningSettings, 1)
    at_once = frame is not None and frame.offers_accept_at_once
    reply_days = frame.offer_reply_days if frame is not None else 7
    withdrawn = _apply_groups(session, plan, start, actor)
    new = _new_placements(session, plan)
    remote = {(c, g.id) for g in plan.groups if g.modality == "hybrid" for c in g.remote_participants}
    if at_once:
        published = Publication(offering, 0, seat_planned(session, new, start, remote), withdrawn)
    else:
        made = make_offers(session, new, start, made_on, reply_days, run_id, remote)
        published = Publication(offering, made, 0, withdrawn)
    run.status = "published"
    diff = run_diff(run)
    session.add(
        AuditEntry(
            actor=actor,
            action="publish",
            entity="offering_version",
            entity_id=str(offering.id),
            detail={"run": run.id, **(diff.to_json() if diff else {}), **published.to_json()},
        )
    )
    return published


def _lock_and_check(session: Session, run: PlanningRun, plan: Plan) -> None:
    """Lock what the plan's seats rely on, then refuse the plan if any of it changed since it was planned.

    The locks are the ones every seat change takes, in the same order (`lock_seat_holders`:
    the plan's clients, then every running group and the plan's groups, each in id
    order), so no reservation or seat change slips in between this check and the seats
    `seat_planned` writes.
    """
    running = set(session.scalars(select(GroupRow.id).where(GroupRow.status == "running")))
    clients = {client for group in plan.groups for client in group.participants}
    lock_seat_holders(session, clients, running | {group.id for group in plan.groups})
    _records_still_there(session, run, plan)
    _seats_unchanged_since(session, run)


def _records_still_there(session: Session, run: PlanningRun, plan: Plan) -> None:
    """Refuse a draft that names a client, staff member, hub, room or group model deleted after it was planned."""
    named: list[tuple[str, type[Any], set[str]]] = [
        ("client", ClientRow, {c for g in plan.groups for c in g.participants}),
        ("staff member", StaffRow, {s for g in plan.groups for s in g.leaders}),
        ("hub", HubRow, {g.hub for g in plan.groups if g.hub}),
        ("room", RoomRow, {g.room for g in plan.groups if g.room}),
        ("group model", GroupModelRow, {g.template for g in plan.groups}),
    ]
    gone = []
    for noun, table, keys in named:
        found = set(session.scalars(select(table.id).where(table.id.in_(sorted(keys))))) if keys else set()
        gone += [f"{noun} '{key}'" for key in sorted(keys - found)]
    if gone:
        shown = ", ".join(gone[:5]) + (f" and {len(gone) - 5} more" if len(gone) > 5 else "")
        raise StaleRunError(f"run {run.id} names records deleted since it was planned ({shown}): plan again")


def _seats_unchanged_since(session: Session, run: PlanningRun) -> None:
    """Refuse a draft whose running groups' held seats changed after it was planned (say a seat ended or an
    offer was declined): active seats and pending offers, as the run's problem counted its participants."""
    now = held_seats(session)
    then = {(p, g["id"]) for g in run.problem.get("groups", []) for p in g.get("participants", [])}
    if now != then:
        raise StaleRunError(f"seats changed since run {run.id} was planned: plan again")


def _apply_groups(session: Session, plan: Plan, start: date, actor: str) -> int:
    """Store the plan's groups, close the others and end the seats and offers it no longer holds.

    Returns how many pending offers were withdrawn.
    """
    planned = {g.id for g in plan.groups}
    for row in session.scalars(select(GroupRow).where(GroupRow.status == "running")):
        if row.id not in planned:
            row.status = "closed"
            mark_changed(row)
    seats = {(p, g.id) for g in plan.groups for p in g.participants}
    for enrollment in session.scalars(select(EnrollmentRow).where(EnrollmentRow.status == "active")):
        if (enrollment.client_id, enrollment.group_id) not in seats:
            # the group closed or the client was moved (only when moves were allowed)
            enrollment.status, enrollment.to_date = "interrupted", start
    pending = session.scalars(select(OfferRow).where(OfferRow.status == "pending"))
    withdrawn = withdraw_offers(session, [o for o in pending if (o.client_id, o.group_id) not in seats], actor)
    for group in plan.groups:
        store_group(
            session,
            dict(
                id=group.id,
                template_id=group.template,
                modality=group.modality,
                hub_id=group.hub,
                room_id=group.room,
                language=group.language,
                day=group.day,
                start=group.start,
                end=group.end,
                leaders=group.leaders,
                pinned=True,
                status="running",
                start_date=group.start_date,
                sessions=group.sessions,
                reach=group.reach,
            ),
        )
    return withdrawn


def _new_placements(session: Session, plan: Plan) -> list[tuple[str, str]]:
    """The plan's placements no one holds yet (client, group): not an active seat nor a pending offer."""
    session.flush()
    held = held_seats(session)
    return [(c, g.id) for g in plan.groups for c in g.participants if (c, g.id) not in held]
