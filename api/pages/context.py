"""What every page handler depends on: the language, who is signed in, and the form token.

`PageDep` is the page's context for anyone; `CounsellorPage` and `CoordinatorPage` also
require a signed-in role (anonymous callers are sent to `/signin`, a wrong role gets a
403 page). `PageForm` reads a POSTed form and refuses it unless its `csrf` field matches
the browser's form cookie (double submit), so another site cannot post on a user's behalf.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import FormData

from api.deps import Caller, get_clock
from api.links import app_path, root_path
from api.pages.i18n import DEFAULT, N_, Lang, lang_for
from scheduler.storage.sign_in_sessions import find_sign_in

__all__ = [
    "CSRF_COOKIE",
    "LANG_COOKIE",
    "SESSION_COOKIE",
    "CoordinatorPage",
    "CounsellorPage",
    "Page",
    "PageDep",
    "PageError",
    "PageForm",
    "SignInNeeded",
    "local_path",
    "page_context",
    "page_for",
]

LANG_COOKIE = "lang"
SESSION_COOKIE = "tarjotin_session"
CSRF_COOKIE = "tarjotin_csrf"


class PageError(Exception):
    """A page that cannot be shown: its status and a message (a msgid, translated when rendered)."""

    def __init__(self, status: int, message: str, **values: str) -> None:
        super().__init__(message)
        self.status, self.message, self.values = status, message, values


class SignInNeeded(Exception):
    """The page needs a signed-in role: the browser goes to /signin and comes back to `next`."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


@dataclass
class Page:
    """A page request: its language, its caller, its form token and notices to show on top."""

    request: Request
    lang: Lang
    caller: Caller
    csrf: str
    new_csrf: bool = False
    remember_lang: bool = False
    stale_session: bool = False
    """The sign-in has ended (signed out elsewhere, idle or too old, its token revoked or expired):
    the page says so once and the cookie is dropped."""
    notices: list[str] = field(default_factory=list)
    """Messages already in the page's language."""

    @property
    def root(self) -> str:
        """The prefix every link on the page starts with: the service's root path (`''`, or e.g. `/tarjotin`
        behind a proxy); templates write `href="{{ root }}/find"`."""
        return root_path(self.request)

    @property
    def here(self) -> str:
        """This page's path in the application (without the root path), safe to link to (see `local_path`)."""
        return local_path(app_path(self.request))

    def switch_url(self, code: str) -> str:
        """This page's path in another language (its other parameters kept), always on this site; without the
        root path, like `here`."""
        url = self.request.url.include_query_params(lang=code)
        return f"{self.here}?{url.query}"

    def t(self, message: str, **values: object) -> str:
        return self.lang.gettext(message, **values)


def local_path(path: str) -> str:
    """A path as a link that stays on this site, whatever was asked for: one leading slash (a browser reads
    `//evil.example/` as another host), and a backslash, space or control character escaped (a browser reads
    `/\\evil.example` as `//evil.example` and drops tabs and newlines)."""
    return "/" + quote(path, safe="/%:@!$&'()*+,;=-._~").lstrip("/")


def _language(request: Request, asked: str | None) -> tuple[Lang, bool, str | None]:
    """The page's language: `?lang=` (to remember), else the cookie, else the best of fi, sv and en for the
    browser's Accept-Language, else Finnish; a bad code says so."""
    remembered = (
        lang_for(request.cookies.get(LANG_COOKIE))
        or Lang.negotiate(request.headers.get("accept-language"))
        or Lang(DEFAULT)
    )
    if asked is None:
        return remembered, False, None
    chosen = lang_for(asked.strip().lower())
    if chosen is None:
        return remembered, False, N_("The language %(code)s is not available; choose suomi, svenska or English.")
    return chosen, chosen.code != request.cookies.get(LANG_COOKIE), None


def _idle(request: Request) -> timedelta:
    """How long a sign-in lasts without a request (the `sign_in_idle_minutes` setting)."""
    return timedelta(minutes=request.app.state.settings.sign_in_idle_minutes)


def _caller(db: Session | None, request: Request) -> tuple[Caller, bool]:
    """Who is signed in by the session cookie; False when the cookie's sign-in has ended."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id or db is None:
        return Caller(), True
    signed_in = find_sign_in(db, session_id[:100], get_clock(request).now(), _idle(request))
    if signed_in is None:
        return Caller(), False
    if signed_in.touched:
        db.commit()  # only the sign-in's last use, written at most once a minute
    return Caller.of(signed_in.token), True


def page_context(request: Request, db: Session | None = None, asked: str | None = None) -> Page:
    """A page's context from the request alone (error pages use it without a database)."""
    lang, remember, problem = _language(request, asked)
    caller, valid = _caller(db, request)
    csrf = request.cookies.get(CSRF_COOKIE) or ""
    page = Page(
        request,
        lang,
        caller,
        csrf or secrets.token_urlsafe(24),
        new_csrf=not csrf,
        remember_lang=remember,
        stale_session=not valid,
    )
    if problem:
        page.notices.append(lang.gettext(problem, code=repr(asked)))
    if not valid:
        page.notices.append(lang.gettext(N_("Your sign-in has ended. Sign in again to reserve seats.")))
    return page


async def _page(
    request: Request, lang: Annotated[str | None, Query(description="page language: fi, sv or en")] = None
) -> Page:
    """The page's context; a database session (in a worker thread) only for a sign-in cookie to look up."""
    if request.cookies.get(SESSION_COOKIE):
        return await run_in_threadpool(_signed_in_page, request, lang)
    return page_context(request, None, lang)


def _signed_in_page(request: Request, lang: str | None) -> Page:
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as db:
        return page_context(request, db, lang)


PageDep = Annotated[Page, Depends(_page)]

FOR_ROLES = {
    ("coordinator",): N_("This page is for coordinators. Sign in with a coordinator's token."),
    ("coordinator", "counsellor"): N_("This page is for counsellors and coordinators."),
    ("staff",): N_("This page is for group leaders. Sign in with a staff token."),
}


def page_for(*roles: str) -> Callable[[Page], Page]:
    """A page dependency letting only the given roles in: others sign in first or get a 403 page."""

    def guard(page: PageDep) -> Page:
        if page.caller.role is None:
            url = page.request.url
            raise SignInNeeded(app_path(page.request) + (f"?{url.query}" if url.query else ""))
        if page.caller.role not in roles:
            raise PageError(403, FOR_ROLES.get(roles, N_("Your role may not open this page.")))
        return page

    return guard


CounsellorPage = Annotated[Page, Depends(page_for("coordinator", "counsellor"))]
CoordinatorPage = Annotated[Page, Depends(page_for("coordinator"))]


async def _form(request: Request, page: PageDep) -> FormData:
    form = await request.form()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not page.csrf or page.new_csrf or not secrets.compare_digest(sent, page.csrf):
        raise PageError(403, N_("The form had expired or came from elsewhere. Reload the page and try again."))
    return form


PageForm = Annotated[FormData, Depends(_form)]
