"""The offering as pages: the home page's group cards with filters and the hub map, and a group's page.

Both read the same live offering the JSON API serves (`scheduler.offering`): free seats
are counted at the moment of the request, so a reservation shows on the next page.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy import select

from scheduler.domain import DAYS
from scheduler.offering import OfferedGroup, OfferingFilter, load_offering, select_offering
from scheduler.sessions import SessionDate, session_dates
from scheduler.storage.models import Closure, PlanningSettings

from ..deps import SessionDep, today
from . import labels
from .context import PageDep
from .errors import PAGE_TAG
from .hubmap import hub_map
from .i18n import N_, Lang
from .links import group_feed, webcal_url
from .render import render

__all__ = ["feeds", "router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

Filter = Annotated[str | None, Query(max_length=100)]
YES = ("1", "on", "true", "yes")


def feeds(page: PageDep, groups: list[OfferedGroup]) -> dict[str, tuple[str, str]]:
    """Each group's calendar links: (add to my calendar as .ics, subscribe by webcal)."""
    urls = {g.id: group_feed(page.request, g.id, page.lang.code) for g in groups}
    return {gid: (url, webcal_url(url)) for gid, url in urls.items()}


def _choices(groups: list[OfferedGroup], lang: Lang) -> dict[str, list[tuple[str, str]]]:
    """The values each filter can take in the offering as it is now, each with its name in the language."""
    def named(values: list[str], table: dict[str, str]) -> list[tuple[str, str]]:
        return sorted(((v, labels.label(table, v, lang)) for v in values), key=lambda pair: pair[1])

    return {
        "municipality": [(m, m) for m in sorted({g.place.municipality for g in groups if g.place})],
        "language": sorted(((c, labels.language_name(c, lang)) for c in {g.language for g in groups}),
                           key=lambda pair: pair[1]),
        "day": [(d, lang.weekday(d)) for d in DAYS if any(g.day == d for g in groups)],
        "theme": named(list({g.theme for g in groups}), labels.THEMES),
        "audience": named(list({g.audience for g in groups} - {"all"}), labels.AUDIENCES),
        "modality": [(m, labels.label(labels.MODALITIES, m, lang)) for m in ("in_person", "remote")
                     if any(g.modality == m for g in groups)],
    }


@router.get("/")
def offering_page(page: PageDep, db: SessionDep, on: Annotated[date, Depends(today)],
                  municipality: Filter = None, language: Filter = None, day: Filter = None, theme: Filter = None,
                  audience: Filter = None, modality: Filter = None, free: Filter = None) -> Response:
    """Group cards narrowed by the filter form (a GET form: works without JavaScript), and the hub map."""
    chosen = {"municipality": municipality or None, "language": language or None, "day": day or None,
              "theme": theme or None, "audience": audience or None, "modality": modality or None}
    free_only = (free or "").lower() in YES
    offered = load_offering(db, on)
    shown = select_offering(offered, OfferingFilter(free_only=free_only, **chosen))
    shown.sort(key=lambda g: (DAYS.index(g.day), g.start, g.id))
    return render(page, "offering.html", groups=shown, total=len(offered), chosen=chosen, free_only=free_only,
                  choices=_choices(offered, page.lang), feeds=feeds(page, shown), hubs=hub_map(offered, shown),
                  filtered=any(chosen.values()) or free_only)


def term_sessions(db: SessionDep, group: OfferedGroup) -> list[SessionDate]:
    """The term's dates of the group's weekday, each with why it is cancelled, if it is."""
    frame = db.get(PlanningSettings, 1)
    if frame is None:
        return []
    closures = {c.day: c.reason or "closed" for c in db.scalars(select(Closure))}
    return session_dates(group.day, frame.term_start, frame.term_weeks, closures, closures)


@router.get("/group/{group_id}")
def group_page(group_id: str, page: PageDep, db: SessionDep,
               on: Annotated[date, Depends(today)]) -> Response:
    """A group's page: where and when, free seats, leaders, and the term's sessions (cancelled ones struck)."""
    found = load_offering(db, on, only=group_id)
    if not found:
        return render(page, "error.html", status=404, status_code=404,
                      message=page.t(N_("There is no group %(id)s in the offering. It may have ended."),
                                     id=repr(group_id)))
    group = found[0]
    return render(page, "group.html", group=group, sessions=term_sessions(db, group), on=on,
                  feeds=feeds(page, [group]))
