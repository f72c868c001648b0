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


NAMES = "tarjotin_query_names"
"""The route's attribute holding its query parameters and those it takes as lists, found on its first request
(a route never changes them; routes are not hashable, so the route keeps them itself)."""


def _names(route: object) -> tuple[set[str], set[str]]:
    if not isinstance(route, APIRoute):
        return set(), set()
    found: tuple[set[str], set[str]] | None = getattr(route, NAMES, None)
    if found is None:
        found = (_taken(route.dependant), _lists(route.dependant))
        setattr(route, NAMES, found)
    return found


async def plain_query(request: Request) -> None:
    """Refuse query parameters the route does not take, and any given twice (which one was meant?) unless the
    route takes a list of them."""
    if not request.scope.get("query_string"):
        return
    known, lists = _names(request.scope.get("route"))
    names = [name for name, _ in request.query_params.multi_items()]
    unknown = sorted(set(names) - known)
    if unknown:
        raise field_errors("query", [(name, "unknown query parameter") for name in unknown])
    twice = sorted({name for name in names if names.count(name) > 1 and name not in lists})
    if twice:
        raise field_errors("query", [(name, "give this parameter once") for name in twice])
