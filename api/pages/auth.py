"""Signing in to the pages with a bearer token (from `tarjotin token create`), and out again.

The token is checked against the token store and kept in an HttpOnly, SameSite=Lax cookie,
so scripts cannot read it and other sites' forms do not carry it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse, Response

from api.deps import SessionDep
from api.pages.context import SESSION_COOKIE, PageDep, PageForm
from api.pages.errors import PAGE_TAG
from api.pages.i18n import N_
from api.pages.render import render
from scheduler.storage.tokens import find_token

__all__ = ["router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

WEEK = 7 * 24 * 3600
Next = Annotated[str, Query(max_length=500, description="where to go after signing in")]


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never another host): an open redirect would help phishing."""
    if not target or not target.startswith("/") or target.startswith(("//", "/signin", "/signout")) or "\\" in target:
        return "/"
    return target


@router.get("/signin")
def signin_form(page: PageDep, next: Next = "/") -> Response:  # noqa: A002 - the parameter's public name
    return render(page, "signin.html", next=_safe_next(next))


@router.post("/signin")
def signin(page: PageDep, form: PageForm, db: SessionDep) -> Response:
    token = str(form.get("token") or "").strip()
    target = _safe_next(str(form.get("next") or "/"))
    row = find_token(db, token) if token else None
    if row is None or row.role not in ("coordinator", "counsellor"):
        message = (N_("Paste your token in the field.") if not token else
                   N_("Staff tokens are for calendars only; sign in with a counsellor's or coordinator's token.")
                   if row is not None else N_("That token is not valid: it is mistyped, or it has been revoked."))
        return render(page, "signin.html", status=401 if token else 422, next=target, error=page.t(message))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=WEEK, httponly=True, samesite="lax",
                        secure=page.request.url.scheme == "https")
    return response


@router.get("/signout")
def signout_form(page: PageDep) -> Response:
    return render(page, "signout.html")


@router.post("/signout")
def signout(_: PageForm) -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
