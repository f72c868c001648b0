"""`tarjotin token ...`: bearer tokens for the HTTP service, made, listed and revoked."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from scheduler.storage.tokens import ROLES

__all__ = ["tokens"]

tokens = typer.Typer(no_args_is_help=True, help="Bearer tokens for the HTTP service (stored hashed).")
out = Console(soft_wrap=True)


def _session():  # type: ignore[no-untyped-def]
    from api.cli.core import _engine, _ensure_schema  # late: scheduler.cli registers this module
    from scheduler.storage.database import session_scope

    _ensure_schema()
    return session_scope(_engine())


def _plain_errors():  # type: ignore[no-untyped-def]
    from api.cli.core import _database_errors

    return _database_errors()


@tokens.command("create")
def create(
    role: Annotated[str, typer.Option(help=f"one of: {', '.join(ROLES)}")],
    name: Annotated[str, typer.Option(help="who or what uses the token")],
    staff: Annotated[str | None, typer.Option(help="the staff member's id (staff tokens only)")] = None,
) -> None:
    """Make a token; it is printed once and only its hash is stored."""
    from api.cli.core import fail
    from scheduler.storage.tokens import TokenError, create_token

    with _plain_errors():
        try:
            with _session() as session:
                row, token = create_token(session, role, name, staff)
                ident = row.id
        except TokenError as error:
            fail(str(error))
    out.print(f"token {ident} for {role} {name!r} (shown once, keep it safe):")
    print(token)


@tokens.command("list")
def list_() -> None:
    """Every token: id, role, name, staff member, made, revoked (never the token itself)."""
    from scheduler.storage.tokens import list_tokens

    table = Table("id", "role", "name", "staff", "created", "revoked")
    with _plain_errors(), _session() as session:
        for row in list_tokens(session):
            table.add_row(str(row.id), row.role, row.name, row.staff_id or "", f"{row.created_at:%Y-%m-%d %H:%M}",
                          f"{row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "")
    out.print(table)


@tokens.command("revoke")
def revoke(token_id: Annotated[int, typer.Argument(help="the token's id (from `token list`)")]) -> None:
    """Revoke a token: it stops working at once."""
    from api.cli.core import fail
    from scheduler.storage.tokens import TokenError, revoke_token

    with _plain_errors():
        try:
            with _session() as session:
                row = revoke_token(session, token_id)
                name = row.name
        except TokenError as error:
            fail(str(error))
    out.print(f"token {token_id} ({name}) is revoked")
