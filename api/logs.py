"""The application's access log, and the route template that names a request in logs and metrics.

Each HTTP request gets one line on the `tarjotin.access` logger (written by `api.request_ids.RequestIds`):
`method`, `route` (the matched route's template, `/plans/{run_id}`, never the raw path, which may carry
a client's id, nor the query string), `status`, `duration_ms` and the `request_id`. The lines' format is
`scheduler.logs` (JSON by default). uvicorn's own access log is off.
"""

from __future__ import annotations

import logging

from starlette.routing import BaseRoute, Match, Mount
from starlette.types import Scope

__all__ = ["UNMATCHED", "access", "route_template"]

ACCESS = logging.getLogger("tarjotin.access")

UNMATCHED = "unmatched"
"""The route of a request no route answers (a 404 for an unknown address)."""


def _template(route: BaseRoute) -> str:
    if isinstance(route, Mount):
        return f"{route.path}/{{path}}"
    return str(getattr(route, "path_format", None) or getattr(route, "path", UNMATCHED))


def route_template(scope: Scope, before: Scope | None = None) -> str:
    """The template of the route that answered (or would answer) the request: never its raw path.

    The router leaves its route in the scope; a request answered before routing (a missing token, a body
    over the limit) is matched here against the application's routes, as the router would, using the scope
    as it was `before` the application ran (a mount changes the scope's root path)."""
    route = scope.get("route")
    if isinstance(route, BaseRoute):
        return _template(route)
    app = scope.get("app")
    routes: list[BaseRoute] = list(getattr(getattr(app, "router", None), "routes", []))
    partial: BaseRoute | None = None
    probe = before if before is not None else scope
    for candidate in routes:
        match, _ = candidate.matches(probe)
        if match == Match.FULL:
            return _template(candidate)
        if match == Match.PARTIAL and partial is None:
            partial = candidate
    return _template(partial) if partial is not None else UNMATCHED


def access(method: str, route: str, status: int, duration: float, request_id: str) -> None:
    """The request's access line (its duration in seconds)."""
    ACCESS.info(
        "%s %s %d",
        method,
        route,
        status,
        extra={
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(duration * 1000, 1),
            "request_id": request_id,
        },
    )
