"""Calendar feeds (iCalendar): the offering, a hub, a group and each staff member's own sessions.

Anyone may read the offering, hub and group feeds; a staff feed's URL holds a secret token
(made, renewed and revoked by a coordinator) because calendar programs send no bearer header.
Answers carry an ETag and Last-Modified computed from a cheap fingerprint of the data, so an
unchanged feed is answered 304 without rendering it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from calendars import Organizer
from scheduler.feeds import FeedContext, feed_version, offering_feed, one_group_feed, one_hub_feed, staff_feed
from scheduler.offering import OfferingFilter
from scheduler.storage.feed_tokens import feed_staff, renew_feed_token, revoke_feed_token
from scheduler.storage.tokens import TokenError

from ..deps import Coordinator, SessionDep, today
from ..errors import ERRORS, ErrorOut, NotFound
from ..links import feed_url, webcal_url
from .resources_types import Ref, Text100

__all__ = ["router"]

router = APIRouter(prefix="/calendars", tags=["calendars"])

CALENDAR = "text/calendar; charset=utf-8"
FEED: dict[int | str, dict[str, object]] = {
    200: {"content": {"text/calendar": {"schema": {"type": "string"}}}, "description": "an iCalendar feed"},
    304: {"description": "not modified since the ETag given in If-None-Match"},
}
NOT_FOUND: dict[int | str, dict[str, object]] = {404: {"model": ErrorOut, "description": "no such feed"}}
LangQuery = Annotated[Literal["fi", "sv", "en"], Query(description="language of titles and descriptions")]


def _context(request: Request, lang: str, on: date) -> FeedContext:
    settings = request.app.state.settings
    organizer = Organizer(settings.feed_organizer_name, settings.feed_organizer_email)
    query = f"?{request.url.query}" if request.url.query else ""
    source = f"{settings.public_url.rstrip('/')}{request.url.path}{query}"
    return FeedContext(lang, on, settings.public_url, organizer, source)  # type: ignore[arg-type]


def _not_modified(request: Request, etag: str, changed: datetime | None) -> bool:
    wanted = request.headers.get("if-none-match")
    if wanted is not None:
        return etag in {tag.strip() for tag in wanted.split(",")} or wanted.strip() == "*"
    since = request.headers.get("if-modified-since")
    if since and changed is not None:
        try:
            return changed.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _answer(request: Request, db: Session, key: str, build: Callable[[], bytes], private: bool = False) -> Response:
    """The feed, or 304 when the caller's copy is current; the ETag comes from the data, not the bytes."""
    version, changed = feed_version(db)
    etag = '"' + hashlib.sha256(f"{version}|{key}".encode()).hexdigest()[:32] + '"'
    minutes = request.app.state.settings.feed_refresh_minutes
    headers = {"ETag": etag, "Cache-Control": f"{'private' if private else 'public'}, max-age={minutes * 60}"}
    if changed is not None:
        headers["Last-Modified"] = format_datetime(changed, usegmt=True)
    if _not_modified(request, etag, changed):
        return Response(status_code=304, headers=headers)
    try:
        body = build()
    except LookupError as error:
        raise NotFound(str(error).strip("'\"")) from None
    return Response(body, media_type=CALENDAR, headers=headers)


@router.get("/offering.ics", response_class=Response, responses=FEED)
def offering_calendar(
    request: Request, db: SessionDep, on: Annotated[date, Depends(today)],
    municipality: Text100 | None = None, hub: Ref | None = None,
    language: Annotated[Literal["fi", "sv"] | None, Query(description="the groups' language")] = None,
    theme: Text100 | None = None,
    audience: Annotated[Text100 | None, Query(description="groups for this audience, and those open to all")] = None,
    lang: LangQuery = "fi",
) -> Response:
    """The whole offering as a calendar, narrowed by the offering's filters."""
    where = OfferingFilter(municipality=municipality, hub=hub, language=language, theme=theme, audience=audience)
    key = f"offering|{municipality}|{hub}|{language}|{theme}|{audience}|{lang}|{on}"
    return _answer(request, db, key, lambda: offering_feed(db, _context(request, lang, on), where))


@router.get("/hubs/{hub_id}.ics", response_class=Response, responses={**FEED, **NOT_FOUND})
def hub_calendar(hub_id: Ref, request: Request, db: SessionDep, on: Annotated[date, Depends(today)],
                 lang: LangQuery = "fi") -> Response:
    """The groups that meet at one hub."""
    return _answer(request, db, f"hub|{hub_id}|{lang}|{on}",
                   lambda: one_hub_feed(db, hub_id, _context(request, lang, on)))


@router.get("/groups/{group_id}.ics", response_class=Response, responses={**FEED, **NOT_FOUND})
def group_calendar(group_id: Ref, request: Request, db: SessionDep, on: Annotated[date, Depends(today)],
                   lang: LangQuery = "fi") -> Response:
    """One group's term: to add to a client's calendar."""
    return _answer(request, db, f"group|{group_id}|{lang}|{on}",
                   lambda: one_group_feed(db, group_id, _context(request, lang, on)))


@router.get("/staff/{token}.ics", response_class=Response, responses={**FEED, **NOT_FOUND})
def staff_calendar(token: Annotated[str, Path(max_length=200)], request: Request, db: SessionDep,
                   on: Annotated[date, Depends(today)], lang: LangQuery = "fi") -> Response:
    """The sessions one staff member leads, and no one else's; the token is the secret in the URL."""
    staff_id = feed_staff(db, token)
    if staff_id is None:
        raise NotFound("no such staff feed (the link may have been renewed or revoked: ask your coordinator)")
    return _answer(request, db, f"staff|{staff_id}|{lang}|{on}",
                   lambda: staff_feed(db, staff_id, _context(request, lang, on)), private=True)


class FeedTokenOut(BaseModel):
    """A staff member's new feed address: shown once (only a hash of the token is kept)."""

    staff_id: str
    url: str
    webcal: str


@router.post("/staff/{staff_id}/token", status_code=201, response_model=FeedTokenOut,
             responses={**NOT_FOUND, **ERRORS})
def renew_staff_feed(staff_id: Ref, request: Request, caller: Coordinator, db: SessionDep) -> FeedTokenOut:
    """Make (or renew) a staff member's feed address; an earlier address stops working at once."""
    try:
        token = renew_feed_token(db, staff_id, actor=caller.actor)
    except TokenError as error:
        raise NotFound(str(error)) from None
    db.commit()
    url = feed_url(request.app.state.settings.public_url, f"staff/{token}.ics")
    return FeedTokenOut(staff_id=staff_id, url=url, webcal=webcal_url(url))


@router.delete("/staff/{staff_id}/token", status_code=204, response_class=Response, responses={**NOT_FOUND, **ERRORS})
def revoke_staff_feed(staff_id: Ref, caller: Coordinator, db: SessionDep) -> Response:
    """Revoke a staff member's feed address: it answers 404 from now on."""
    try:
        revoke_feed_token(db, staff_id, actor=caller.actor)
    except TokenError as error:
        raise NotFound(str(error)) from None
    db.commit()
    return Response(status_code=204)
