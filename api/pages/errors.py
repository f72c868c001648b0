"""Errors on page routes answer as pages in the reader's language; the JSON API keeps its JSON."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.pages.context import PageError, SignInNeeded, page_context
from api.pages.i18n import N_
from api.pages.render import render

__all__ = ["PAGE_TAG", "install", "is_page"]

log = logging.getLogger("tarjotin.pages")

PAGE_TAG = "pages"
"""The tag every page router carries: how an error knows it happened on a page."""

Handler = Callable[[Request, Exception], Response | Awaitable[Response]]

MESSAGES = {404: N_("This page does not exist. It may have been moved, or the address is mistyped."),
            405: N_("This page cannot be used that way."),
            422: N_("The address has something this page does not understand: %(fields)s.")}


def is_page(request: Request) -> bool:
    """Whether the request is for a page: a page route, or an unknown address asked for by a browser."""
    route = request.scope.get("route")
    if isinstance(route, APIRoute):
        return PAGE_TAG in route.tags
    return route is None and "text/html" in request.headers.get("accept", "")


def error_page(request: Request, status: int, message: str, **values: str) -> Response:
    """A page saying what went wrong, in the request's language."""
    page = page_context(request, asked=request.query_params.get("lang"))
    return render(page, "error.html", status=status, message=page.t(message, **values), status_code=status)


def _page_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, PageError)
    return error_page(request, error.status, error.message, **error.values)


def _sign_in(request: Request, error: Exception) -> Response:
    assert isinstance(error, SignInNeeded)
    return RedirectResponse(f"/signin?next={quote(error.next_url, safe='')}", status_code=303)


def _for_pages(previous: Handler, status_of: Callable[[Exception], int]) -> Handler:
    """The JSON handler for the API, an error page for pages."""

    async def handle(request: Request, error: Exception) -> Response:
        if not is_page(request):
            answer = previous(request, error)
            return await answer if isinstance(answer, Awaitable) else answer
        status = status_of(error)
        fields = ""
        if isinstance(error, RequestValidationError):
            fields = ", ".join(str(item.get("loc", ["?"])[-1]) for item in error.errors())
        return error_page(request, status, MESSAGES.get(status, MESSAGES[404]), fields=fields)

    return handle


def _unexpected(request: Request, error: Exception) -> Response:
    """A fault nobody foresaw: logged with its traceback, and answered with a plain page (or JSON) saying so."""
    log.exception("unexpected error on %s", request.url.path, exc_info=error)
    if is_page(request):
        return error_page(request, 500, N_("Something went wrong on our side. Try again shortly."))
    return JSONResponse(status_code=500, content={"detail": "an unexpected error; it has been logged"})


def install(app: FastAPI) -> None:
    app.add_exception_handler(Exception, _unexpected)
    app.add_exception_handler(PageError, _page_error)
    app.add_exception_handler(SignInNeeded, _sign_in)
    for kind, status_of in ((RequestValidationError, lambda _: 422),
                            (StarletteHTTPException, lambda e: getattr(e, "status_code", 404))):
        app.add_exception_handler(kind, _for_pages(app.exception_handlers[kind], status_of))
