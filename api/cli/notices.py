"""`tarjotin notices ...`: the notices made for counsellors and staff, and their e-mail.

`send` mails what is pending and due (`scheduler.services.mail.send_pending`, claiming each
notice first, so it may run beside `tarjotin serve`'s outbox); `status` counts the notices by
mail status; `list` shows them newest first, without any client (the recipients' own lists name
their clients).
"""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import select

from api.cli.common import JsonFlag, database, engine, fail, messages, out, print_json, refusals, upgrade_schema
from scheduler.services.clock import SYSTEM_CLOCK
from scheduler.services.mail import MAIL_STATUSES, mail_counts, send_pending
from scheduler.settings import get_settings
from scheduler.storage.models import NoticeRow

__all__ = ["list_", "send", "status"]


def send(json_output: JsonFlag = False) -> None:
    """Mail the pending notices that are due (TARJOTIN_SMTP_HOST must be set); failed attempts are retried later."""
    settings = get_settings()
    if not settings.smtp_host:
        fail("no mail server: set TARJOTIN_SMTP_HOST (and the other TARJOTIN_SMTP_ settings) to mail notices")
    with refusals():
        upgrade_schema()
        done = send_pending(engine(), settings, SYSTEM_CLOCK.now())
    if json_output:
        print_json({"sent": done.sent, "retrying": done.retrying, "failed": done.failed})
    messages(json_output).print(
        f"{done.sent} notices mailed, {done.retrying} to try again later, {done.failed} failed", highlight=False
    )


def status(json_output: JsonFlag = False) -> None:
    """How many notices are in each mail status: none (list only), pending, sent, failed."""
    with database() as session:
        counts = mail_counts(session)
    if json_output:
        print_json(counts)
        return
    out.print(", ".join(f"{name} {counts[name]}" for name in MAIL_STATUSES), highlight=False)


def list_(
    mail: Annotated[str | None, typer.Option(help=f"only this mail status: {', '.join(MAIL_STATUSES)}")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000, help="at most this many, newest first")] = 100,
    json_output: JsonFlag = False,
) -> None:
    """The notices, newest first: kind, recipient, group, day, mail status (never a client)."""
    if mail is not None and mail not in MAIL_STATUSES:
        fail(f"--mail {mail!r} is not a mail status: give one of {', '.join(MAIL_STATUSES)}")
    query = select(NoticeRow).order_by(NoticeRow.id.desc()).limit(limit)
    if mail is not None:
        query = query.where(NoticeRow.mail_status == mail)
    with database() as session:
        rows = [
            {
                "id": n.id,
                "kind": n.kind,
                "recipient": n.recipient,
                "group": n.group_id,
                "day": n.day.isoformat() if n.day else None,
                "created_at": n.created_at.isoformat(),
                "read": n.read_at is not None,
                "mail": n.mail_status,
                "attempts": n.mail_attempts,
                "error": n.mail_error,
            }
            for n in session.scalars(query)
        ]
    if json_output:
        print_json({"notices": rows})
        return
    if not rows:
        out.print("no notices")
    for row in rows:
        error = f" ({row['error']})" if row["error"] else ""
        out.print(
            f"notice {row['id']}: {row['kind']} to {row['recipient']}, group {row['group']} {row['day'] or ''}, "
            f"mail {row['mail']}{error}",
            highlight=False,
            markup=False,
        )
