"""Files uploaded on the import page, kept from their preview to the coordinator's go-ahead.

An upload is kept under a random token, in the database (any replica can take the go-ahead), for
`KEPT` at most: every new upload first removes the older ones. Only the coordinator who uploaded
the files can take them; they are removed when stored or dropped.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from scheduler.storage.models import SheetUpload

__all__ = ["KEPT", "drop_upload", "keep_upload", "kept_upload"]

KEPT = timedelta(days=1)
"""How long an upload waits for its go-ahead."""


def keep_upload(session: Session, files: list[tuple[str, bytes]], actor: str, now: datetime) -> str:
    """Keep the files for their go-ahead; their token. Uploads older than `KEPT` are removed first."""
    session.execute(delete(SheetUpload).where(SheetUpload.uploaded_at < now - KEPT))
    token = secrets.token_urlsafe(24)
    for position, (name, data) in enumerate(files):
        session.add(
            SheetUpload(token=token, position=position, name=name, data=data, uploaded_by=actor, uploaded_at=now)
        )
    return token


def kept_upload(session: Session, token: str, actor: str, now: datetime) -> list[tuple[str, bytes]] | None:
    """The files kept under the token for this coordinator, in upload order; None when gone or not theirs."""
    rows = session.scalars(
        select(SheetUpload)
        .where(SheetUpload.token == token, SheetUpload.uploaded_by == actor, SheetUpload.uploaded_at >= now - KEPT)
        .order_by(SheetUpload.position)
    ).all()
    return [(row.name, row.data) for row in rows] or None


def drop_upload(session: Session, token: str) -> None:
    """Forget an upload (stored, or let go)."""
    session.execute(delete(SheetUpload).where(SheetUpload.token == token))
