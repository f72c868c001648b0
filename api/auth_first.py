"""The token comes before the body: a route that needs a role refuses a caller before reading the body.

FastAPI reads and parses a route's JSON body before it runs any dependency, the role check
included, so an anonymous caller could make the server read and parse a body (up to the size
limit) only to be told 401 after. This middleware stands between the route and the body: when
the route (chosen by then) first asks for its body and has a role check (`api.deps.RoleCheck`),
the caller is resolved from the bearer token (in a worker thread: a database read) and checked,
so a missing, unknown or revoked token is 401 and a wrong role 403 while the body is still
unread. The caller found is kept on the request, so the route's own dependencies check its
role without looking the token up again.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.security.utils import get_authorization_scheme_param
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import ADMITTED, Caller, RoleCheck, caller_of
from api.errors import CONNECTION_ERRORS, status_of
from api.request_ids import handler_for
from scheduler.contract.errors import TarjotinError

__all__ = ["AuthBeforeBody", "install", "role_check_of"]


def role_check_of(route: APIRoute) -> RoleCheck | None:
    """The role check among the route's dependencies (its router's included), if it has one."""
    pending: list[Any] = [route.dependant]
    while pending:
        dependant = pending.pop()
        if isinstance(dependant.call, RoleCheck):
            return dependant.call
        pending.extend(dependant.dependencies)
    return None


REFUSALS: tuple[type[Exception], ...] = (TarjotinError, SQLAlchemyError, *CONNECTION_ERRORS)
"""What the token check may raise: a refusal, or the database that could not be asked (answered 503)."""


class RefusedBeforeBody(HTTPException):
    """The caller may not use the route, found while its body was still unread: FastAPI lets an HTTP error
    raised by the body's reader through (any other becomes a 400), and its handler answers the refusal."""

    def __init__(self, refusal: Exception) -> None:
        if isinstance(refusal, TarjotinError):
            super().__init__(status_of(refusal), refusal.detail)
        else:  # the database could not be asked about the token: its own handler answers (503 when it is down)
            super().__init__(503, "the database cannot be reached just now; try again shortly")
        self.refusal = refusal


class AuthBeforeBody:
    """ASGI middleware: the route's role check runs when the route first asks for its body, before any is read."""

    def __init__(self, app: ASGIApp, owner: FastAPI) -> None:
        self.app, self.owner = app, owner
        self.checks: dict[int, RoleCheck | None] = {}
        """Each route's role check by the route's id (routes live as long as the application)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        checked = False

        async def guarded() -> Message:
            nonlocal checked
            if not checked:
                checked = True
                check = self._check_for(scope.get("route"))
                if check is not None:
                    caller = await run_in_threadpool(self._admit, Headers(scope=scope).get("authorization"), check)
                    scope.setdefault("state", {})[ADMITTED] = caller  # `get_caller` takes it: one token lookup
            return await receive()

        await self.app(scope, guarded, send)

    def _check_for(self, route: object) -> RoleCheck | None:
        """The role check of a route that takes a body (a route without one reads nothing before its checks)."""
        if not isinstance(route, APIRoute) or route.body_field is None:
            return None
        if id(route) not in self.checks:
            self.checks[id(route)] = role_check_of(route)
        return self.checks[id(route)]

    def _admit(self, authorization: str | None, check: RoleCheck) -> Caller:
        """The caller, if the check lets them through; else `RefusedBeforeBody` with the check's refusal."""
        scheme, token = get_authorization_scheme_param(authorization)
        credentials = (
            HTTPAuthorizationCredentials(scheme=scheme, credentials=token)
            if scheme.lower() == "bearer" and token
            else None
        )
        factory: sessionmaker[Session] = self.owner.state.sessions
        try:
            with factory() as db:
                return check.admit(caller_of(db, self.owner.state.clock, credentials))
        except REFUSALS as refusal:
            raise RefusedBeforeBody(refusal) from refusal


async def _refused(request: Request, error: Exception) -> Response:
    """The refusal answered as the route would have answered it (a 401 problem with WWW-Authenticate, a 403)."""
    assert isinstance(error, RefusedBeforeBody)
    answer = handler_for(request.app, error.refusal)(request, error.refusal)
    return await answer if isinstance(answer, Awaitable) else answer


def install(app: FastAPI) -> None:
    """Check tokens before bodies on the application."""
    app.add_middleware(AuthBeforeBody, owner=app)
    app.add_exception_handler(RefusedBeforeBody, _refused)
