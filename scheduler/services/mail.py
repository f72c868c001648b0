"""Notices by e-mail, after their transaction has committed: claimed, sent over SMTP, retried with backoff.

`send_pending` is the one sender: the service's outbox thread (`api.outbox`, woken after a commit
that made a notice, and by the hourly daily step) and `tarjotin notices send` both call it. Each
pending notice that is due is first *claimed* with a conditional UPDATE (still pending, still due:
it then counts an attempt and is held for `CLAIM_MINUTES`), committed before anything is sent, so
two senders, in one process or in two, never send the same notice: the second finds it claimed.
A sent notice is `sent`; a failed attempt is tried again after `BACKOFF_MINUTES`, and after
`settings.mail_attempts` attempts (or a recipient the server refuses) it is `failed` with the
error kept in `mail_error`. A sender that dies between sending and recording leaves the claim to
lapse and the notice is sent again then (at least once, never twice at the same moment).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlalchemy import Engine, func, or_, select, update
from sqlalchemy.orm import Session

from scheduler.services.mail_text import Letter, letter
from scheduler.settings import Settings
from scheduler.storage.database import session_scope
from scheduler.storage.models import CounsellorRow, NoticeRow, StaffRow

__all__ = [
    "BACKOFF_MINUTES",
    "CLAIM_MINUTES",
    "MAIL_STATUSES",
    "Delivery",
    "Outcome",
    "claim",
    "deliver",
    "envelope",
    "mail_counts",
    "send_pending",
]

log = logging.getLogger("tarjotin.mail")

MAIL_STATUSES = ("none", "pending", "sent", "failed")
BACKOFF_MINUTES = (1, 5, 30, 120, 360, 720)
"""How long after the n-th failed attempt the next is made (the last value from then on)."""
CLAIM_MINUTES = 10
"""How long a claimed notice is held by its sender: a sender that died lets it go after this."""
SMTP_TIMEOUT_SECONDS = 20.0
BATCH = 50

Delivery = Callable[[Settings, EmailMessage], None]


@dataclass(frozen=True)
class Outcome:
    """What one run of the sender did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


def _utc(moment: datetime | None) -> datetime:
    return (moment or datetime.now(UTC)).astimezone(UTC)


def _due(session: Session, now: datetime) -> list[int]:
    query = (
        select(NoticeRow.id)
        .where(NoticeRow.mail_status == "pending", or_(NoticeRow.mail_next_at.is_(None), NoticeRow.mail_next_at <= now))
        .order_by(NoticeRow.id)
        .limit(BATCH)
    )
    return list(session.scalars(query))


def claim(session: Session, notice_id: int, now: datetime) -> bool:
    """Take the notice for sending, if it is still pending and due: one more attempt, held for `CLAIM_MINUTES`."""
    taken = session.execute(
        update(NoticeRow)
        .where(
            NoticeRow.id == notice_id,
            NoticeRow.mail_status == "pending",
            or_(NoticeRow.mail_next_at.is_(None), NoticeRow.mail_next_at <= now),
        )
        .values(mail_attempts=NoticeRow.mail_attempts + 1, mail_next_at=now + timedelta(minutes=CLAIM_MINUTES))
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(taken, "rowcount", 0) == 1)


def envelope(settings: Settings, address: str, text: Letter, now: datetime) -> EmailMessage:
    """The e-mail of a letter to an address, from the configured sender."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = address
    message["Subject"] = text.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text.body)
    message["Content-Language"] = text.lang  # after the content: setting it clears the Content- headers
    return message


def deliver(settings: Settings, message: EmailMessage) -> None:
    """Send one message through the configured server: TLS from the start, STARTTLS or plain; log in when asked."""
    assert settings.smtp_host is not None
    context = ssl.create_default_context()
    server: smtplib.SMTP
    if settings.smtp_security == "tls":
        server = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS, context=context)
    else:
        server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS)
    with server:
        if settings.smtp_security == "starttls":
            server.starttls(context=context)
        if settings.smtp_user and settings.smtp_password is not None:
            server.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        server.send_message(message)


def _letters(
    engine: Engine, ids: list[int], settings: Settings, now: datetime
) -> tuple[list[tuple[int, EmailMessage]], int]:
    """The claimed notices as e-mails; a recipient without an address now is left on the list (`none`), and a
    notice that cannot be written (an unknown kind, a broken address) is `failed` at once."""
    made, url, unwritten = [], settings.public_url, 0
    with session_scope(engine) as session:
        for notice in session.scalars(select(NoticeRow).where(NoticeRow.id.in_(ids)).order_by(NoticeRow.id)):
            owner = (
                session.get(CounsellorRow, notice.counsellor_id)
                if notice.counsellor_id is not None
                else session.get(StaffRow, notice.staff_id)
            )
            if owner is None or not owner.email:
                notice.mail_status, notice.mail_next_at = "none", None
                continue
            try:
                made.append((notice.id, envelope(settings, owner.email, letter(session, notice, owner.lang, url), now)))
            except (KeyError, ValueError, TypeError) as error:  # a notice that cannot be written: never retried
                notice.mail_status, notice.mail_next_at = "failed", None
                notice.mail_error = f"not composed: {type(error).__name__}: {error}"[:500]
                unwritten += 1
    return made, unwritten


def _record(engine: Engine, notice_id: int, error: Exception | None, settings: Settings, now: datetime) -> str:
    """The attempt's outcome on the notice: sent, retrying (the next attempt after the backoff) or failed."""
    with session_scope(engine) as session:
        notice = session.get(NoticeRow, notice_id)
        if notice is None:  # erased meanwhile
            return "failed"
        if error is None:
            notice.mail_status, notice.mailed_at, notice.mail_next_at, notice.mail_error = "sent", now, None, None
            return "sent"
        notice.mail_error = f"{type(error).__name__}: {error}"[:500]
        attempts = notice.mail_attempts or 1
        if attempts >= settings.mail_attempts or isinstance(error, smtplib.SMTPRecipientsRefused):
            notice.mail_status, notice.mail_next_at = "failed", None
            return "failed"
        wait = BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1]
        notice.mail_next_at = now + timedelta(minutes=wait)
        return "retrying"


def send_pending(
    engine: Engine, settings: Settings, now: datetime | None = None, delivery: Delivery = deliver
) -> Outcome:
    """Send every pending notice that is due, each claimed first; nothing when no mail server is configured."""
    if not settings.smtp_host:
        return Outcome()
    now = _utc(now)
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    while True:
        with session_scope(engine) as session:
            claimed = [i for i in _due(session, now) if claim(session, i, now)]
        if not claimed:
            return Outcome(counts["sent"], counts["retrying"], counts["failed"])
        letters, unwritten = _letters(engine, claimed, settings, now)
        counts["failed"] += unwritten
        for notice_id, message in letters:
            error: Exception | None = None
            try:
                delivery(settings, message)
            except (smtplib.SMTPException, OSError) as failure:
                error = failure
                log.warning("notice %d: mail not sent (%s)", notice_id, type(failure).__name__)
            counts[_record(engine, notice_id, error, settings, now)] += 1


def mail_counts(session: Session) -> dict[str, int]:
    """How many notices are in each mail status (none, pending, sent, failed)."""
    rows = session.execute(select(NoticeRow.mail_status, func.count()).group_by(NoticeRow.mail_status))
    found = {status: int(count) for status, count in rows}
    return {status: found.get(status, 0) for status in MAIL_STATUSES}
