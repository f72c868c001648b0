"""Partners' and third-sector activities: public to read, a coordinator's to enter, change, delete and import
from CSV; and their own calendar feed, `/partners.ics` (docs/partners.md).

Every activity answers marked `partner: true`: the county does not plan them, and they never enter a
planning problem, the plan's metrics or the county's figures.
"""

from __future__ import annotations

from datetime import date
from email.utils import format_datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from pydantic import BaseModel

from api.conditional import etag_of, not_modified
from api.deps import Coordinator, SessionDep, today
from api.errors import ERRORS
from api.problems import problem
from api.routers.calendars import CALENDAR, FEED, FEED_LANGS, LangQuery, _context
from api.routers.resources_types import Ref, Text100
from api.schemas import Page
from scheduler.contract import Day, Language
from scheduler.contract.partner import PartnerActivityOut, PartnerFields, PartnerId
from scheduler.i18n import DEFAULT, negotiate
from scheduler.services.partner_csv import import_partners
from scheduler.services.partner_feed import partners_feed
from scheduler.services.partners import (
    PartnerFilter,
    delete_partner,
    get_partner,
    list_partners,
    partners_version,
    save_partner,
)

__all__ = ["router"]

router = APIRouter(tags=["partners"])

NOT_FOUND: dict[int | str, dict[str, object]] = {404: problem("no such partner activity")}
CSV_BODY = Body(
    media_type="text/csv",
    description="the CSV file: a header row of field names, one activity a row (docs/partners.md)",
    examples=[
        "id,organisation,name,municipality,place,day,start,end,languages,theme,contact\n"
        "spr-lohja-ystava,SPR Lohja,Ystävätoiminta,Lohja,Kauppakatu 1,tue,13:00,15:00,fi;sv,peer,lohja@spr.fi\n"
    ],
)


class ImportOut(BaseModel):
    """What the import did, by activity id: importing the same file again leaves every id unchanged."""

    created: list[str]
    updated: list[str]
    unchanged: list[str]


@router.get("/partners", response_model=Page[PartnerActivityOut])
def partners(
    db: SessionDep,
    on: Annotated[date, Depends(today)],
    municipality: Text100 | None = None,
    language: Language | None = None,
    theme: Text100 | None = None,
    day: Day | None = None,
    ended: Annotated[bool, Query(description="also activities whose last date has passed")] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page[PartnerActivityOut]:
    """Partners' and third-sector activities (public), by municipality, weekday and time; filters narrow them."""
    where = PartnerFilter(municipality, language, theme, day, None if ended else on)
    found = list_partners(db, where)
    return Page(items=found[offset : offset + limit], total=len(found), limit=limit, offset=offset)


@router.get("/partners.ics", response_class=Response, responses=FEED)
def partners_calendar(request: Request, db: SessionDep, lang: LangQuery = None) -> Response:
    """The activities as a calendar: one weekly event each, marked as a partner's activity."""
    chosen = lang or FEED_LANGS[negotiate(request.headers.get("accept-language")) or DEFAULT]
    on = request.app.state.clock.today()
    version, changed = partners_version(db)
    etag = etag_of(version, chosen, on)
    minutes = request.app.state.settings.feed_refresh_minutes
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={minutes * 60}"}
    if lang is None:
        headers["Vary"] = "Accept-Language"
    if changed is not None:
        headers["Last-Modified"] = format_datetime(changed, usegmt=True)
    if not_modified(request, etag, changed):
        return Response(status_code=304, headers=headers)
    body = partners_feed(db, _context(request, chosen, on), minutes)
    return Response(body, media_type=CALENDAR, headers=headers)


@router.get("/partners/{partner_id}", response_model=PartnerActivityOut, responses=NOT_FOUND)
def partner(partner_id: Ref, db: SessionDep) -> PartnerActivityOut:
    """One partner activity (public)."""
    return get_partner(db, partner_id)


@router.put(
    "/partners/{partner_id}",
    response_model=PartnerActivityOut,
    responses={201: {"description": "created", "model": PartnerActivityOut}, **ERRORS},
)
def put_partner(
    partner_id: PartnerId, body: PartnerFields, response: Response, caller: Coordinator, db: SessionDep
) -> PartnerActivityOut:
    """Enter or replace an activity (201 when new): the same body again changes nothing; a change to what its
    calendar event shows bumps its `sequence`."""
    saved, outcome = save_partner(db, partner_id, body, actor=caller.actor)
    db.commit()
    if outcome == "created":
        response.status_code = 201
    return saved


@router.delete("/partners/{partner_id}", status_code=204, response_class=Response, responses={**NOT_FOUND, **ERRORS})
def remove_partner(partner_id: Ref, caller: Coordinator, db: SessionDep) -> Response:
    """Delete an activity: it leaves the list, the pages and the calendar."""
    delete_partner(db, partner_id, actor=caller.actor)
    db.commit()
    return Response(status_code=204)


@router.post("/partners/import", response_model=ImportOut, responses=ERRORS)
def import_csv(
    caller: Coordinator,
    db: SessionDep,
    text: Annotated[str, CSV_BODY],
) -> ImportOut:
    """Import activities from CSV text (`Content-Type: text/csv`): every fault is answered at once, named by row
    and column (`rows[3].day`, the header being row 1), and nothing is stored unless the whole file is valid.
    Rows are saved by id, so the same file imported twice changes nothing."""
    result = import_partners(db, text, actor=caller.actor)
    db.commit()
    return ImportOut(created=result.created, updated=result.updated, unchanged=result.unchanged)
