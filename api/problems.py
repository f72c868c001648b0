"""The shape of every error answer: RFC 9457 problem details (`application/problem+json`).

A problem names its kind by a `type` URI (one per HTTP status the API answers with, below;
`about:blank` for plain HTTP answers such as 405), a short `title`, the `status`, a `detail`
sentence saying what went wrong, the `instance` (the request's path) and the `request_id`
that the server's log names too. Invalid input adds `errors`, one item per faulty field.
Some problems add members of their own (a full group's `waiting_list`, a busy planner's `run_id`).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

__all__ = ["PROBLEM_JSON", "PROBLEM_TYPES", "Problem", "ProblemField", "document_problems", "problem", "problem_type"]

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://tarjotin.fi/problems/"
PROBLEM_TYPES: dict[int, str] = {
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    409: "conflict",
    413: "payload-too-large",
    422: "invalid",
    500: "internal-error",
    503: "unavailable",
}
"""The problem type of each status the project answers with on purpose: `PROBLEM_BASE` + the name."""


def problem_type(status: int) -> str:
    """The problem type URI for an HTTP status (`about:blank` where the status says all)."""
    name = PROBLEM_TYPES.get(status)
    return PROBLEM_BASE + name if name else "about:blank"


class ProblemField(BaseModel):
    """One faulty field of the request."""

    field: str = Field(description="the field's path, as `rooms[0].capacity` or a query parameter's name")
    message: str = Field(description="what is wrong with it, in a sentence")
    loc: list[str | int] = Field(description="where it is: `body`, `query`, `path` or `header`, then the path")
    type: str = Field(description="the kind of fault, as `missing`, `int_parsing` or `value_error`")
    rule: str | None = Field(
        default=None,
        description="when a hard rule refuses the value: the rule's key, as `one_qualified_leader` (docs/rules.md)",
    )


class Problem(BaseModel):
    """An error answer (RFC 9457 problem details); some problems add members of their own."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(
        description="the kind of problem: https://tarjotin.fi/problems/{not-found, invalid, conflict, "
        "unauthorized, forbidden, payload-too-large, internal-error, unavailable}, or about:blank"
    )
    title: str = Field(description="the kind of problem in a few words")
    status: int = Field(description="the HTTP status code")
    detail: str = Field(description="what went wrong, in a sentence")
    instance: str = Field(description="the path of the request that failed")
    request_id: str = Field(description="the request's id (also in the X-Request-ID header), as the server log has it")
    errors: list[ProblemField] | None = Field(default=None, description="invalid input: each faulty field")


def problem(description: str, model: Any = Problem) -> dict[str, Any]:
    """A documented error answer for a route's `responses`: a `Problem` model, or a union of its kinds
    (`document_problems` gives it its media type)."""
    return {"model": model, "description": description}


def _is_error(status: str) -> bool:
    return status in ("4XX", "5XX", "default") or (status.isdigit() and int(status) >= 400)


def _retype(schema: dict[str, Any]) -> dict[str, Any]:
    """Every error answer in the document as `application/problem+json` (FastAPI writes application/json)."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if _is_error(status) and "application/json" in content:
                    content[PROBLEM_JSON] = content.pop("application/json")
    return schema


def document_problems(app: FastAPI) -> None:
    """The application's OpenAPI document names `application/problem+json` for every error answer."""
    make = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _retype(make())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to replace the OpenAPI builder
