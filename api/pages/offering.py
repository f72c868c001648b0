"""The offering as pages: the home page's group cards with filters and the hub map, and a group's page.

Both read the same live offering the JSON API serves (`scheduler.offering`): free seats
are counted at the moment of the request, so a reservation shows on the next page.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, TypedDict
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from api.deps import SessionDep, today
from api.links import feed_links
from api.offering_answers import Asked, answer, kept_now
from api.pages import labels
from api.pages.context import Page, PageDep
from api.pages.errors import PAGE_TAG
from api.pages.hub_sections import hub_sections
from api.pages.hubmap import hub_map
from api.pages.i18n import N_, Lang
from api.pages.labels import session_note
from api.pages.render import page_html, page_response, render
from scheduler.contract import DAYS
from scheduler.services.kept_offering import KeptOffering
from scheduler.services.offering import FeedLinks, OfferedGroup, OfferingFilter, load_offering
from scheduler.services.partners import PartnerFilter, list_partners
from scheduler.services.term_sessions import group_sessions
from scheduler.storage.models import GroupRow

__all__ = ["OfferingQuery", "OfferingQueryDep", "feeds", "router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

FilterValue = Annotated[str | None, Field(max_length=100)]
YES = ("1", "on", "true", "yes")


class _Chosen(TypedDict):
    """What the filter form narrows the offering by, as the page shows it back; None means any."""

    municipality: str | None
    language: str | None
    day: str | None
    theme: str | None
    audience: str | None
    modality: str | None


class OfferingQuery(BaseModel):
    """The filter form's fields, as the offering page and its PDF (`api.pages.handout`) take them from the
    query (an empty value: any). A query model: FastAPI reads it in the event loop, where a class dependency
    would cost a worker thread's hop."""

    municipality: FilterValue = None
    language: FilterValue = None
    day: FilterValue = None
    theme: FilterValue = None
    audience: FilterValue = None
    modality: FilterValue = None
    free: FilterValue = None

    @property
    def chosen(self) -> _Chosen:
        return {
            "municipality": self.municipality or None,
            "language": self.language or None,
            "day": self.day or None,
            "theme": self.theme or None,
            "audience": self.audience or None,
            "modality": self.modality or None,
        }

    @property
    def free_only(self) -> bool:
        return (self.free or "").lower() in YES

    @property
    def where(self) -> OfferingFilter:
        return OfferingFilter(free_only=self.free_only, **self.chosen)


OfferingQueryDep = Annotated[OfferingQuery, Query()]


def feeds(page: Page, groups: list[OfferedGroup]) -> dict[str, FeedLinks]:
    """Each group's calendar feed in the page's language: `.ics` to add once, `.webcal` to subscribe."""
    public_url = page.request.app.state.settings.public_url
    return {g.id: feed_links(public_url, f"groups/{g.id}.ics", page.lang.code) for g in groups}


def _choices(groups: list[OfferedGroup], lang: Lang) -> dict[str, list[tuple[str, str]]]:
    """The values each filter can take in the offering as it is now, each with its name in the language."""

    def named(values: list[str], table: dict[str, str]) -> list[tuple[str, str]]:
        return sorted(((v, labels.label(table, v, lang)) for v in values), key=lambda pair: pair[1])

    return {
        "municipality": [(m, m) for m in sorted({g.place.municipality for g in groups if g.place})],
        "language": sorted(
            ((c, labels.language_name(c, lang)) for c in {g.language for g in groups}), key=lambda pair: pair[1]
        ),
        "day": [(d, lang.weekday(d, alone=True)) for d in DAYS if any(g.day == d for g in groups)],
        "theme": named(list({g.theme for g in groups}), labels.THEMES),
        "audience": named(list({g.audience for g in groups} - {"all"}), labels.AUDIENCES),
        "modality": [
            (m, labels.label(labels.MODALITIES, m, lang))
            for m in ("in_person", "remote", "hybrid")
            if any(g.modality == m for g in groups)
        ],
    }


@router.get("/")
async def offering_page(page: PageDep, on: Annotated[date, Depends(today)], query: OfferingQueryDep) -> Response:
    """Group cards narrowed by the filter form (a GET form: works without JavaScript), and the hub map.

    Made from the offering kept for its version (`api.offering_answers`): for the public (no sign-in, nothing
    to tell) the page has an ETag and is kept whole; for a signed-in caller it is made for them each time."""
    request = page.request

    def make(kept: KeptOffering, db: Session) -> tuple[bytes, str]:
        return _offering_html(page, kept, db, on, query).encode(), "text/html; charset=utf-8"

    if page.caller.role is None and not page.notices:
        asked = Asked("page", on, False, True, (page.lang.code, page.root, request.url.query))
        answered = await answer(request, asked, make, vary="Accept-Language, Cookie")
        passed = ("etag", "cache-control", "vary", "content-encoding")
        headers = {k: v for k, v in answered.headers.items() if k in passed}
        return page_response(page, bytes(answered.body), answered.status_code, headers)
    return await run_in_threadpool(_signed_in_page, page, on, query)


def _signed_in_page(page: Page, on: date, query: OfferingQuery) -> Response:
    """The page made for a signed-in caller (or with a notice to show), from the offering kept now."""
    kept = kept_now(page.request, on)
    factory: sessionmaker[Session] = page.request.app.state.sessions
    with factory() as db:
        return page_response(page, _offering_html(page, kept, db, on, query))


def _offering_html(page: Page, kept: KeptOffering, db: Session, on: date, query: OfferingQuery) -> str:
    chosen, free_only = query.chosen, query.free_only
    offered = list(kept.groups)
    shown = kept.select(query.where)
    shown.sort(key=lambda g: (DAYS.index(g.day), g.start, g.id))
    return page_html(
        page,
        "offering.html",
        groups=shown,
        total=len(offered),
        chosen=chosen,
        free_only=free_only,
        choices=_choices(offered, page.lang),
        feeds=feeds(page, shown),
        hubs=hub_map(offered, shown),
        sections=hub_sections(shown),
        pdf_url=_pdf_url(page, chosen, free_only),
        on=on,
        filtered=any(chosen.values()) or free_only,
        partners=list_partners(
            db, PartnerFilter(chosen["municipality"], chosen["language"], chosen["theme"], chosen["day"], on)
        ),
    )


def _pdf_url(page: Page, chosen: _Chosen, free_only: bool) -> str:
    """The offering PDF (`api.pages.handout`) of the groups the page shows, in the page's language."""
    query = {"lang": page.lang.code, **{k: v for k, v in chosen.items() if v}, **({"free": "1"} if free_only else {})}
    return f"/offering.pdf?{urlencode(query)}"


@router.get("/group/{group_id}")
def group_page(group_id: str, page: PageDep, db: SessionDep, on: Annotated[date, Depends(today)]) -> Response:
    """A group's page: where and when, free seats (a pop-up: just come), who may join and until when, the
    waiting list's length, leaders, and the group's own term's sessions (cancelled ones struck); a
    coordinator sees a pop-up's reach too."""
    found = load_offering(db, on, only=group_id, cancelled=True, coordinator=page.caller.role == "coordinator")
    if not found:
        return render(
            page,
            "error.html",
            status=404,
            status_code=404,
            message=page.t(N_("There is no group %(id)s in the offering. It may have ended."), id=repr(group_id)),
        )
    group = found[0]
    sessions = [(s, session_note(s, page.lang)) for s in group_sessions(db, group_id)]
    return render(
        page,
        "group.html",
        group=group,
        sessions=sessions,
        on=on,
        feeds=feeds(page, [group]),
        may_give_feedback=_leads(db, page, group_id),
    )


def _leads(db: Session, page: Page, group_id: str) -> bool:
    """Whether the signed-in caller gives the group's feedback: a coordinator, or one of its leaders."""
    if page.caller.role == "coordinator":
        return True
    row = db.get(GroupRow, group_id) if page.caller.role == "staff" else None
    return row is not None and page.caller.staff_id in row.leaders
