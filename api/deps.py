"""What handlers depend on: a database session, who is asking and the clock.

`SessionDep` is one session per request; handlers that change data commit it
themselves before answering, so a client never sees a success that was not stored.
`ClockDep` is the application's one clock (`create_app(clock=...)`, the system clock
unless a test gives a fixed one); `today` is its date in Helsinki.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from api.errors import Forbidden, Unauthorized
from scheduler.services.clock import SYSTEM_CLOCK, Clock
from scheduler.storage.tokens import find_token

__all__ = [
    "Caller",
    "CallerDep",
    "ClockDep",
    "Coordinator",
    "Counsellor",
    "SessionDep",
    "allow",
    "clock_of",
    "get_clock",
    "get_db",
    "today",
]

bearer = HTTPBearer(auto_error=False, description="a token from `tarjotin token create`")


def get_db(request: Request) -> Iterator[Session]:
    factory: sessionmaker[Session] = request.app.state.sessions
    session = factory()
    try:
        yield session
    finally:
        try:
            session.rollback()
        except SQLAlchemyError:  # the connection died under the request (answered 503): drop it, never re-raise here
            session.invalidate()
        session.close()


SessionDep = Annotated[Session, Depends(get_db)]


@dataclass(frozen=True)
class Caller:
    """Who is asking: a role and name from a token, or nobody (the anonymous public)."""

    role: str | None = None
    name: str = "anonymous"
    staff_id: str | None = None

    @property
    def sees_clients(self) -> bool:
        """Client ids are shown only to coordinators and counsellors."""
        return self.role in ("coordinator", "counsellor")

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.name}" if self.role else "anonymous"


def get_caller(db: SessionDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Caller:
    if credentials is None:
        return Caller()
    row = find_token(db, credentials.credentials)
    if row is None:
        raise Unauthorized("the bearer token is unknown or revoked")
    return Caller(role=row.role, name=row.name, staff_id=row.staff_id)


CallerDep = Annotated[Caller, Depends(get_caller)]


def allow(*roles: str) -> Callable[[Caller], Caller]:
    """A dependency letting only the given roles through: 401 without a token, 403 with another role."""

    def check(caller: CallerDep) -> Caller:
        if caller.role is None:
            raise Unauthorized(f"sign in with a bearer token ({' or '.join(roles)})")
        if caller.role not in roles:
            raise Forbidden(f"a {caller.role} token may not do this; it needs {' or '.join(roles)}")
        return caller

    return check


Coordinator = Annotated[Caller, Depends(allow("coordinator"))]
Counsellor = Annotated[Caller, Depends(allow("coordinator", "counsellor"))]


def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


ClockDep = Annotated[Clock, Depends(get_clock)]


def clock_of(db: Session) -> Clock:
    """The clock of the application whose session this is (for checks that get only the session)."""
    clock: Clock = db.info.get("clock", SYSTEM_CLOCK)
    return clock


def today(clock: ClockDep) -> date:
    """Today in Finland on the application's clock; tests stand on a chosen day of the term with a fixed clock."""
    return clock.today()
