"""What handlers depend on: a database session, who is asking and the clock.

`SessionDep` is one session per request; handlers that change data commit it
themselves before answering, so a client never sees a success that was not stored.
`ClockDep` is the application's one clock (`create_app(clock=...)`, the system clock
unless a test gives a fixed one); `today` is its date in Helsinki.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from api.errors import Forbidden, Unauthorized
from scheduler.services.clock import SYSTEM_CLOCK, Clock
from scheduler.services.ownership import Handler
from scheduler.storage.models import ApiToken
from scheduler.storage.tokens import expired, lookup_token

__all__ = [
    "ADMITTED",
    "Caller",
    "CallerDep",
    "ClockDep",
    "Coordinator",
    "Counsellor",
    "RoleCheck",
    "SessionDep",
    "allow",
    "clock_of",
    "get_clock",
    "caller_of",
    "get_caller",
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
    token_id: int | None = None
    counsellor_id: str | None = None

    @classmethod
    def of(cls, token: ApiToken) -> Caller:
        """The caller a live token stands for."""
        return cls(
            role=token.role,
            name=token.name,
            staff_id=token.staff_id,
            token_id=token.id,
            counsellor_id=token.counsellor_id,
        )

    @property
    def handler(self) -> Handler:
        """Whose clients the caller handles (`scheduler.services.ownership`)."""
        return Handler(self.role, self.counsellor_id)

    @property
    def sees_clients(self) -> bool:
        """Client ids are shown only to coordinators and counsellors."""
        return self.role in ("coordinator", "counsellor")

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.name}" if self.role else "anonymous"

    @property
    def key_owner(self) -> str:
        """Whose idempotency keys these are: the token's (a key never answers another token's caller)."""
        return f"token:{self.token_id}" if self.token_id is not None else self.actor


def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


async def _clock(request: Request) -> Clock:
    """`get_clock` as a dependency. The dependencies that only read the request are `async`: FastAPI runs a
    plain `def` dependency in a worker thread, and a hop there and back costs more than all they do."""
    return get_clock(request)


ClockDep = Annotated[Clock, Depends(_clock)]


ADMITTED = "caller"
"""The request state's key for the caller `api.auth_first` found before the body was read."""


def caller_of(db: Session, clock: Clock, credentials: HTTPAuthorizationCredentials | None) -> Caller:
    """The caller a bearer token stands for (nobody without one): 401 if unknown, revoked or expired."""
    if credentials is None:
        return Caller()
    row = lookup_token(db, credentials.credentials)
    if row is None or row.revoked_at is not None:
        raise Unauthorized("the bearer token is unknown or revoked")
    if expired(row, clock.now()):
        raise Unauthorized("the bearer token has expired; ask a coordinator for a new one (`tarjotin token create`)")
    return Caller.of(row)


async def get_caller(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Caller:
    """The request's caller: the one `api.auth_first` admitted before the body, nobody without a token, or
    the token's, looked up in a worker thread with a session of its own (the anonymous never wait for one)."""
    admitted = getattr(request.state, ADMITTED, None)
    if isinstance(admitted, Caller):
        return admitted
    if credentials is None:
        return Caller()
    return await run_in_threadpool(_token_caller, request, credentials)


def _token_caller(request: Request, credentials: HTTPAuthorizationCredentials) -> Caller:
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as db:
        return caller_of(db, get_clock(request), credentials)


CallerDep = Annotated[Caller, Depends(get_caller)]


@dataclass(frozen=True)
class RoleCheck:
    """A dependency letting only its roles through: 401 without a token, 403 with another role.

    `api.auth_first` finds it among a route's dependencies to check the token before the body is read."""

    roles: tuple[str, ...]

    async def __call__(self, caller: CallerDep) -> Caller:
        return self.admit(caller)

    def admit(self, caller: Caller) -> Caller:
        """The caller, if one of the roles; else 401 or 403."""
        if caller.role is None:
            raise Unauthorized(f"sign in with a bearer token ({' or '.join(self.roles)})")
        if caller.role not in self.roles:
            raise Forbidden(f"a {caller.role} token may not do this; it needs {' or '.join(self.roles)}")
        return caller


def allow(*roles: str) -> RoleCheck:
    """A dependency letting only the given roles through: 401 without a token, 403 with another role."""
    return RoleCheck(roles)


Coordinator = Annotated[Caller, Depends(allow("coordinator"))]
Counsellor = Annotated[Caller, Depends(allow("coordinator", "counsellor"))]
Leader = Annotated[Caller, Depends(allow("coordinator", "staff"))]
"""A coordinator or a staff member (a group's leader: the route checks which groups)."""


def clock_of(db: Session) -> Clock:
    """The clock of the application whose session this is (for checks that get only the session)."""
    clock: Clock = db.info.get("clock", SYSTEM_CLOCK)
    return clock


async def today(clock: ClockDep) -> date:
    """Today in Finland on the application's clock; tests stand on a chosen day of the term with a fixed clock."""
    return clock.today()
