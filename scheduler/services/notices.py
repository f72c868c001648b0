"""Notices to counsellors and staff: one row per event and recipient, on their list and mailed when configured.

`notify` is the one way a notice is made. It is written in the caller's transaction, so a
notice exists exactly when the change that caused it was committed; the same event
(`kind`, `ref`) never notifies one recipient twice. Mail is sent after the commit, never
inside a request (see `scheduler.services.mail`).

A notice is to be mailed (`mail_status` pending) when mail is on and its recipient has an
address; otherwise it stays on their list (`none`), and switching mail on later does not mail
it. Whether mail is on is the session's `MAIL_ON` info (the service sets it from its settings),
else the settings of the environment (`TARJOTIN_SMTP_HOST`). A session that made a notice is
marked (`NOTIFIED` in its info) so the service's outbox can be woken once it commits.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from scheduler.contract.followup import NoticeKind
from scheduler.settings import get_settings
from scheduler.storage.models import CounsellorRow, NoticeRow, StaffRow

__all__ = ["MAIL_ON", "NOTIFIED", "mail_on", "notify"]

MAIL_ON = "mail_notices"
"""The session info's key saying whether notices are mailed (True/False); absent: the environment's settings."""
NOTIFIED = "notices_made"
"""The session info's key set when the session made a notice (the outbox wakes after the commit)."""


def mail_on(session: Session) -> bool:
    """Whether notices made in this session are to be mailed: SMTP is configured."""
    on = session.info.get(MAIL_ON)
    return bool(get_settings().smtp_host) if on is None else bool(on)


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
    owner = session.get(CounsellorRow, counsellor_id) if counsellor_id is not None else session.get(StaffRow, staff_id)
    mailed = owner is not None and bool(owner.email) and mail_on(session)
    made = _insert_once(
        session,
        {
            "kind": kind,
            "recipient": recipient,
            "counsellor_id": counsellor_id,
            "staff_id": staff_id,
            "client_id": client_id,
            "group_id": group_id,
            "day": day,
            "ref": ref,
            "args": args or {},
            "created_at": now or datetime.now(UTC),
            "mail_status": "pending" if mailed else "none",
            "mail_attempts": 0,
        },
    )
    if made is None:
        return None
    session.info[NOTIFIED] = True
    return session.get(NoticeRow, made)


def _insert_once(session: Session, values: dict[str, Any]) -> int | None:
    """Insert the notice unless its (kind, ref, recipient) is there already: its id, or None.

    `ON CONFLICT DO NOTHING`, so two transactions telling of the same event at once (two server
    processes running the daily step) do not fail: the second waits for the first and inserts nothing."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(NoticeRow)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["kind", "ref", "recipient"])
        .returning(NoticeRow.id)
    )
    made: int | None = session.scalar(statement)
    return made
