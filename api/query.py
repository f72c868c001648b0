"""Query parameters are checked like body fields: a misspelt or repeated one is a 422, never ignored."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute
from pydantic import BaseModel

from api.errors import field_errors

__all__ = ["plain_query"]


def _taken(dependant: Any) -> set[str]:
    """The query parameters a route takes, its dependencies' included."""
    names: set[str] = set()
    for param in dependant.query_params:
        model = param.field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):  # a query model: its fields are the names
            names |= {field.alias or name for name, field in model.model_fields.items()}
        else:
            names.add(param.alias)
    for sub in dependant.dependencies:
        names |= _taken(sub)
    return names


async def plain_query(request: Request) -> None:
    """Refuse query parameters the route does not take, and any given twice (which one was meant?)."""
    route = request.scope.get("route")
    known = _taken(route.dependant) if isinstance(route, APIRoute) else set()
    names = [name for name, _ in request.query_params.multi_items()]
    unknown = sorted(set(names) - known)
    if unknown:
        raise field_errors("query", [(name, "unknown query parameter") for name in unknown])
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise field_errors("query", [(name, "give this parameter once") for name in twice])
