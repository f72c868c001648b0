"""Whose clients a caller may see and handle: the one rule behind every client-facing route and page.

A coordinator handles every client. A counsellor handles their own clients (the client's
`counsellor` is theirs) and the team's shared queue (clients with no responsible counsellor
yet, as every client imported before counsellors existed); other counsellors' clients they
see only as counts. A counsellor token that belongs to no counsellor sees only the shared queue.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, true
from sqlalchemy.orm import Session

from scheduler.contract.errors import Forbidden
from scheduler.storage.models import ClientRow

__all__ = ["Handler", "NotYourClient", "check_handles", "may_handle", "visible"]


class NotYourClient(Forbidden):
    """The client belongs to another counsellor (a 403)."""


@dataclass(frozen=True)
class Handler:
    """Who is acting on clients: a role and, for a counsellor, which counsellor they are."""

    role: str | None
    counsellor_id: str | None = None

    @property
    def everyone(self) -> bool:
        return self.role == "coordinator"


def may_handle(who: Handler, client_counsellor: str | None) -> bool:
    """Whether the caller may see and act on a client with this responsible counsellor."""
    if who.everyone:
        return True
    return who.role == "counsellor" and (client_counsellor is None or client_counsellor == who.counsellor_id)


def visible(who: Handler) -> ColumnElement[bool]:
    """A WHERE clause keeping the clients the caller may see (`may_handle` in SQL)."""
    if who.everyone:
        return true()
    mine = [ClientRow.counsellor_id == who.counsellor_id] if who.counsellor_id is not None else []
    return or_(ClientRow.counsellor_id.is_(None), *mine)


def check_handles(session: Session, who: Handler, client_id: str) -> ClientRow | None:
    """The client when the caller may handle them (None: no such client); NotYourClient otherwise."""
    client = session.get(ClientRow, client_id)
    if client is not None and not may_handle(who, client.counsellor_id):
        raise NotYourClient(f"client '{client_id}' has another responsible counsellor: ask them or a coordinator")
    return client
