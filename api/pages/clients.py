"""Clients as the people responsible for them follow them: a counsellor's "my clients", the coordinator's list.

`/my/clients` (a counsellor) shows each of their own clients — attention first — with their
status, offers, seat, next session, next evaluation, decision end and §45 deadline, then the
shared queue; other counsellors' clients only as counts. `/week/clients` (a coordinator) lists
every client with their counsellor and the same dates, the §45 deadline flagged when past,
and can keep only those who need attention. Both read `scheduler.services.caseload`.
An alias shows only on the counsellor's own page, never on the coordinator's.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy import select

from api.deps import SessionDep, today
from api.pages.context import Page, page_for
from api.pages.errors import PAGE_TAG
from api.pages.i18n import N_
from api.pages.render import render
from scheduler.services.caseload import caseload, standings
from scheduler.storage.models import ClientRow, CounsellorRow

__all__ = ["ATTENTION", "STATUSES", "router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

Today = Annotated[date, Depends(today)]
CounsellorOnlyPage = Annotated[Page, Depends(page_for("counsellor"))]
CoordinatorOnlyPage = Annotated[Page, Depends(page_for("coordinator"))]

STATUSES = {
    "waiting": N_("waiting"),
    "offered": N_("offered a group"),
    "seated": N_("in a group"),
    "left": N_("left the service"),
}
ATTENTION = {
    "decision_overdue": N_("The §45 deadline has passed with no decision"),
    "decision_ends_soon": N_("The decision ends within four weeks"),
    "evaluation_due": N_("An evaluation is due"),
    "absences": N_("Absent without notice in a row"),
}


@router.get("/my/clients")
def my_clients_page(page: CounsellorOnlyPage, db: SessionDep, on: Today) -> Response:
    """The counsellor's own clients, those needing attention first, then the shared queue and the others' counts."""
    found = caseload(db, page.caller.handler, on)
    return render(
        page,
        "my_clients.html",
        nav="my-clients",
        on=on,
        attention=[s for s in found.mine if s.attention],
        rest=[s for s in found.mine if not s.attention],
        queue=found.queue,
        others=found.others,
        statuses=STATUSES,
        flags=ATTENTION,
    )


@router.get("/week/clients")
def clients_list_page(
    page: CoordinatorOnlyPage,
    db: SessionDep,
    on: Today,
    attention: Annotated[bool, Query(description="only clients who need attention")] = False,
) -> Response:
    """Every client in service with their counsellor, status, waiting time, §45 deadline and service dates."""
    clients = db.scalars(select(ClientRow).where(ClientRow.in_service.is_(True)).order_by(ClientRow.id))
    found = standings(db, clients, on)
    shown = [s for s in found if s.attention] if attention else found
    names = {c.id: c.name or c.id for c in db.scalars(select(CounsellorRow))}
    return render(
        page,
        "week/clients.html",
        on=on,
        clients=shown,
        total=len(found),
        needing=sum(1 for s in found if s.attention),
        only_attention=attention,
        counsellors=names,
        statuses=STATUSES,
        flags=ATTENTION,
    )
