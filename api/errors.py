"""One place where errors become HTTP answers: RFC 9457 problem details, never a 404 for a bug.

The project's errors (`scheduler.contract.errors`) answer by their type: `NotFound` 404,
`Invalid` 422 (with `errors`, one per field), `Conflict` 409 (and so is a write the database
refuses, said in plain words: never the database's own); the HTTP-only `Unauthorized`
(401, with `WWW-Authenticate`) and `Forbidden` (403) are here. Bad input the schema
catches is a 422 of the same shape. Anything else that escapes is a bug: a 500 whose
log entry (with its traceback) and answer carry the request's id. See `api.problems`.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Mapping
from http import HTTPStatus
from pathlib import Path
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sqlalchemy_exc
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api.links import app_path
from api.logs import route_template
from api.problems import PROBLEM_JSON, Problem, ProblemField, document_problems, problem, problem_type
from api.request_ids import RequestIds, request_id
from scheduler.contract.errors import Conflict, FieldError, Invalid, NotFound, TarjotinError
from scheduler.contract.errors import Forbidden as RecordForbidden

__all__ = [
    "allowed_methods",
    "ApiError",
    "COMMON",
    "ERRORS",
    "Forbidden",
    "Refused",
    "Unauthorized",
    "field_errors",
    "field_of",
    "install",
    "database_file",
    "log_unexpected",
    "problem_answer",
    "status_of",
    "unavailable",
]

log = logging.getLogger("tarjotin.api")


class ApiError(TarjotinError):
    """An answer only HTTP gives: a status of its own, and members of its own beside the standard ones."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, members: Mapping[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.members = dict(members or {})


class Unauthorized(ApiError):
    """No valid bearer token (answered with `WWW-Authenticate: Bearer`)."""

    status, title = 401, "Unauthorized"


class Forbidden(ApiError):
    """The token's role may not do this."""

    status, title = 403, "Forbidden"


class Refused(ApiError, Conflict):
    """A conflict the API explains with members of its own (a full group's waiting list, a busy run's id)."""

    status, title = 409, Conflict.title


STATUSES: dict[type[TarjotinError], int] = {
    NotFound: 404,
    Invalid: 422,
    Conflict: 409,
    RecordForbidden: 403,
    TarjotinError: 400,
}

ERRORS: dict[int | str, dict[str, Any]] = {
    401: problem("no valid bearer token"),
    403: problem("the token's role may not do this, or the client has another responsible counsellor"),
}
"""Answers every protected route may give, for the OpenAPI document."""

COMMON: dict[int | str, dict[str, Any]] = {
    413: problem(
        "the request body is over the limit (`TARJOTIN_MAX_BODY_BYTES`, 1 MiB unless set); none of it was read"
    ),
    422: problem("invalid input: `errors` names each faulty field (an unknown query parameter included)"),
    500: problem("an unexpected error; it is logged with the request id"),
    503: problem("the database is unavailable just now (restarting, busy or read-only): try again after `Retry-After`"),
}
"""Answers any route may give."""


def status_of(error: TarjotinError) -> int:
    """The HTTP status of a project error: by its first base in `STATUSES` (an `ApiError` says its own)."""
    if isinstance(error, ApiError):
        return error.status
    return next(STATUSES[kind] for kind in type(error).__mro__ if kind in STATUSES)


def problem_answer(
    request: Request,
    status: int,
    detail: str,
    title: str | None = None,
    errors: list[ProblemField] | None = None,
    headers: Mapping[str, str] | None = None,
    **members: Any,
) -> JSONResponse:
    """A problem details answer for the request."""
    body = Problem(
        type=problem_type(status),
        title=title or _phrase(status),
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=request_id(request),
        errors=errors,
        **members,
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=status,
        headers=dict(headers or {}),
        media_type=PROBLEM_JSON,
    )


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def field_errors(where: str, faults: list[tuple[str | tuple[Any, ...], str]]) -> RequestValidationError:
    """A 422 for fields the schema could not check (a reference, a pair of fields): [(field, message)]."""
    return RequestValidationError(
        [
            {"loc": (where, *(field if isinstance(field, tuple) else (field,))), "msg": message, "type": "value_error"}
            for field, message in faults
        ]
    )


def field_of(loc: tuple[Any, ...] | list[Any]) -> str:
    """`("body", "rooms", 0, "capacity")` as `rooms[0].capacity`; query and path keep their name; a body that is
    a list keeps its name: `("body", 2, "status")` is `body[2].status`."""
    parts = list(loc[1:]) if loc and loc[0] in ("body", "query", "path", "header") else list(loc)
    text = "body" if loc and loc[0] == "body" and parts and isinstance(parts[0], int) else ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or str(loc[0] if loc else "request")


def _invalid(request: Request, fields: list[ProblemField]) -> JSONResponse:
    detail = "; ".join(f"{f.field}: {f.message}" for f in fields) or "the input is invalid"
    return problem_answer(request, 422, detail, Invalid.title, fields)


def _validation(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return _invalid(
        request,
        [
            ProblemField(
                field=field_of(item.get("loc", ())),
                loc=list(item.get("loc", ())),
                message=str(item.get("msg", "invalid value")).removeprefix("Value error, "),
                type=str(item.get("type", "value_error")),
            )
            for item in error.errors()
        ],
    )


def _place(request: Request, fault: FieldError) -> ProblemField:
    """A project error's field, placed in the path, the query, the headers or (else) the body."""
    head = fault.field.split(".")[0].split("[")[0]
    where = (
        "path"
        if head in request.path_params
        else "query"
        if head in request.query_params
        else "header"
        if head in request.headers
        else "body"
    )
    return ProblemField(
        field=fault.field, message=fault.message, loc=[where, fault.field], type="value_error", rule=fault.rule
    )


def _project(request: Request, error: Exception) -> JSONResponse:
    """A project error: its status by its type; field errors listed; members of an `ApiError` added."""
    assert isinstance(error, TarjotinError)
    status = status_of(error)
    fields = [_place(request, fault) for fault in error.errors] or None
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    members = error.members if isinstance(error, ApiError) else {}
    return problem_answer(request, status, error.detail, error.title, fields, headers, **members)


INTEGRITY = (
    "the change could not be saved: it clashes with a record stored or changed at the same moment "
    "(the same id twice, or a record it names was removed); reload and try again"
)
"""What a user reads when the database refuses a write: no table, constraint or database name."""


def _integrity(request: Request, error: Exception) -> JSONResponse:
    """A write the database refused (a race the checks before it could not see): a 409 in plain words.

    The database's own words, with its table and constraint names (never the values), go only to the log.
    """
    log.warning("write refused on %s (request %s): %s", _where(request), request_id(request), database_words(error))
    return problem_answer(request, 409, INTEGRITY, Conflict.title)


def _database(request: Request, error: Exception) -> JSONResponse:
    if unavailable(error):
        return _unavailable(request, error)
    log.error("database error on %s (request %s): %s", _where(request), request_id(request), database_words(error))
    return problem_answer(request, 500, "the database could not answer; try again shortly")


RETRY_AFTER = "5"
"""Seconds (`Retry-After`) a caller waits before trying again while the database is unavailable."""

READ_ONLY = "the database is read-only just now: nothing was changed; try again later"
BUSY = "the database is busy; try again shortly"
UNREACHABLE = "the database cannot be reached just now; try again shortly"

CONNECTION_ERRORS: tuple[type[Exception], ...] = (
    sqlalchemy_exc.OperationalError,
    sqlalchemy_exc.InterfaceError,
    sqlalchemy_exc.TimeoutError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlite3.OperationalError,
)
"""Errors that say the database cannot answer now (not that the request is wrong): a lost or refused
connection, a lock held past SQLite's busy timeout, a read-only file, no free connection in the pool;
SQLAlchemy's wrapped kinds and the drivers' own."""


def unavailable(error: BaseException, database: str | None = None) -> str | None:
    """Why the database cannot answer just now, in the service's words (never the database's), or None.

    `database` is the SQLite file, if any: SQLite on a read-only disk says only "unable to open
    database file" (it cannot make its journal), so the file and its folder are looked at."""
    if isinstance(error, sqlalchemy_exc.DBAPIError) and error.connection_invalidated:
        return UNREACHABLE
    if not isinstance(error, CONNECTION_ERRORS):
        return None
    words = str(getattr(error, "orig", None) or error).lower()
    if "readonly" in words or "read-only" in words or "read only" in words or _read_only_file(database):
        return READ_ONLY
    if "locked" in words or isinstance(error, sqlalchemy_exc.TimeoutError):
        return BUSY
    return UNREACHABLE


def _read_only_file(database: str | None) -> bool:
    """Whether the SQLite file or its folder cannot be written (a read-only disk: `access` says so to root too)."""
    if not database or database == ":memory:":
        return False
    path = Path(database)
    return path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _where(request: Request) -> str:
    """The request in a log line: its method and route template (a raw path may hold a client's id)."""
    return f"{request.method} {route_template(request.scope)}"


def database_words(error: Exception) -> str:
    """What the database said, for the log: its error's kind and the constraint, table or SQLite message; never
    the values (a client's id in PostgreSQL's DETAIL line) nor the statement's parameters (in SQLAlchemy's text)."""
    orig = getattr(error, "orig", None) or error
    kind = type(orig).__name__
    diag = getattr(orig, "diag", None)
    if isinstance(orig, psycopg.Error) and diag is not None:
        named = {"sqlstate": orig.sqlstate, "constraint": diag.constraint_name, "table": diag.table_name}
        return kind + "".join(f" {key}={value}" for key, value in named.items() if value)
    if isinstance(orig, sqlite3.Error):  # "UNIQUE constraint failed: clients.id", "database is locked": no values
        first = str(orig).splitlines()[0] if str(orig) else ""
        return f"{kind}: {first}" if first else kind
    return kind


def database_file(request: Request) -> str | None:
    """The application's SQLite file, or None on PostgreSQL."""
    url = request.app.state.engine.url
    return str(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def _unavailable(request: Request, error: Exception) -> JSONResponse:
    """503 with `Retry-After`: the database is down, restarting, locked or read-only; the pool recovers by itself."""
    reason = unavailable(error, database_file(request)) or UNREACHABLE
    log.warning(
        "database unavailable on %s (request %s): %s", _where(request), request_id(request), database_words(error)
    )
    return problem_answer(request, 503, reason, "Service unavailable", headers={"Retry-After": RETRY_AFTER})


def _http(request: Request, error: Exception) -> JSONResponse:
    """Starlette's own errors: an unreadable body is a 422 like any bad input; 405 lists every method."""
    assert isinstance(error, StarletteHTTPException)
    if error.status_code == 400:
        message = "the body could not be read as JSON (send UTF-8 JSON with Content-Type: application/json)"
        return _invalid(request, [ProblemField(field="body", message=message, loc=["body"], type="json_invalid")])
    headers = dict(error.headers or {})
    if error.status_code == 405:
        headers["Allow"] = ", ".join(sorted(allowed_methods(request)))
    return problem_answer(request, error.status_code, str(error.detail), headers=headers)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> set[str]:
    """The methods the address answers: as documented, on its most specific path; else as routed.

    The OpenAPI document says which methods a path takes, and a literal path beats a template
    (`/offering/recommend` is not `/offering/{group_id}`). Pages are not in it: their methods are
    asked of the routes themselves (`matches`), as the router does, because FastAPI keeps an
    included router's routes behind a wrapper that is not an `APIRoute`.
    """
    path = app_path(request)  # as routed: without the root path
    hits = [(params, methods) for pattern, params, methods in _documented(request.app) if pattern.fullmatch(path)]
    if hits:
        fewest = min(params for params, _ in hits)
        return {method for params, methods in hits if params == fewest for method in methods}
    return {
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL for route in request.app.router.routes
        )
    }


def _documented(app: FastAPI) -> list[tuple[re.Pattern[str], int, set[str]]]:
    """Each documented path as a pattern, with its number of parameters and its methods (built once)."""
    cached: list[tuple[re.Pattern[str], int, set[str]]] | None = getattr(app.state, "documented_paths", None)
    if cached is None:
        cached = []
        for template, operations in app.openapi().get("paths", {}).items():
            parts = re.split(r"(\{[^}]+\})", template)
            pattern = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
            methods = {method.upper() for method in operations if method.upper() in METHODS}
            cached.append((re.compile(pattern), template.count("{"), methods))
        app.state.documented_paths = cached
    return cached


def log_unexpected(request: Request, error: Exception) -> None:
    """A bug: logged with its traceback and the request's id, which the answer shows too."""
    log.error("unexpected error on %s (request %s)", _where(request), request_id(request), exc_info=error)


def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log_unexpected(request, error)
    return problem_answer(request, 500, f"an unexpected error; it has been logged as request {request_id(request)}")


def install(app: FastAPI) -> None:
    """Answer every error on the application as a problem, give requests ids, and document both."""
    app.add_middleware(RequestIds, owner=app)
    app.add_exception_handler(Exception, _unexpected)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(TarjotinError, _project)
    app.add_exception_handler(SQLAlchemyError, _database)
    app.add_exception_handler(IntegrityError, _integrity)
    for kind in CONNECTION_ERRORS:
        if not issubclass(kind, SQLAlchemyError):
            app.add_exception_handler(kind, _unavailable)
    document_problems(app)
