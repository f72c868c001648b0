"""Rows written as an imported sheet asks: new records inserted and changed ones updated, in bulk.

A spreadsheet import (`scheduler.services.sheets.imports`) has already checked the whole problem
with the contract and knows which records are new and which changed, and which columns of them;
this module writes just those, a few statements a table, so 5000 rows store in well under a second.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from scheduler.storage.models import (
    AuditEntry,
    Base,
    ClientRow,
    Closure,
    GroupModelRow,
    HubRow,
    PlanningSettings,
    RoomRow,
    StaffRow,
)

__all__ = ["TABLES", "closure_reasons", "has_frame", "store_frame", "stored_ids", "stored_rows", "write_rows"]

TABLES: dict[str, type[Base]] = {
    "hubs": HubRow,
    "rooms": RoomRow,
    "staff": StaffRow,
    "templates": GroupModelRow,
    "clients": ClientRow,
    "closures": Closure,
}
"""The table of each kind of sheet, in the order rows are written (a hub before its rooms and staff)."""


def has_frame(session: Session) -> bool:
    """Whether the database holds a planning frame (the term, the region) yet."""
    return session.get(PlanningSettings, 1) is not None


def store_frame(session: Session, region: str, timezone: str, term_start: date, term_weeks: int) -> None:
    """A planning frame for a database that has none (the caller decides its term)."""
    session.add(PlanningSettings(id=1, region=region, timezone=timezone, term_start=term_start, term_weeks=term_weeks))
    session.flush()


def stored_ids(session: Session, kind: str) -> set[str]:
    """Every id of a kind the database holds (clients out of service too; a closure's day in ISO)."""
    if kind == "closures":
        return {day.isoformat() for day in session.scalars(select(Closure.day))}
    table: Any = TABLES[kind]
    return set(session.scalars(select(table.id)))


def stored_rows(session: Session, kind: str, ids: set[str]) -> dict[str, dict[str, Any]]:
    """The stored rows of a kind with these ids, each as its table's columns."""
    if not ids:
        return {}
    table: Any = TABLES[kind]
    rows = session.scalars(select(table).where(table.id.in_(sorted(ids))))
    return {row.id: {c.key: getattr(row, c.key) for c in table.__table__.columns} for row in rows}


def closure_reasons(session: Session) -> dict[str, str | None]:
    """Each closure's reason by its day in ISO."""
    return {day.isoformat(): reason for day, reason in session.execute(select(Closure.day, Closure.reason))}


def write_rows(
    session: Session,
    created: dict[str, list[dict[str, Any]]],
    updated: dict[str, list[dict[str, Any]]],
    actor: str,
    detail: dict[str, Any],
) -> None:
    """Insert the new rows and update the changed columns of the others, kind by kind, with one audit entry.

    Each row is a dict of its table's columns (an update's holds its primary key and the columns that
    change). Objects the session had loaded are expired, so what is read next is what was written."""
    session.flush()
    for kind, table in TABLES.items():
        if created.get(kind):
            session.execute(insert(table), created[kind])
        if updated.get(kind):
            for columns, rows in _by_columns(updated[kind]).items():
                if len(columns) > 1:
                    session.execute(update(table), rows)
    session.add(AuditEntry(actor=actor, action="import", entity="sheets", entity_id=None, detail=detail))
    session.flush()
    session.expire_all()


def _by_columns(rows: list[dict[str, Any]]) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """Rows grouped by the columns they set: one executemany for each set."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return groups
