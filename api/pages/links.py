"""Links from a page to the calendar feeds (see URLS.md): an https `.ics` and its `webcal://` twin."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request

__all__ = ["group_feed", "webcal_url"]


def webcal_url(url: str) -> str:
    """The same address for a calendar app to subscribe to: the scheme replaced by webcal://."""
    return "webcal://" + url.split("://", 1)[1] if "://" in url else url


def group_feed(request: Request, group_id: str, lang: str) -> str:
    """The group's calendar feed as an absolute address, from the service's public URL."""
    base = request.app.state.settings.public_url.rstrip("/")
    return f"{base}/calendars/groups/{group_id}.ics?{urlencode({'lang': lang})}"
