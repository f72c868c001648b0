"""Partners' and third-sector activities as a public page: by municipality, a GET filter form (works without
JavaScript), each marked as a partner's activity with its organisation and contact, and the calendar feed.

The offering's home page shows the same activities in a section of their own (`offering_partners`), never
among the county's group cards nor in their count.
"""

from __future__ import annotations

from datetime import date
from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.deps import SessionDep, today
from api.links import webcal_url
from api.pages.context import Page, PageDep
from api.pages.errors import PAGE_TAG
from api.pages.render import render
from scheduler.contract import DAYS
from scheduler.contract.partner import PartnerActivityOut
from scheduler.services.offering import FeedLinks
from scheduler.services.partners import PartnerFilter, list_partners

__all__ = ["PATH", "partner_feed_links", "router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

PATH = "/partner-activities"
"""The page's address (`/partners` is the JSON list)."""
Filter = Annotated[str | None, Query(max_length=100)]


def partner_feed_links(page: Page) -> FeedLinks:
    """The partners' calendar in the page's language: `.ics` to add once, `webcal:` to subscribe."""
    url = f"{page.request.app.state.settings.public_url.rstrip('/')}/partners.ics?lang={page.lang.code}"
    return FeedLinks(ics=url, webcal=webcal_url(url))


@router.get(PATH)
def partners_page(
    page: PageDep,
    db: SessionDep,
    on: Annotated[date, Depends(today)],
    municipality: Filter = None,
    language: Filter = None,
    day: Filter = None,
) -> Response:
    """The activities that have not ended, grouped by municipality, narrowed by the form."""
    every = list_partners(db, PartnerFilter(on=on))
    chosen = {"municipality": municipality or None, "language": language or None, "day": day or None}
    shown = list_partners(db, PartnerFilter(chosen["municipality"], chosen["language"], None, chosen["day"], on))
    towns: list[tuple[str, list[PartnerActivityOut]]] = [
        (town, list(items)) for town, items in groupby(shown, key=lambda a: a.municipality)
    ]
    choices = {
        "municipality": [(m, m) for m in sorted({a.municipality for a in every})],
        "language": sorted(
            ((c, page.lang.language_name(c)) for c in {c for a in every for c in a.languages}), key=lambda p: p[1]
        ),
        "day": [(d, page.lang.weekday(d, alone=True)) for d in DAYS if any(a.day == d for a in every)],
    }
    return render(
        page,
        "partners.html",
        towns=towns,
        count=len(shown),
        total=len(every),
        chosen=chosen,
        choices=choices,
        filtered=any(chosen.values()),
        feed=partner_feed_links(page),
    )
