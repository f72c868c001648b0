"""Addresses the JSON API shares with a page: a browser asking for HTML gets the page, everyone else the JSON."""

from __future__ import annotations

from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope

__all__ = ["ApiRoute", "browsing"]


def browsing(scope: Scope) -> bool:
    """A browser's request for a page: it asks for HTML and carries no bearer token (a sign-in cookie, if any)."""
    headers = dict(scope.get("headers") or [])
    return b"authorization" not in headers and b"text/html" in headers.get(b"accept", b"")


class ApiRoute(APIRoute):
    """A route of the JSON API that leaves a browser's page request to the page of the same address
    (`api.pages.reports`, `api.pages.advice`, `api.pages.whatifs`)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and browsing(scope):
            return Match.NONE, {}
        return super().matches(scope)
