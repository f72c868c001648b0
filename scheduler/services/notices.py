"""Notices to counsellors and staff: one row per event and recipient, on their list and mailed when configured.

`notify` is the one way a notice is made. It is written in the caller's transaction, so a
notice exists exactly when the change that caused it was committed; the same event
(`kind`, `ref`) never notifies one recipient twice. Mail is sent after the commit, never
inside a request (see `scheduler.services.mail`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract.followup import NoticeKind
from scheduler.storage.models import CounsellorRow, NoticeRow, StaffRow

__all__ = ["notify"]


def notify(
    session: Session,
    kind: NoticeKind,
    ref: str,
    *,
    counsellor_id: str | None = None,
    staff_id: str | None = None,
    client_id: str | None = None,
    group_id: str | None = None,
    day: date | None = None,
    args: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> NoticeRow | None:
    """A notice to one counsellor or one staff member; none when this event already notified them."""
    if (counsellor_id is None) == (staff_id is None):
        raise ValueError("a notice goes to one counsellor or one staff member")
    recipient = f"counsellor:{counsellor_id}" if counsellor_id is not None else f"staff:{staff_id}"
    known = session.scalar(
        select(NoticeRow.id).where(NoticeRow.kind == kind, NoticeRow.ref == ref, NoticeRow.recipient == recipient)
    )
    if known is not None:
        return None
    owner = session.get(CounsellorRow, counsellor_id) if counsellor_id is not None else session.get(StaffRow, staff_id)
    mailed = owner is not None and bool(owner.email)
    row = NoticeRow(
        kind=kind,
        recipient=recipient,
        counsellor_id=counsellor_id,
        staff_id=staff_id,
        client_id=client_id,
        group_id=group_id,
        day=day,
        ref=ref,
        args=args or {},
        created_at=now or datetime.now(UTC),
        mail_status="pending" if mailed else "none",
    )
    session.add(row)
    session.flush()
    return row
