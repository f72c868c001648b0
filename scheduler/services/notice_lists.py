"""A recipient's own notices, newest first, and marking them read.

A counsellor's list names the client a notice is about (id and alias) while the client is still
theirs; a staff member's list never names a client. Nobody reads another's notices: a notice of
someone else is as unknown as one that does not exist (NotFound).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from scheduler.contract.errors import NotFound
from scheduler.services.mail_text import letter
from scheduler.storage.models import ClientRow, NoticeRow

__all__ = ["NoticeItem", "NoticeList", "mark_all_read", "mark_read", "notice_list", "recipient_of"]


@dataclass(frozen=True)
class NoticeItem:
    """One notice as its recipient reads it, in their language."""

    id: int
    kind: str
    created_at: datetime
    read_at: datetime | None
    group_id: str | None
    day: date | None
    title: str
    text: str
    client_id: str | None
    alias: str | None
    mail_status: str


@dataclass(frozen=True)
class NoticeList:
    """A recipient's notices: how many unread, how many in all, and the newest."""

    unread: int
    total: int
    items: list[NoticeItem]


def recipient_of(counsellor_id: str | None = None, staff_id: str | None = None) -> str | None:
    """Whose notices a signed-in person reads: a counsellor's or a staff member's (None: nobody's)."""
    if counsellor_id is not None:
        return f"counsellor:{counsellor_id}"
    return f"staff:{staff_id}" if staff_id is not None else None


def _client(session: Session, notice: NoticeRow) -> tuple[str | None, str | None]:
    """The client a counsellor's notice is about, while the client is still theirs."""
    if notice.counsellor_id is None or notice.client_id is None:
        return None, None
    client = session.get(ClientRow, notice.client_id)
    if client is None or client.counsellor_id != notice.counsellor_id:
        return None, None
    return client.id, client.alias


def notice_list(
    session: Session, recipient: str | None, lang: str, public_url: str, limit: int = 50, unread_only: bool = False
) -> NoticeList:
    """The recipient's notices, newest first (at most `limit`), with the count of unread ones."""
    if recipient is None:
        return NoticeList(0, 0, [])
    mine = NoticeRow.recipient == recipient
    unread = session.scalar(select(func.count()).where(mine, NoticeRow.read_at.is_(None))) or 0
    total = session.scalar(select(func.count()).where(mine)) or 0
    query = select(NoticeRow).where(mine).order_by(NoticeRow.created_at.desc(), NoticeRow.id.desc()).limit(limit)
    if unread_only:
        query = query.where(NoticeRow.read_at.is_(None))
    items = []
    for notice in session.scalars(query):
        text = letter(session, notice, lang, public_url)
        client_id, alias = _client(session, notice)
        items.append(
            NoticeItem(
                notice.id,
                notice.kind,
                notice.created_at,
                notice.read_at,
                notice.group_id,
                notice.day,
                text.subject,
                text.summary,
                client_id,
                alias,
                notice.mail_status,
            )
        )
    return NoticeList(int(unread), int(total), items)


def mark_read(session: Session, recipient: str | None, notice_id: int, now: datetime) -> None:
    """One of the recipient's notices is read (again: no change); NotFound for anyone else's."""
    notice = session.get(NoticeRow, notice_id)
    if notice is None or recipient is None or notice.recipient != recipient:
        raise NotFound(f"no notice {notice_id} of yours")
    if notice.read_at is None:
        notice.read_at = now
    session.flush()


def mark_all_read(session: Session, recipient: str | None, now: datetime) -> int:
    """Every unread notice of the recipient is read; how many."""
    if recipient is None:
        return 0
    done = session.execute(
        update(NoticeRow)
        .where(NoticeRow.recipient == recipient, NoticeRow.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(done, "rowcount", 0) or 0)
