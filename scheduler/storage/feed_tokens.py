"""The secret in a staff member's calendar feed URL (`/calendars/staff/{token}.ics`).

A calendar program cannot send a bearer header, so the URL itself is the key: 256 random
bits from `secrets`, shown once; only its SHA-256 is stored. A coordinator renews it (the
old URL stops working at once) or revokes it (the feed answers 404).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from scheduler.storage.models import AuditEntry, FeedToken, StaffRow
from scheduler.storage.tokens import TokenNotFound, digest

__all__ = ["FEED_PREFIX", "feed_staff", "renew_feed_token", "revoke_feed_token"]

FEED_PREFIX = "tjf_"


def _revoke_live(session: Session, staff_id: str) -> int:
    now, count = datetime.now(UTC), 0
    for row in session.scalars(select(FeedToken).where(FeedToken.staff_id == staff_id, FeedToken.revoked_at.is_(None))):
        row.revoked_at, count = now, count + 1
    return count


def renew_feed_token(session: Session, staff_id: str, actor: str = "cli") -> str:
    """A new feed token for the staff member; any earlier one stops working. Returned once, never stored."""
    if session.get(StaffRow, staff_id) is None:
        raise TokenNotFound(f"no staff member {staff_id!r} in the database")
    replaced = _revoke_live(session, staff_id)
    token = FEED_PREFIX + secrets.token_urlsafe(32)
    session.add(FeedToken(staff_id=staff_id, token_hash=digest(token)))
    session.add(AuditEntry(actor=actor[:200], action="renew" if replaced else "create", entity="feed_token",
                           entity_id=staff_id))
    session.flush()
    return token


def revoke_feed_token(session: Session, staff_id: str, actor: str = "cli") -> None:
    """The staff member's feed URL stops working (404) until a coordinator makes a new one."""
    if session.get(StaffRow, staff_id) is None:
        raise TokenNotFound(f"no staff member {staff_id!r} in the database")
    if not _revoke_live(session, staff_id):
        raise TokenNotFound(f"staff member {staff_id!r} has no live feed token")
    session.add(AuditEntry(actor=actor[:200], action="revoke", entity="feed_token", entity_id=staff_id))
    session.flush()


def feed_staff(db: Session | Connection, token: str) -> str | None:
    """The staff member whose live feed token this is, if any (one indexed lookup)."""
    row = db.execute(select(FeedToken.staff_id, FeedToken.revoked_at).where(
        FeedToken.token_hash == digest(token))).first()
    return str(row.staff_id) if row is not None and row.revoked_at is None else None
