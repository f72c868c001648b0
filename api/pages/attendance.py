"""A leader's attendance pages, for a phone and without JavaScript: `/my/sessions` and one session's form.

`/my/sessions` lists the signed-in staff member's groups (and the sessions they substitute), each with
its recent and coming sessions and how many participants are marked. `/my/sessions/{group}/{day}`
shows the session's participants by alias, each with three radio buttons (present, absent with
notice, absent without notice) and one submit: post, redirect, get, and a confirmation line. The
page calls `scheduler.services.attendance` as the JSON route does; a leader never sees a client id.
An open pop-up session has no participants: its page asks for a head count instead
(`scheduler.services.head_counts`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from api.deps import ClockDep, SessionDep, today
from api.pages.context import Page, PageError, PageForm, page_for
from api.pages.errors import PAGE_TAG
from api.pages.i18n import N_
from api.pages.render import render, see_other
from scheduler.contract.errors import Invalid, NotFound
from scheduler.contract.followup import ATTENDANCE_STATUSES
from scheduler.services.admission import group_admission
from scheduler.services.attendance import Mark, NotLeader, check_leads, mark_attendance, read_attendance, session_on
from scheduler.services.head_counts import read_head_count, record_head_count
from scheduler.services.led_sessions import led_sessions
from scheduler.storage.models import GroupModelRow, GroupRow

__all__ = ["router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

LeaderPage = Annotated[Page, Depends(page_for("staff"))]
Today = Annotated[date, Depends(today)]
GroupId = Annotated[str, Path(min_length=1, max_length=128)]
Saved = Annotated[bool, Query()]


@router.get("/my/sessions")
def my_sessions_page(page: LeaderPage, db: SessionDep, on: Today) -> Response:
    """The leader's groups with their recent and coming sessions, each linking to its attendance form."""
    if page.caller.staff_id is None:
        raise PageError(403, N_("This page is for group leaders. Sign in with a staff token."))
    return render(page, "my_sessions.html", nav="my-sessions", on=on, groups=led_sessions(db, page.caller.staff_id, on))


def _session_page(
    page: Page, db: Session, group_id: str, day: date, on: date, status: int = 200, **extra: Any
) -> Response:
    try:
        term = session_on(db, group_id, day)
        check_leads(db, group_id, term, page.caller.staff_id)
    except (Invalid, NotFound) as missing:
        raise PageError(404, N_("No such session of this group.")) from missing
    except NotLeader as other:
        raise PageError(403, N_("You do not lead this session.")) from other
    group = db.get(GroupRow, group_id)
    model = db.get(GroupModelRow, group.template_id) if group is not None else None
    title = dict(model.name) if model is not None else {}
    admission = group_admission(db, group_id)
    if admission is not None and admission.popup:
        counted = read_head_count(db, group_id, day)
        return render(
            page,
            "my_session.html",
            status=status,
            nav="my-sessions",
            on=on,
            found=counted,
            popup=True,
            group_name=title.get(page.lang.code) or title.get("fi") or group_id,
            markable=counted.term.held and counted.term.day <= on,
            **extra,
        )
    found = read_attendance(db, group_id, day)
    names, visitors = [], 0
    for n, p in enumerate(found.participants, start=1):
        visitors += p.trial  # a trial visitor of this session: "trial visitor N" without an alias
        label = N_("trial visitor %(n)s") if p.trial else N_("participant %(n)s")
        names.append(p.alias or page.t(label, n=visitors if p.trial else n))
    marked = [p.status for p in found.participants]
    return render(
        page,
        "my_session.html",
        status=status,
        nav="my-sessions",
        on=on,
        found=found,
        group_name=title.get(page.lang.code) or title.get("fi") or group_id,
        people=list(zip(names, found.participants, strict=True)),
        statuses=ATTENDANCE_STATUSES,
        markable=found.term.held and found.term.day <= on,
        counts={status: marked.count(status) for status in ATTENDANCE_STATUSES},
        **extra,
    )


@router.get("/my/sessions/{group_id}/{day}")
def session_page(
    page: LeaderPage, db: SessionDep, on: Today, group_id: GroupId, day: date, saved: Saved = False
) -> Response:
    """The session's participants by alias with a form to mark each; after saving, what was saved."""
    return _session_page(page, db, group_id, day, on, saved=saved)


@router.post("/my/sessions/{group_id}/{day}")
def mark_page(
    page: LeaderPage, form: PageForm, db: SessionDep, clock: ClockDep, on: Today, group_id: GroupId, day: date
) -> Response:
    """Save the marks chosen on the form (a pop-up's: its head count); a fault shows the form again saying what
    to fix."""
    admission = group_admission(db, group_id)
    if admission is not None and admission.popup:
        return _count_heads(page, form, db, clock, on, group_id, day)
    chosen: dict[int, str] = {}
    for key, value in form.multi_items():
        if key.startswith("seat-") and key[5:].isdigit() and isinstance(value, str):
            chosen[int(key[5:])] = value
    if not chosen:
        message = page.t(
            N_("Choose present, absent with notice or absent without notice for at least one participant.")
        )
        return _session_page(page, db, group_id, day, on, 422, errors=[message], chosen=chosen)
    _session_page(page, db, group_id, day, on)  # the same checks: a session of the group, and theirs
    marks = [Mark(status, seat=seat) for seat, status in chosen.items()]
    try:
        mark_attendance(db, group_id, day, marks, page.caller.actor, on, clock.now())
    except Invalid as invalid:
        db.rollback()
        return _session_page(page, db, group_id, day, on, 422, errors=_said(page, invalid), chosen=chosen)
    db.commit()
    return see_other(page.request, f"/my/sessions/{group_id}/{day.isoformat()}?saved=true")


def _count_heads(
    page: Page, form: PageForm, db: Session, clock: ClockDep, on: date, group_id: str, day: date
) -> Response:
    """Save a pop-up session's head count from the form; a fault shows the form again saying what to fix."""
    _session_page(page, db, group_id, day, on)  # the same checks: a session of the group, and theirs
    given = str(form.get("head_count") or "").strip()
    count = int(given) if given.isdigit() and len(given) <= 4 else None
    try:
        if count is None:
            raise Invalid.of("head_count", "not a whole number")
        record_head_count(db, group_id, day, count, page.caller.actor, on, clock.now())
    except Invalid as invalid:
        db.rollback()
        if any(f.field == "day" for f in invalid.errors):
            message = N_("This session cannot be counted: it is cancelled or not held yet.")
        else:
            message = N_("Give how many came as a whole number, at most the room's places.")
        return _session_page(page, db, group_id, day, on, 422, errors=[page.t(message)], given=given)
    db.commit()
    return see_other(page.request, f"/my/sessions/{group_id}/{day.isoformat()}?saved=true")


def _said(page: Page, invalid: Invalid) -> list[str]:
    """The service's faults in the page's language (one sentence per kind of fault)."""
    said = []
    for fault in invalid.errors:
        if fault.field == "day":
            message = N_("This session cannot be marked: it is cancelled or not held yet.")
        elif fault.field.endswith(".status"):
            message = N_("Choose present, absent with notice or absent without notice.")
        else:
            message = N_("Someone on the form has no seat in this session any more. Reload the page and mark again.")
        if page.t(message) not in said:
            said.append(page.t(message))
    return said
