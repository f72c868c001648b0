"""`tarjotin token ...`: bearer tokens for the HTTP service, made, listed and revoked."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from api.cli.common import database, out
from scheduler.storage.tokens import MAX_EXPIRY_DAYS, ROLES, create_token, list_tokens, revoke_token

__all__ = ["create", "list_", "revoke"]


def create(
    role: Annotated[str, typer.Option(help=f"one of: {', '.join(ROLES)}")],
    name: Annotated[str, typer.Option(help="who or what uses the token")],
    staff: Annotated[str | None, typer.Option(help="the staff member's id (staff tokens only)")] = None,
    counsellor: Annotated[
        str | None, typer.Option(help="the counsellor's id (counsellor tokens: whose clients they handle)")
    ] = None,
    expires_in: Annotated[
        int | None,
        typer.Option(
            "--expires-in",
            metavar="DAYS",
            min=1,
            max=MAX_EXPIRY_DAYS,
            help="the token stops working by itself after this many days (default: only when revoked)",
        ),
    ] = None,
) -> None:
    """Make a token; it is printed once and only its hash is stored."""
    with database() as session:
        row, token = create_token(session, role, name, staff, expires_in_days=expires_in, counsellor_id=counsellor)
        ident, until = row.id, row.expires_at
    ends = f", valid until {until:%Y-%m-%d %H:%M} UTC" if until else ""
    out.print(f"token {ident} for {role} {name!r}{ends} (shown once, keep it safe):")
    print(token)


def list_() -> None:
    """Every token: id, role, name, whose (staff member or counsellor), made, expires, revoked (never the token)."""
    table = Table("id", "role", "name", "of", "created", "expires", "revoked")
    with database() as session:
        for row in list_tokens(session):
            table.add_row(
                str(row.id),
                row.role,
                row.name,
                row.staff_id or row.counsellor_id or "",
                f"{row.created_at:%Y-%m-%d %H:%M}",
                f"{row.expires_at:%Y-%m-%d %H:%M}" if row.expires_at else "",
                f"{row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "",
            )
    out.print(table)


def revoke(token_id: Annotated[int, typer.Argument(help="the token's id (from `token list`)")]) -> None:
    """Revoke a token: it stops working at once, and so do the page sign-ins made with it."""
    with database() as session:
        name = revoke_token(session, token_id).name
    out.print(f"token {token_id} ({name}) is revoked, and its sign-ins have ended")
