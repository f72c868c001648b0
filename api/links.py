"""Links the service gives: paths under its root path (the prefix a reverse proxy strips), and the calendar
feeds' absolute URLs (the https (or http) URL to download, and the webcal:// one to subscribe).

Behind a proxy serving the service at https://host/tarjotin/, `tarjotin serve --root-path /tarjotin` makes
every request's ASGI `root_path` /tarjotin: routing ignores it, and every link and redirect the service
writes starts with it (`root_path`, `under_root`). Feeds are absolute, under `public_url` (which then ends
in /tarjotin too).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from scheduler.services.offering import FeedLinks, OfferedGroup

__all__ = ["Root", "app_path", "feed_links", "feed_url", "root_path", "under_root", "webcal_url", "with_feed_links"]


def root_path(request: HTTPConnection) -> str:
    """The prefix the service is served under (`''` or e.g. `/tarjotin`): the application's, also inside a mount
    (whose own `root_path` names the mount too)."""
    scope = request.scope
    return str(scope.get("app_root_path", scope.get("root_path", ""))).rstrip("/")


Root = Annotated[str, Depends(root_path)]
"""An endpoint's root path, to start the links and Location headers of its JSON answer with."""


def under_root(request: HTTPConnection, path: str) -> str:
    """A path of the application (`/planning/3`) as the browser must ask for it (`/tarjotin/planning/3`)."""
    return root_path(request) + path


def app_path(request: HTTPConnection) -> str:
    """The request's path as the application routes it: without the root path (the browser's path has it)."""
    path, root = request.url.path, root_path(request)
    if root and (path == root or path.startswith(root + "/")):
        return path[len(root) :] or "/"
    return path


def webcal_url(url: str) -> str:
    """The same feed with the scheme a calendar program subscribes to: `webcal://host/path`."""
    scheme, sep, rest = url.partition("://")
    return f"webcal://{rest}" if sep and scheme in ("http", "https") else url


def feed_url(public_url: str, path: str, lang: str | None = None) -> str:
    """The absolute URL of a feed under the service's public address; without `lang` the feed speaks the
    language the calendar program's Accept-Language prefers, so a page's link names its own (`?lang=fi` too)."""
    query = f"?lang={lang}" if lang else ""
    return f"{public_url.rstrip('/')}/calendars/{path.lstrip('/')}{query}"


def feed_links(public_url: str, path: str, lang: str | None = None) -> FeedLinks:
    url = feed_url(public_url, path, lang)
    return FeedLinks(ics=url, webcal=webcal_url(url))


def with_feed_links(groups: list[OfferedGroup], public_url: str) -> list[OfferedGroup]:
    """The groups, each with the links to its own calendar feed."""
    return [g.model_copy(update={"feeds": feed_links(public_url, f"groups/{g.id}.ics")}) for g in groups]
