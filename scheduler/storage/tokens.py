"""Bearer tokens for the HTTP service: made once, stored only as a hash, revocable.

A token is 256 random bits; only its SHA-256 is kept, so a leaked database does not
leak working tokens. A plain hash is enough for random tokens (there is nothing to
guess), and it lets a request be checked with one indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Literal, get_args

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from scheduler.contract.errors import Invalid, NotFound
from scheduler.storage.models import ApiToken, AuditEntry, CounsellorRow, SignInSession, StaffRow

__all__ = [
    "ROLES",
    "Role",
    "TokenError",
    "TokenNotFound",
    "create_token",
    "digest",
    "expired",
    "find_token",
    "list_tokens",
    "lookup_token",
    "revoke_token",
    "utc",
]

Role = Literal["coordinator", "counsellor", "staff"]
ROLES: tuple[str, ...] = get_args(Role)
PREFIX = "tj_"
MAX_EXPIRY_DAYS = 3650


class TokenError(Invalid):
    """A token that cannot be made or revoked, said in plain words."""


class TokenNotFound(NotFound, TokenError):
    """The token, or the staff member it would belong to, does not exist."""


def digest(token: str) -> str:
    """The SHA-256 kept in place of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def utc(moment: datetime) -> datetime:
    """A stored moment as timezone-aware UTC (SQLite gives them back without their timezone)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def create_token(
    session: Session,
    role: str,
    name: str,
    staff_id: str | None = None,
    actor: str = "cli",
    expires_in_days: int | None = None,
    now: datetime | None = None,
    counsellor_id: str | None = None,
) -> tuple[ApiToken, str]:
    """A new token for the role; returns the row and the token, which is never shown again.

    With `expires_in_days` the token stops working by itself that many days from `now`. A
    counsellor token belongs to the counsellor `counsellor_id` (without one it sees only the
    clients who have no responsible counsellor)."""
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise TokenError(f"--expires-in is a number of days from 1 to {MAX_EXPIRY_DAYS}, not {expires_in_days}")
    if role not in ROLES:
        raise TokenError(f"unknown role {role!r}: choose {', '.join(ROLES)}")
    if not name.strip():
        raise TokenError("give the token a name (who or what uses it)")
    if role == "staff":
        if not staff_id:
            raise TokenError("a staff token needs --staff, the id of the staff member it belongs to")
        if session.get(StaffRow, staff_id) is None:
            raise TokenNotFound(f"no staff member {staff_id!r} in the database")
    elif staff_id:
        raise TokenError("only a staff token belongs to a staff member; leave out --staff")
    if counsellor_id is not None:
        if role != "counsellor":
            raise TokenError("only a counsellor token belongs to a counsellor; leave out --counsellor")
        if session.get(CounsellorRow, counsellor_id) is None:
            raise TokenNotFound(
                f"no counsellor {counsellor_id!r} in the database: add them first (POST /counsellors, or import)"
            )
    token = PREFIX + secrets.token_urlsafe(32)
    made = now or datetime.now(UTC)
    expires_at = made + timedelta(days=expires_in_days) if expires_in_days is not None else None
    row = ApiToken(
        name=name.strip(),
        role=role,
        staff_id=staff_id,
        counsellor_id=counsellor_id,
        token_hash=digest(token),
        created_at=made,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    session.add(
        AuditEntry(
            actor=actor,
            action="create",
            entity="api_token",
            entity_id=str(row.id),
            detail={
                "role": role,
                "name": row.name,
                "staff": staff_id,
                "counsellor": counsellor_id,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )
    )
    return row, token


def lookup_token(session: Session, token: str) -> ApiToken | None:
    """The token row for a presented token, live or not (to say why it does not work)."""
    return session.scalars(select(ApiToken).where(ApiToken.token_hash == digest(token))).first()


def expired(row: ApiToken, now: datetime) -> bool:
    """Whether the token's own expiry has passed at `now`."""
    return row.expires_at is not None and utc(row.expires_at) <= now


def find_token(session: Session, token: str, now: datetime | None = None) -> ApiToken | None:
    """The live (neither revoked nor expired at `now`) token row for a presented token, if any."""
    row = lookup_token(session, token)
    live = row is not None and row.revoked_at is None and not expired(row, now or datetime.now(UTC))
    return row if live else None


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))


def revoke_token(session: Session, token_id: int, actor: str = "cli") -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise TokenNotFound(f"no token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        session.add(AuditEntry(actor=actor, action="revoke", entity="api_token", entity_id=str(row.id)))
    session.execute(  # its sign-ins end with it (they are also checked against the token on every request)
        update(SignInSession)
        .where(SignInSession.token_id == row.id, SignInSession.revoked_at.is_(None))
        .values(revoked_at=row.revoked_at)
    )
    return row
