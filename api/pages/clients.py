"""Clients as the people responsible for them follow them: a counsellor's "my clients", the coordinator's list.

`/my/clients` (a counsellor) shows each of their own clients — attention first — with their
status, offers, seat, next session, next evaluation, decision end and §45 deadline, then the
shared queue; other counsellors' clients only as counts. `/week/clients` (a coordinator) lists
every client with their counsellor and the same dates, the §45 deadline flagged when past,
and can keep only those who need attention. Both read `scheduler.services.caseload`.
An alias shows only on the counsellor's own page, never on the coordinator's. A counsellor ends
their client's seat from their page with why and where the client goes next (a small form).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.deps import SessionDep, today
from api.pages.context import Page, PageForm, page_for
from api.pages.errors import PAGE_TAG
from api.pages.i18n import DEFAULT, LANGS, N_
from api.pages.render import render, see_other
from scheduler.contract.errors import Conflict, Invalid, NotFound
from scheduler.services.caseload import caseload, standings
from scheduler.services.ownership import check_handles
from scheduler.services.reservations import cancel_seat
from scheduler.services.trial_visits import trial_groups
from scheduler.storage.models import ClientRow, CounsellorRow

__all__ = ["ATTENTION", "STATUSES", "my_clients_view", "paper_langs", "router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

Today = Annotated[date, Depends(today)]
CounsellorOnlyPage = Annotated[Page, Depends(page_for("counsellor"))]
CoordinatorOnlyPage = Annotated[Page, Depends(page_for("coordinator"))]
Key = Annotated[str, Path(min_length=1, max_length=128)]
Ended = Annotated[str | None, Query(max_length=128)]
TrialDone = Annotated[str | None, Query(max_length=10, description="a trial visit action just done")]

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
    "trial_visited": N_("A trial visit is over: offer the group or let the visit end"),
}


def _my_clients(page: Page, db: Session, on: date, status: int = 200, **extra: Any) -> Response:
    found = caseload(db, page.caller.handler, on)
    return render(
        page,
        "my_clients.html",
        status=status,
        nav="my-clients",
        on=on,
        attention=[s for s in found.mine if s.attention],
        rest=[s for s in found.mine if not s.attention],
        queue=found.queue,
        others=found.others,
        statuses=STATUSES,
        flags=ATTENTION,
        trial_groups=trial_groups(db, on),
        paper_langs=paper_langs(db, [s.id for s in found.mine]),
        **extra,
    )


def paper_langs(db: Session, client_ids: list[str]) -> dict[str, str]:
    """The language of each client's offering PDF: the first of their languages the product speaks
    (fi, sv, en), else Finnish."""
    rows = db.execute(select(ClientRow.id, ClientRow.languages).where(ClientRow.id.in_(client_ids)))
    return {ident: next((code for code in languages or () if code in LANGS), DEFAULT) for ident, languages in rows}


my_clients_view = _my_clients
"""The page, shown again with a refusal by the page families acting on a client's card (`api.pages.trial_visits`)."""


@router.get("/my/clients")
def my_clients_page(
    page: CounsellorOnlyPage,
    db: SessionDep,
    on: Today,
    ended: Ended = None,
    trial: TrialDone = None,
    client: Ended = None,
) -> Response:
    """The counsellor's own clients, those needing attention first, then the shared queue and the others' counts."""
    return _my_clients(page, db, on, ended=ended, trial_done=client if trial else None, trial_action=trial)


@router.post("/my/clients/{client_id}/seats/{group_id}/end")
def end_seat_page(
    page: CounsellorOnlyPage, form: PageForm, db: SessionDep, on: Today, client_id: Key, group_id: Key
) -> Response:
    """End the client's seat with a reason and the next step (`DELETE /groups/{id}/enrollments/{client}`'s
    service); the client keeps waiting unless they leave the service."""
    reason = str(form.get("end_reason") or "") or None
    step = str(form.get("next_step") or "") or None
    try:
        if reason is None:
            raise Invalid.of("end_reason", "choose why the seat ends")
        check_handles(db, page.caller.handler, client_id)
        cancel_seat(db, group_id, client_id, page.caller.actor, on, reason, step, form.get("leave_service") == "yes")
    except Invalid as invalid:
        db.rollback()
        field = invalid.errors[0].field if invalid.errors else "end_reason"
        message = N_("Choose why the seat ends.") if field == "end_reason" else N_("Choose where the client goes next.")
        return _my_clients(page, db, on, 422, refused={"client": client_id, "message": page.t(message)})
    except (Conflict, NotFound) as refused:
        db.rollback()
        message = page.t(N_("The seat could not be ended: %(why)s"), why=refused.detail)
        return _my_clients(page, db, on, 409, refused={"client": client_id, "message": message})
    db.commit()
    return see_other(page.request, f"/my/clients?ended={quote(client_id)}#client-{quote(client_id)}")


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
