"""One place where errors become HTTP answers: a plain message naming the field, never a 500.

Validation errors keep FastAPI's documented 422 shape (`detail[].loc/msg/type`) and add
a `field` to each item and one readable `message`, so the OpenAPI schema stays true.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

__all__ = ["ApiError", "Conflict", "ErrorOut", "Forbidden", "NotFound", "Unauthorized", "ERRORS", "field_errors",
           "install"]

log = logging.getLogger("tarjotin.api")


class ErrorOut(BaseModel):
    """An error: what went wrong, in a sentence."""

    detail: str


class ApiError(Exception):
    status = 400

    def __init__(self, detail: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra or {}


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    status = 409


class Unauthorized(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "no valid bearer token"},
    403: {"model": ErrorOut, "description": "the token's role may not do this"},
}
"""Answers every protected route may give, for the OpenAPI document."""


def field_errors(where: str, faults: list[tuple[str | tuple[Any, ...], str]]) -> RequestValidationError:
    """A 422 for fields the schema could not check (a reference, a pair of fields): [(field, message)]."""
    return RequestValidationError([
        {"loc": (where, *(field if isinstance(field, tuple) else (field,))), "msg": message, "type": "value_error"}
        for field, message in faults])


def field_of(loc: tuple[Any, ...] | list[Any]) -> str:
    """`("body", "rooms", 0, "capacity")` as `rooms[0].capacity`; query and path keep their name."""
    parts = list(loc[1:]) if loc and loc[0] in ("body", "query", "path", "header") else list(loc)
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or str(loc[0] if loc else "request")


def _validation(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    items = []
    for item in error.errors():
        message = str(item.get("msg", "invalid value")).removeprefix("Value error, ")
        items.append({"loc": list(item.get("loc", ())), "msg": message, "type": item.get("type", "value_error"),
                      "field": field_of(item.get("loc", ()))})
    message = "; ".join(f"{i['field']}: {i['msg']}" for i in items)
    return JSONResponse(status_code=422, content={"message": message, "detail": items})


def _api_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    return JSONResponse(status_code=error.status, content={"detail": error.detail, **error.extra}, headers=headers)


def _database(_: Request, error: Exception) -> JSONResponse:
    if isinstance(error, IntegrityError):
        first = str(getattr(error, "orig", error)).splitlines()[0]
        return JSONResponse(status_code=409, content={"detail": f"the change conflicts with stored data: {first}"})
    log.error("database error: %s", error)
    status = 503 if isinstance(error, OperationalError) else 500
    return JSONResponse(status_code=status, content={"detail": "the database could not answer; try again shortly"})


def _http(request: Request, error: Exception) -> JSONResponse:
    """Starlette's own errors: an unreadable body is a 422 like any bad input; 405 lists every method."""
    assert isinstance(error, StarletteHTTPException)
    if error.status_code == 400:
        message = "the body could not be read as JSON (send UTF-8 JSON with Content-Type: application/json)"
        return JSONResponse(status_code=422, content={"message": f"body: {message}", "detail": [
            {"loc": ["body"], "msg": message, "type": "json_invalid", "field": "body"}]})
    headers = dict(error.headers or {})
    if error.status_code == 405:
        headers["Allow"] = ", ".join(sorted(_methods(request)))
    return JSONResponse(status_code=error.status_code, content={"detail": error.detail}, headers=headers)


def _methods(request: Request) -> set[str]:
    """The methods of the most specific routes whose path matches (a literal path beats a template)."""
    matching = [r for r in request.app.routes if isinstance(r, APIRoute) and r.path_regex.match(request.url.path)]
    fewest = min((len(r.param_convertors) for r in matching), default=0)
    return {m for r in matching if len(r.param_convertors) == fewest for m in r.methods}


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(SQLAlchemyError, _database)
