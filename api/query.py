"""Query parameters are checked like body fields: a misspelt or repeated one is a 422, never ignored (a list
parameter, as `?ids=1&ids=2`, is the one that repeats)."""

from __future__ import annotations

from typing import Any, get_origin

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


def _lists(dependant: Any) -> set[str]:
    """The query parameters a route takes as a list: each may be given more than once."""
    names = {param.alias for param in dependant.query_params if get_origin(param.field_info.annotation) is list}
    for sub in dependant.dependencies:
        names |= _lists(sub)
    return names


async def plain_query(request: Request) -> None:
    """Refuse query parameters the route does not take, and any given twice (which one was meant?) unless the
    route takes a list of them."""
    route = request.scope.get("route")
    known = _taken(route.dependant) if isinstance(route, APIRoute) else set()
    names = [name for name, _ in request.query_params.multi_items()]
    unknown = sorted(set(names) - known)
    if unknown:
        raise field_errors("query", [(name, "unknown query parameter") for name in unknown])
    lists = _lists(route.dependant) if isinstance(route, APIRoute) else set()
    twice = sorted({name for name in names if names.count(name) > 1 and name not in lists})
    if twice:
        raise field_errors("query", [(name, "give this parameter once") for name in twice])
