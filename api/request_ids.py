"""Every request gets an id, answered in `X-Request-ID` and named in the log and in error answers.

A caller (or a proxy in front) may send its own `X-Request-ID`; a sane one (up to 128 letters,
digits and `._:-`) is kept, so one id follows the request through every log. Otherwise the
id is a new UUID4. An exception that nothing else answered is answered here, by the
application's handler for its type: a middleware inside this one may raise a project error or an
HTTP error (a body over the limit, a missing token) before the application runs; anything else
is the handler for `Exception` (a 500 that logs the id), so no error escapes the app.

While a request is answered its id is in `scheduler.logs.REQUEST_ID` (re-exported here as `CURRENT`), so
every log line written meanwhile names it; when the answer is done, the request's access line is written
(`api.logs.access`: method, route template, status, duration) and its route template is left in the
scope (`ROUTE_KEY`) for the metrics.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.logs import access, route_template
from scheduler.logs import REQUEST_ID as CURRENT

__all__ = ["CURRENT", "HEADER", "ROUTE_KEY", "RequestIds", "handler_for", "request_id"]

HEADER = "X-Request-ID"
SCOPE_KEY = "tarjotin.request_id"
ROUTE_KEY = "tarjotin.route"
SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def request_id(request: Request) -> str:
    """The request's id (`-` outside the middleware, as in a bare test app)."""
    return str(request.scope.get(SCOPE_KEY, "-"))


def handler_for(app: FastAPI, error: Exception) -> Callable[[Request, Exception], Response | Awaitable[Response]]:
    """The application's exception handler for the error: the one for its nearest type."""
    handlers = app.exception_handlers
    return next(handlers[kind] for kind in type(error).__mro__ if kind in handlers)  # Exception's is always there


class RequestIds:
    """ASGI middleware: gives each HTTP request its id and answers unhandled exceptions with the app's handlers."""

    def __init__(self, app: ASGIApp, owner: FastAPI) -> None:
        self.app, self.owner = app, owner

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get(HEADER, "")
        ident = given if SANE.fullmatch(given) else str(uuid.uuid4())
        scope[SCOPE_KEY] = ident
        before = dict(scope)  # as routing found it: a mount changes the scope's root path
        began = time.perf_counter()
        status = 500  # unless an answer starts
        started = False
        token = CURRENT.set(ident)

        async def send_with_id(message: Message) -> None:
            nonlocal started, status
            if message["type"] == "http.response.start":
                started, status = True, int(message["status"])
                MutableHeaders(scope=message)[HEADER] = ident
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as error:
            if started:  # the answer is half sent: nothing better than to let the server close it
                raise
            response = await self._unexpected(Request(scope, receive), error)
            await response(scope, receive, send_with_id)
        finally:
            route = scope[ROUTE_KEY] = route_template(scope, before)
            access(scope["method"], route, status, time.perf_counter() - began, ident)
            CURRENT.reset(token)

    async def _unexpected(self, request: Request, error: Exception) -> Response:
        answer = handler_for(self.owner, error)(request, error)
        return await answer if isinstance(answer, Awaitable) else answer
