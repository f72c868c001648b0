"""Writing a group so calendar subscribers see its changes.

Every change of a group's time, place, leaders or status raises its `sequence` and
stamps `updated_at`, which is what calendar programs go by (SEQUENCE and
LAST-MODIFIED): the publish workflow, imports and edits through the API all write
groups through `store_group`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from scheduler.storage.models import GroupRow

__all__ = ["TRACKED", "mark_changed", "store_group"]

TRACKED = ("modality", "hub_id", "room_id", "day", "start", "end", "leaders", "status", "start_date", "sessions")
"""The fields of a group whose change subscribers must see."""


def mark_changed(row: GroupRow, when: datetime | None = None) -> None:
    """The group changed in a way calendars must show: one more in its sequence, stamped now."""
    row.sequence = (row.sequence or 0) + 1
    row.updated_at = when or datetime.now(UTC)


def store_group(session: Session, values: dict[str, Any]) -> GroupRow:
    """Write a group (new or not); a change of a tracked field marks it changed. A running group is not cancelled."""
    row = session.get(GroupRow, values["id"])
    if row is None:
        row = GroupRow(**values, sequence=0, updated_at=datetime.now(UTC))
        session.add(row)
    else:
        changed = any(field in values and getattr(row, field) != values[field] for field in TRACKED)
        for field, value in values.items():
            setattr(row, field, value)
        if changed:
            mark_changed(row)
    if row.status == "running":
        row.cancelled_on = row.cancel_reason = None
    session.flush()
    return row
