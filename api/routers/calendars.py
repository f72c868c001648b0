"""Calendar feeds (iCalendar): the offering, a hub, a group and each staff member's own sessions.

Anyone may read the offering, hub and group feeds; a staff feed's URL holds a secret token
(made, renewed and revoked by a coordinator) because calendar programs send no bearer header.
Answers carry an ETag and Last-Modified computed from a cheap fingerprint of the data, so an
unchanged feed is answered 304 without rendering it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from email.utils import format_datetime
from typing import Annotated, Literal

from fastapi import APIRouter, FastAPI, Path, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from api.conditional import KeptAnswers, etag_of, kept_answers, reader, representation
from api.deps import Coordinator, SessionDep, get_clock
from api.errors import ERRORS
from api.links import app_path, feed_url, webcal_url
from api.problems import problem
from api.routers.resources_types import Ref, Text100
from calendars import Lang, Organizer
from scheduler.contract.errors import NotFound
from scheduler.i18n import DEFAULT, negotiate
from scheduler.services.feeds import FeedContext, feed_version, offering_feed, one_group_feed, one_hub_feed, staff_feed
from scheduler.services.offering import OfferingFilter
from scheduler.storage.feed_tokens import feed_staff, renew_feed_token, revoke_feed_token

__all__ = ["rendered_feeds", "router"]

router = APIRouter(prefix="/calendars", tags=["calendars"])

CALENDAR = "text/calendar; charset=utf-8"
FEED: dict[int | str, dict[str, object]] = {
    200: {"content": {"text/calendar": {"schema": {"type": "string"}}}, "description": "an iCalendar feed"},
    304: {"description": "not modified since the ETag given in If-None-Match"},
}
NOT_FOUND: dict[int | str, dict[str, object]] = {404: problem("no such feed")}
RENDERED_MAX = 64
FEED_LANGS: dict[str, Lang] = {"fi": "fi", "sv": "sv", "en": "en"}
"""The product's language codes as the feeds' languages."""


def rendered_feeds(app: FastAPI) -> KeptAnswers:
    """Feeds the application rendered lately, by ETag (the ETag names the data and the feed): a program
    that refetches an unchanged feed without If-None-Match gets the same bytes without a second rendering."""
    return kept_answers(app, "feeds", RENDERED_MAX)


LangQuery = Annotated[
    Literal["fi", "sv", "en"] | None,
    Query(
        description="language of titles and descriptions; without it, the best of fi, sv and en for the "
        "Accept-Language header, else fi"
    ),
]


def _context(request: Request, lang: Lang, on: date) -> FeedContext:
    settings = request.app.state.settings
    organizer = Organizer(settings.feed_organizer_name, settings.feed_organizer_email)
    query = f"?{request.url.query}" if request.url.query else ""
    source = f"{settings.public_url.rstrip('/')}{app_path(request)}{query}"  # public_url has the root path
    return FeedContext(lang, on, settings.public_url, organizer, source)


def _on(request: Request) -> date:
    """Today, on the application's clock as the `today` dependency reads it (tests give a fixed clock)."""
    return get_clock(request).today()


Build = Callable[[Session, FeedContext], bytes]


def _version(request: Request, token: str | None) -> tuple[str | None, str, datetime | None]:
    """The staff member a token belongs to (when the feed needs one) and the data's fingerprint."""
    with reader(request.app).connect() as db:
        staff_id = feed_staff(db, token) if token is not None else None
        if token is not None and staff_id is None:
            raise NotFound("no such staff feed (the link may have been renewed or revoked: ask your coordinator)")
        return (staff_id, *feed_version(db))


def _render(request: Request, build: Build, context: FeedContext) -> bytes:
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as db:
        return build(db, context)


def _answer(
    request: Request, key: str, asked: Lang | None, build: Callable[[str | None], Build], token: str | None = None
) -> Response:
    """The feed, or 304 when the caller's copy is current. The ETag comes from a fingerprint of the data
    (one indexed query of about a millisecond). Every route here is a plain `def`, run in a worker thread:
    a database that makes the fingerprint wait (SQLite locked by a writer) holds that request only, never
    the event loop and every other request with it. Without `?lang=` the language is the Accept-Language
    header's best."""
    lang = asked or FEED_LANGS[negotiate(request.headers.get("accept-language")) or DEFAULT]
    staff_id, version, changed = _version(request, token)
    on = _on(request)
    etag = etag_of(version, key, staff_id, lang, on)
    sent = representation(request, etag)
    minutes = request.app.state.settings.feed_refresh_minutes
    headers = {
        **sent.headers("" if asked is not None else "Accept-Language"),
        "Cache-Control": f"{'private' if token else 'public'}, max-age={minutes * 60}",
    }
    if changed is not None:
        headers["Last-Modified"] = format_datetime(changed, usegmt=True)
    if sent.current(request, changed):
        headers.pop("Content-Encoding", None)
        return Response(status_code=304, headers=headers)
    rendered = rendered_feeds(request.app)
    body = rendered.get(etag, sent.gzip)
    if body is None:
        rendered.put(etag, _render(request, build(staff_id), _context(request, lang, on)))
        body = rendered.get(etag, sent.gzip)
    return Response(body, media_type=CALENDAR, headers=headers)


@router.get("/offering.ics", response_class=Response, responses=FEED)
def offering_calendar(
    request: Request,
    municipality: Text100 | None = None,
    hub: Ref | None = None,
    language: Annotated[Literal["fi", "sv"] | None, Query(description="the groups' language")] = None,
    theme: Text100 | None = None,
    audience: Annotated[Text100 | None, Query(description="groups for this audience, and those open to all")] = None,
    lang: LangQuery = None,
) -> Response:
    """The whole offering as a calendar, narrowed by the offering's filters."""
    where = OfferingFilter(municipality=municipality, hub=hub, language=language, theme=theme, audience=audience)
    key = f"offering|{municipality}|{hub}|{language}|{theme}|{audience}"
    return _answer(request, key, lang, lambda _: lambda db, context: offering_feed(db, context, where))


@router.get("/hubs/{hub_id}.ics", response_class=Response, responses={**FEED, **NOT_FOUND})
def hub_calendar(hub_id: Ref, request: Request, lang: LangQuery = None) -> Response:
    """The groups that meet at one hub."""
    return _answer(request, f"hub|{hub_id}", lang, lambda _: lambda db, context: one_hub_feed(db, hub_id, context))


@router.get("/groups/{group_id}.ics", response_class=Response, responses={**FEED, **NOT_FOUND})
def group_calendar(group_id: Ref, request: Request, lang: LangQuery = None) -> Response:
    """One group's term: to add to a client's calendar."""
    return _answer(
        request, f"group|{group_id}", lang, lambda _: lambda db, context: one_group_feed(db, group_id, context)
    )


@router.get("/staff/{token}.ics", response_class=Response, responses={**FEED, **NOT_FOUND})
def staff_calendar(token: Annotated[str, Path(max_length=200)], request: Request, lang: LangQuery = None) -> Response:
    """The sessions one staff member leads, and no one else's; the token is the secret in the URL."""
    return _answer(
        request, "staff", lang, lambda staff_id: lambda db, context: staff_feed(db, str(staff_id), context), token=token
    )


class FeedTokenOut(BaseModel):
    """A staff member's new feed address: shown once (only a hash of the token is kept)."""

    staff_id: str
    url: str
    webcal: str


@router.post("/staff/{staff_id}/token", status_code=201, response_model=FeedTokenOut, responses={**NOT_FOUND, **ERRORS})
def renew_staff_feed(staff_id: Ref, request: Request, caller: Coordinator, db: SessionDep) -> FeedTokenOut:
    """Make (or renew) a staff member's feed address; an earlier address stops working at once."""
    token = renew_feed_token(db, staff_id, actor=caller.actor)
    db.commit()
    url = feed_url(request.app.state.settings.public_url, f"staff/{token}.ics")
    return FeedTokenOut(staff_id=staff_id, url=url, webcal=webcal_url(url))


@router.delete("/staff/{staff_id}/token", status_code=204, response_class=Response, responses={**NOT_FOUND, **ERRORS})
def revoke_staff_feed(staff_id: Ref, caller: Coordinator, db: SessionDep) -> Response:
    """Revoke a staff member's feed address: it answers 404 from now on."""
    revoke_feed_token(db, staff_id, actor=caller.actor)
    db.commit()
    return Response(status_code=204)
