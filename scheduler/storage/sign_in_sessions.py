"""Sign-ins to the pages, kept by the server: the browser's cookie holds only a random session id.

A sign-in is made from a live token. Its id is 256 random bits; only its SHA-256 is stored
(as for tokens), so the database does not hold working cookies. It ends when signed out,
`absolute` after it began, after `idle` without a request, and when its token is revoked
or expires. The time a sign-in was last used is written at most once a minute, so reading
pages does not write to the database on every request.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.orm import Session

from scheduler.storage.models import ApiToken, SignInSession
from scheduler.storage.tokens import digest, expired, utc

__all__ = ["TOUCH_EVERY", "SignedIn", "end_sign_in", "find_sign_in", "purge_sign_ins", "start_sign_in"]

TOUCH_EVERY = timedelta(minutes=1)
"""How stale `last_seen_at` may be before a request writes it again."""


@dataclass(frozen=True)
class SignedIn:
    """A live sign-in's token; `touched` when the request wrote `last_seen_at` (the caller commits it)."""

    token: ApiToken
    touched: bool


def start_sign_in(session: Session, token: ApiToken, now: datetime, absolute: timedelta) -> str:
    """A new sign-in with the token, ending `absolute` from `now` at the latest; returns the cookie's id."""
    session_id = secrets.token_urlsafe(32)
    session.add(
        SignInSession(
            id=digest(session_id), token_id=token.id, created_at=now, last_seen_at=now, expires_at=now + absolute
        )
    )
    session.flush()
    return session_id


def find_sign_in(session: Session, session_id: str, now: datetime, idle: timedelta) -> SignedIn | None:
    """The live sign-in for a cookie's id at `now`: not signed out, expired, idle for `idle`, nor its token dead."""
    row = session.get(SignInSession, digest(session_id))
    if row is None or row.revoked_at is not None:
        return None
    last_seen = utc(row.last_seen_at)
    if utc(row.expires_at) <= now or last_seen + idle <= now:
        return None
    token = session.get(ApiToken, row.token_id)
    if token is None or token.revoked_at is not None or expired(token, now):
        return None
    touched = now - last_seen >= TOUCH_EVERY
    if touched:
        row.last_seen_at = now
    return SignedIn(token, touched)


def end_sign_in(session: Session, session_id: str, now: datetime) -> bool:
    """Sign out: the sign-in stops working at once (a copied cookie too). False when there was none live."""
    ended = session.execute(
        update(SignInSession)
        .where(SignInSession.id == digest(session_id), SignInSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return bool(getattr(ended, "rowcount", 0))


def purge_sign_ins(session: Session, now: datetime) -> int:
    """Delete the sign-ins that have ended (signed out, or past their absolute expiry); returns how many."""
    gone = session.execute(
        delete(SignInSession).where(or_(SignInSession.revoked_at.is_not(None), SignInSession.expires_at <= now))
    )
    return int(getattr(gone, "rowcount", 0))
