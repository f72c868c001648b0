"""Signing in to the pages with a bearer token (from `tarjotin token create`), and out again.

The token is checked against the token store and starts a sign-in kept by the server
(`scheduler.storage.sign_in_sessions`); the browser's HttpOnly, SameSite=Lax cookie holds
only the sign-in's random id, never the token, so scripts cannot read it and other sites'
forms do not carry it. A sign-in ends after `sign_in_idle_minutes` without a request, after
`sign_in_max_hours` in all, when its token is revoked, and at sign-out, on the server: a copy
of the cookie stops working too.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import ClockDep, SessionDep
from api.pages.context import SESSION_COOKIE, PageDep, PageForm
from api.pages.errors import PAGE_TAG
from api.pages.i18n import N_
from api.pages.render import cookie_path, render, see_other
from scheduler.storage.sign_in_sessions import end_sign_in, purge_sign_ins, start_sign_in
from scheduler.storage.tokens import expired, find_token, lookup_token

__all__ = ["router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

Next = Annotated[str, Query(max_length=500, description="where to go after signing in")]


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never another host): an open redirect would help phishing. A path of the
    application, without the root path (the redirect adds it)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/signin", "/signout")) or "\\" in target:
        return "/"
    return target


@router.get("/signin")
def signin_form(page: PageDep, next: Next = "/") -> Response:  # noqa: A002 - the parameter's public name
    return render(page, "signin.html", next=_safe_next(next))


@router.post("/signin")
def signin(page: PageDep, form: PageForm, db: SessionDep, clock: ClockDep) -> Response:
    token = str(form.get("token") or "").strip()
    target = _safe_next(str(form.get("next") or "/"))
    now = clock.now()
    row = find_token(db, token, now) if token else None
    found = lookup_token(db, token) if token and row is None else None
    expired_token = found is not None and found.revoked_at is None and expired(found, now)
    if (
        row is None
        or row.role not in ("coordinator", "counsellor", "staff")
        or (row.role == "staff" and not row.staff_id)
    ):
        message = (
            N_("Paste your token in the field.")
            if not token
            else N_("This staff token belongs to no staff member; ask a coordinator for a leader's token.")
            if row is not None
            else N_("That token has expired. Ask a coordinator for a new one.")
            if expired_token
            else N_("That token is not valid: it is mistyped, or it has been revoked.")
        )
        return render(page, "signin.html", status=401 if token else 422, next=target, error=page.t(message))
    lifetime = timedelta(hours=page.request.app.state.settings.sign_in_max_hours)
    previous = page.request.cookies.get(SESSION_COOKIE)
    if previous:
        end_sign_in(db, previous[:100], now)  # signing in again ends the browser's earlier sign-in
    purge_sign_ins(db, now)  # ended sign-ins are not kept
    session_id = start_sign_in(db, row, now, lifetime)
    db.commit()
    if row.role == "staff" and target == "/":
        target = "/my/sessions"  # where a leader lands: their sessions
    response = see_other(page.request, target)
    response.set_cookie(  # Secure behind https: uvicorn reads the scheme from a trusted proxy's X-Forwarded-Proto
        SESSION_COOKIE,
        session_id,
        max_age=int(lifetime.total_seconds()),
        path=cookie_path(page.request),
        httponly=True,
        samesite="lax",
        secure=page.request.url.scheme == "https",
    )
    return response


@router.get("/signout")
def signout_form(page: PageDep) -> Response:
    return render(page, "signout.html")


@router.post("/signout")
def signout(page: PageDep, _: PageForm, db: SessionDep, clock: ClockDep) -> Response:
    """Sign out: the sign-in ends on the server (a copy of the cookie no longer works), and the cookie goes."""
    session_id = page.request.cookies.get(SESSION_COOKIE)
    if session_id:
        end_sign_in(db, session_id[:100], clock.now())
        db.commit()
    response = see_other(page.request, "/")
    response.delete_cookie(
        SESSION_COOKIE, path=cookie_path(page.request), secure=page.request.url.scheme == "https", httponly=True
    )
    return response
