"""Links to the calendar feeds: the https (or http) URL to download, and the webcal:// one to subscribe."""

from __future__ import annotations

from scheduler.services.offering import FeedLinks, OfferedGroup

__all__ = ["feed_links", "feed_url", "webcal_url", "with_feed_links"]


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
