"""Errors on page routes answer as pages in the reader's language; the JSON API keeps its problem details.

A project error under a page answers with its own status (404, 409, 422); an unexpected one
is a 500 page that shows the request id its log entry has.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import CONNECTION_ERRORS, RETRY_AFTER, allowed_methods, log_unexpected, status_of, unavailable
from api.logs import route_template
from api.pages.context import PageError, SignInNeeded, page_context
from api.pages.i18n import N_
from api.pages.render import render, see_other
from api.request_ids import request_id
from scheduler.contract.errors import TarjotinError

__all__ = ["PAGE_TAG", "install", "is_page"]

PAGE_TAG = "pages"
"""The tag every page router carries: how an error knows it happened on a page."""

log = logging.getLogger("tarjotin.pages")

Handler = Callable[[Request, Exception], Response | Awaitable[Response]]

UNEXPECTED = N_("Something went wrong on our side. Try again shortly.")
MESSAGES = {
    404: N_("This page does not exist. It may have been moved, or the address is mistyped."),
    405: N_("This page cannot be used that way."),
    409: N_(
        "This cannot be done now: the stored data has changed or does not allow it. Reload the page and try again."
    ),
    413: N_("What was sent is too large. Send less at a time."),
    422: N_("The address has something this page does not understand: %(fields)s."),
    500: UNEXPECTED,
    503: UNEXPECTED,
}


def is_page(request: Request) -> bool:
    """Whether the request is for a page: a page route, or an unknown address asked for by a browser."""
    route = request.scope.get("route")
    if isinstance(route, APIRoute):
        return PAGE_TAG in route.tags
    return route is None and "text/html" in request.headers.get("accept", "")


def error_page(request: Request, status: int, message: str, **values: str) -> Response:
    """A page saying what went wrong, in the request's language (a 500 page also names the request id)."""
    page = page_context(request, asked=request.query_params.get("lang"))
    return render(
        page,
        "error.html",
        status=status,
        message=page.t(message, **values),
        status_code=status,
        request_id=request_id(request) if status >= 500 else None,
    )


def _page_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, PageError)
    return error_page(request, error.status, error.message, **error.values)


def _sign_in(request: Request, error: Exception) -> Response:
    assert isinstance(error, SignInNeeded)
    return see_other(request, f"/signin?next={quote(error.next_url, safe='')}")


def _for_pages(previous: Handler, status_for: Callable[[Exception], int]) -> Handler:
    """The JSON handler for the API, an error page for pages."""

    async def handle(request: Request, error: Exception) -> Response:
        if not is_page(request):
            answer = previous(request, error)
            return await answer if isinstance(answer, Awaitable) else answer
        status = status_for(error)
        if status == 503:  # the database is down, busy or read-only: a page that says try again, no traceback
            answer = error_page(request, status, MESSAGES[503])
            answer.headers["Retry-After"] = RETRY_AFTER
            log.warning(
                "database unavailable on page %s (request %s)", route_template(request.scope), request_id(request)
            )
            return answer
        if status >= 500:
            log_unexpected(request, error)
        answer = error_page(request, status, MESSAGES.get(status, MESSAGES[404]), fields=_fields(error))
        if status == 405:
            answer.headers["Allow"] = ", ".join(sorted(allowed_methods(request)))
        return answer

    return handle


def _fields(error: Exception) -> str:
    """The faulty fields an error names, for the 422 page."""
    if isinstance(error, RequestValidationError):
        return ", ".join(str(item.get("loc", ["?"])[-1]) for item in error.errors())
    if isinstance(error, TarjotinError):
        return ", ".join(fault.field for fault in error.errors) or error.detail
    return ""


def _project_status(error: Exception) -> int:
    assert isinstance(error, TarjotinError)
    return status_of(error)


def _database_status(error: Exception) -> int:
    return 409 if isinstance(error, IntegrityError) else 503 if unavailable(error) else 500


PAGE_STATUS: tuple[tuple[type[Exception], Callable[[Exception], int]], ...] = (
    (RequestValidationError, lambda _: 422),
    (StarletteHTTPException, lambda e: getattr(e, "status_code", 404)),
    (TarjotinError, _project_status),
    (IntegrityError, lambda _: 409),  # its own JSON handler in `api.errors`: pages wrap it too
    (SQLAlchemyError, _database_status),
    *((kind, lambda _: 503) for kind in CONNECTION_ERRORS if not issubclass(kind, SQLAlchemyError)),
    (Exception, lambda _: 500),
)
"""The status an error gives a page; the JSON API's handler (in `api.errors`) answers it elsewhere."""


def install(app: FastAPI) -> None:
    app.add_exception_handler(PageError, _page_error)
    app.add_exception_handler(SignInNeeded, _sign_in)
    for kind, status_for in PAGE_STATUS:
        app.add_exception_handler(kind, _for_pages(app.exception_handlers[kind], status_for))
