"""Partners' and third-sector activities: list, read, save (idempotent by id) and delete.

The county does not plan these: they live in their own table, never reach a planning problem, the
plan's metrics or the county's figures, and everything that shows them marks them `partner: true`.
Saving the same fields again changes nothing (not even `updated_at`); a change to any field the
calendar event shows bumps `sequence`, so calendar programs take the new version (docs/partners.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from scheduler.contract.errors import Invalid, NotFound
from scheduler.contract.partner import CALENDAR_FIELDS, PartnerActivityIn, PartnerActivityOut, PartnerFields
from scheduler.contract.times import DAYS
from scheduler.storage.models import AuditEntry, PartnerActivity

__all__ = [
    "ENTITY",
    "PartnerFilter",
    "Saved",
    "delete_partner",
    "get_partner",
    "list_partners",
    "partner_out",
    "partners_version",
    "save_partner",
]

ENTITY = "partner_activity"
"""The audit log's name for these records."""
Saved = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True)
class PartnerFilter:
    """What narrows the list; None means any. `on`: leave out activities that ended before it."""

    municipality: str | None = None
    language: str | None = None
    theme: str | None = None
    day: str | None = None
    on: date | None = None


def partner_out(row: PartnerActivity) -> PartnerActivityOut:
    """A stored activity as the service shows it (marked a partner's), its time stamp in UTC whatever the
    database kept (SQLite drops the zone)."""
    values = {name: getattr(row, name) for name in PartnerActivityOut.model_fields if name != "partner"}
    stamp = row.updated_at
    values["updated_at"] = stamp.replace(tzinfo=UTC) if stamp is not None and stamp.tzinfo is None else stamp
    return PartnerActivityOut.model_validate(values)


def _order(row: PartnerActivity) -> tuple[str, int, str, str]:
    return (row.municipality, DAYS.index(row.day) if row.day in DAYS else 7, row.start, row.id)


def list_partners(session: Session, where: PartnerFilter | None = None) -> list[PartnerActivityOut]:
    """The activities that pass the filter, by municipality, weekday, start time and id."""
    where = where or PartnerFilter()
    query = select(PartnerActivity)
    if where.municipality:
        query = query.where(func.lower(PartnerActivity.municipality) == where.municipality.lower())
    if where.theme:
        query = query.where(PartnerActivity.theme == where.theme)
    if where.day:
        query = query.where(PartnerActivity.day == where.day)
    if where.on:
        query = query.where(or_(PartnerActivity.last_date.is_(None), PartnerActivity.last_date >= where.on))
    rows = [r for r in session.scalars(query) if not where.language or where.language in (r.languages or [])]
    return [partner_out(r) for r in sorted(rows, key=_order)]


def get_partner(session: Session, partner_id: str) -> PartnerActivityOut:
    """One activity; NotFound for an unknown id."""
    row = session.get(PartnerActivity, partner_id)
    if row is None:
        raise NotFound(f"no partner activity {partner_id!r}")
    return partner_out(row)


def _stored(fields: PartnerFields) -> dict[str, Any]:
    return fields.model_dump(include=set(PartnerFields.model_fields))


def save_partner(
    session: Session, partner_id: str, fields: PartnerFields, actor: str
) -> tuple[PartnerActivityOut, Saved]:
    """Create or replace the activity `partner_id` with `fields`: the same fields again change nothing; a change
    to a field the calendar shows bumps the sequence. Audited; the caller commits."""
    try:
        PartnerActivityIn.model_validate({**_stored(fields), "id": partner_id})  # the id's own check
    except ValidationError as error:
        raise Invalid.of("id", str(error.errors()[0]["msg"]).removeprefix("Value error, ")) from None
    wanted = _stored(fields)
    row = session.get(PartnerActivity, partner_id)
    if row is None:
        row = PartnerActivity(id=partner_id, sequence=0, updated_at=datetime.now(UTC), **wanted)
        session.add(row)
        outcome: Saved = "created"
        changed = sorted(wanted)
    else:
        changed = sorted(name for name, value in wanted.items() if getattr(row, name) != value)
        if not changed:
            return partner_out(row), "unchanged"
        for name in changed:
            setattr(row, name, wanted[name])
        if CALENDAR_FIELDS & set(changed):
            row.sequence = (row.sequence or 0) + 1
        row.updated_at = datetime.now(UTC)
        outcome = "updated"
    session.add(
        AuditEntry(
            actor=actor,
            action="partner_create" if outcome == "created" else "partner_update",
            entity=ENTITY,
            entity_id=partner_id,
            detail={"fields": changed},
        )
    )
    session.flush()
    return partner_out(row), outcome


def delete_partner(session: Session, partner_id: str, actor: str) -> None:
    """Remove the activity (its calendar event leaves the feed); NotFound for an unknown id. Audited."""
    row = session.get(PartnerActivity, partner_id)
    if row is None:
        raise NotFound(f"no partner activity {partner_id!r}")
    session.delete(row)
    session.add(AuditEntry(actor=actor, action="partner_delete", entity=ENTITY, entity_id=partner_id))
    session.flush()


def partners_version(session: Session) -> tuple[str, datetime | None]:
    """A cheap fingerprint of the stored activities and when they last changed (for the feed's ETag)."""
    count, sequences, latest = session.execute(
        select(func.count(), func.coalesce(func.sum(PartnerActivity.sequence), 0), func.max(PartnerActivity.updated_at))
    ).one()
    deleted = session.scalar(
        select(func.max(AuditEntry.id)).where(AuditEntry.entity == ENTITY, AuditEntry.action == "partner_delete")
    )
    if latest is not None:
        latest = latest.astimezone(UTC) if latest.tzinfo else latest.replace(tzinfo=UTC)
    return f"partners/{count}/{sequences}/{latest}/{deleted}", latest
