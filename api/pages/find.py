"""Finding a group for a client (counsellors and coordinators): recommendations with reasons, and reserving.

The recommendations are `scheduler.matching`'s, the seats `scheduler.storage.reservations`'
with an idempotency key per offered seat, exactly as the JSON API makes them: a double
click books once. After a reservation the browser is sent back to the client's page
(post/redirect/get), which shows the seat and the group's free seats now. A counsellor
picks among their own clients and the shared queue; another counsellor's client is refused
with a 403 page (`scheduler.services.ownership`).
"""

from __future__ import annotations

import json
import secrets
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.deps import SessionDep, today
from api.idempotency import key_for, run_once
from api.pages import labels
from api.pages.context import CounsellorPage, Page, PageError, PageForm
from api.pages.errors import PAGE_TAG
from api.pages.find_view import ProfileForm, home_points, read_profile, why_fits
from api.pages.i18n import N_
from api.pages.offering import feeds
from api.pages.render import render, see_other
from scheduler.contract.errors import Conflict, NotFound
from scheduler.services.admission import OpenGroup, new_joiners
from scheduler.services.matching import Profile, Recommendation, recommend
from scheduler.services.offering import load_offering
from scheduler.services.ownership import NotYourClient, check_handles, visible
from scheduler.services.partner_matching import partner_matches
from scheduler.services.reservations import (
    GroupFull,
    UnknownClient,
    Unsuitable,
    client_profile,
    client_seats,
    join_waitlist,
    recommend_for_client,
    reserve_seat,
    waiting,
)
from scheduler.storage.models import ClientRow

__all__ = ["router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

Ref = Annotated[str | None, Query(max_length=128)]
Today = Annotated[date, Depends(today)]
LIMIT = 6


def _results(page: Page, found: Recommendation, profile: Profile) -> dict[str, Any]:
    """What the template shows of a recommendation: options with why, full groups, or why none."""
    groups = [s.group for s in found.options + found.full]
    return {
        "options": [(s, why_fits(s, profile, page.lang), secrets.token_urlsafe(16)) for s in found.options],
        "full": [s.group for s in found.full],
        "feeds": feeds(page, groups),
        "reasons": [labels.label(labels.REASONS, r.code, page.lang) for r in found.reasons],
    }


def _handled(page: Page, db: Session, client_id: str) -> ClientRow | None:
    """The client (None: no such client), or a 403 page when they are another counsellor's."""
    try:
        return check_handles(db, page.caller.handler, client_id)
    except NotYourClient:
        raise PageError(403, N_("This client has another responsible counsellor. Ask them or a coordinator.")) from None


def _client_view(page: Page, db: Session, client_id: str, on: date) -> dict[str, Any]:
    """The chosen client, their profile and the groups that suit them now; or the ids that match a part."""
    client = _handled(page, db, client_id)
    if client is None:
        like = list(
            db.scalars(
                select(ClientRow.id)
                .where(ClientRow.id.contains(client_id), visible(page.caller.handler))
                .order_by(ClientRow.id)
                .limit(20)
            )
        )
        return {"matches": like, "asked": client_id}
    profile = client_profile(db, client)
    held = {s.group_id for s in client_seats(db, client.id)}
    return {
        "client": client,
        "profile": profile,
        "held": [g for g in load_offering(db, on) if g.id in held],
        "results": _results(page, recommend_for_client(db, client.id, on, LIMIT), profile),
        "partners": partner_matches(db, profile, on, LIMIT),
    }


def _find(
    page: Page,
    db: Session,
    on: date,
    client_id: str | None = None,
    status: int = 200,
    profile_form: ProfileForm | None = None,
    **extra: Any,
) -> Response:
    offered = load_offering(db, on)
    context: dict[str, Any] = {
        "client_ids": list(db.scalars(select(ClientRow.id).where(visible(page.caller.handler)).order_by(ClientRow.id))),
        "homes": home_points(offered),
        "form": profile_form or ProfileForm(),
        "themes": sorted(labels.THEMES, key=lambda c: labels.label(labels.THEMES, c, page.lang)),
    }
    if client_id:
        context |= _client_view(page, db, client_id.strip(), on)
    if profile_form is not None and profile_form.profile is not None:
        shut = new_joiners(db, on)
        found = recommend(profile_form.profile, shut.groups, [], LIMIT, shut.closed, shut.popups, shut.rooms)
        context["anonymous"] = _results(page, found, profile_form.profile)
        context["anonymous_partners"] = partner_matches(db, profile_form.profile, on, LIMIT)
    return render(page, "find.html", status=status, **context, **extra)


@router.get("/find")
def find_page(
    page: CounsellorPage, db: SessionDep, on: Today, client: Ref = None, reserved: Ref = None, queued: Ref = None
) -> Response:
    """Pick a client (or enter an anonymous profile) and see the groups that suit them."""
    done: dict[str, Any] | None = None  # the template's note on what was just done
    if client and (reserved or queued):
        group = load_offering(db, on, only=reserved or queued)
        if group and reserved:
            done = {"kind": "reserved", "group": group[0]}
        elif group and queued:
            queue = waiting(db, group[0].id)
            done = {
                "kind": "queued",
                "group": group[0],
                "position": queue.index(client) + 1 if client in queue else None,
            }
    return _find(page, db, on, client, done=done, done_feeds=feeds(page, [done["group"]]) if done else {})


@router.post("/find")
def find_for_profile(page: CounsellorPage, form: PageForm, db: SessionDep, on: Today) -> Response:
    """The groups that suit an anonymous profile (nothing is stored)."""
    entered = read_profile(form, home_points(load_offering(db, on)), page.lang)
    return _find(page, db, on, profile_form=entered, status=422 if entered.faults else 200)


def _refused(page: Page, db: Session, on: date, client_id: str, group_id: str, error: Exception) -> Response:
    """The client's page again, saying in words why no seat (or queue place) was given."""
    db.rollback()
    why: list[str] = []
    if isinstance(error, GroupFull):
        status, message = 409, N_("The group is full. You can put the client on its waiting list.")
    elif isinstance(error, Unsuitable):
        status, message = 409, N_("This group does not suit the client:")
        why = [labels.label(labels.REASONS, r.code, page.lang) for r in error.reasons]
    elif isinstance(error, OpenGroup):
        status, message = 409, N_("This is an open pop-up session: anyone may just come, no seat is needed.")
    elif isinstance(error, UnknownClient):
        status, message = 422, N_("There is no client with this id.")
    elif isinstance(error, NotFound):
        status, message = 404, N_("The group is no longer in the offering.")
    else:
        status, message = 409, N_("The client already has a seat in this group.")
    refused = {"group": group_id, "message": page.t(message), "why": why, "full": isinstance(error, GroupFull)}
    return _find(page, db, on, client_id, status=status, refused=refused)


def _seat_form(form: PageForm) -> tuple[str, str, str | None]:
    key = str(form.get("key") or "")[:200]
    return str(form.get("client") or "")[:128], str(form.get("group") or "")[:128], key or None


@router.post("/find/reserve")
def reserve_page(page: CounsellorPage, form: PageForm, db: SessionDep, on: Today) -> Response:
    """Reserve a seat for the client; a repeated click (same key) gets the first booking."""
    client_id, group_id, key = _seat_form(form)
    _handled(page, db, client_id)

    def work() -> dict[str, object]:
        seat = reserve_seat(db, group_id, client_id, page.caller.actor, on)
        return {"enrollment_id": seat.enrollment_id, "group_id": group_id, "free_seats": seat.free_seats}

    try:
        answer = run_once(
            db,
            key_for(page.request, page.caller, key),
            {"group": group_id, "client": client_id, "op": "reserve"},
            201,
            work,
        )
    except (NotFound, Conflict) as error:
        return _refused(page, db, on, client_id, group_id, error)
    assert json.loads(bytes(answer.body))["group_id"] == group_id
    return see_other(page.request, f"/find?{urlencode({'client': client_id, 'reserved': group_id})}")


@router.post("/find/waitlist")
def waitlist_page(page: CounsellorPage, form: PageForm, db: SessionDep, on: Today) -> Response:
    """Put the client on a full group's waiting list."""
    client_id, group_id, _ = _seat_form(form)
    _handled(page, db, client_id)
    try:
        join_waitlist(db, group_id, client_id, page.caller.actor, on)
    except (NotFound, Conflict) as error:
        return _refused(page, db, on, client_id, group_id, error)
    db.commit()
    return see_other(page.request, f"/find?{urlencode({'client': client_id, 'queued': group_id})}")
