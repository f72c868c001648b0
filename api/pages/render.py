"""Rendering a page: the Jinja2 environment with gettext, and the response with its cookies; redirects.

Links in templates start with `{{ root }}` (the service's root path, see `api.links`), and the cookies'
path is that root: behind a proxy at https://host/tarjotin/ they are `/tarjotin/...` and `Path=/tarjotin`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, cast

from babel.numbers import format_decimal, format_percent
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.requests import HTTPConnection

from api.links import root_path, under_root
from api.pages import labels
from api.pages.context import CSRF_COOKIE, LANG_COOKIE, SESSION_COOKIE, Page
from api.pages.i18n import LANG_NAMES, N_, Lang
from api.pages.shape import size_rows

__all__ = [
    "ENV",
    "NAV",
    "NavItem",
    "cookie_path",
    "message_callables",
    "page_html",
    "page_response",
    "render",
    "see_other",
]


@dataclass(frozen=True)
class NavItem:
    """A link of the main navigation, shown to the given roles (None: to everyone)."""

    path: str
    label: str
    roles: tuple[str, ...] | None = None
    section: str = ""
    """The `nav` a template sets to mark this link as the current page."""


NAV: list[NavItem] = [
    NavItem("/", N_("Offering"), None, "offering"),
    NavItem("/find", N_("Find a group"), ("coordinator", "counsellor"), "find"),
    NavItem("/my/clients", N_("My clients"), ("counsellor",), "my-clients"),
    NavItem("/my/offers", N_("Offers"), ("coordinator", "counsellor"), "offers"),
    NavItem("/my/sessions", N_("My sessions"), ("staff",), "my-sessions"),
    NavItem("/my/notices", N_("Notices"), ("counsellor", "staff"), "notices"),
    NavItem("/week", N_("Week"), ("coordinator",), "week"),
    NavItem("/planning", N_("Planning"), ("coordinator",), "planning"),
    NavItem("/reports/county", N_("Figures"), ("coordinator",), "figures"),
]
"""The main navigation; page families add their links here."""


class _I18nEnvironment(Protocol):
    """What the `jinja2.ext.i18n` extension adds to its environment at run time (unknown to the type checker)."""

    def install_null_translations(self, newstyle: bool | None = None) -> None: ...


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
YEAR = 365 * 24 * 3600

ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
# Compiled as newstyle gettext; each render passes its language's callables.
cast(_I18nEnvironment, ENV).install_null_translations(newstyle=True)
ENV.globals.update(labels=labels, NAV=NAV, LANG_NAMES=LANG_NAMES, size_rows=size_rows)
ENV.filters.update(  # codes in the page's language: {{ codes | map("theme_label") | join(", ") }}
    language_label=pass_context(lambda context, code: labels.language_name(code, context["t"])),
    theme_label=pass_context(lambda context, code: labels.label(labels.THEMES, code, context["t"])),
    # figures in the page's language: {{ 4.25 | decimal }} is 4,3 in Finnish; {{ 0.4 | percent }} 40 %
    decimal=pass_context(lambda context, value: format_decimal(value, format="#,##0.0", locale=context["t"].code)),
    percent=pass_context(lambda context, share: format_percent(share, locale=context["t"].code)),
)


def message_callables(lang: Lang) -> dict[str, Any]:
    """`gettext`, `ngettext` and `_` in the language for a template, escaping the values put into messages."""

    @pass_context
    def gettext(context: Context, message: str, **values: Any) -> str:
        text = lang.translations.gettext(message)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % values if values else text

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, **values: Any) -> str:
        text = lang.translations.ngettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % {"num": num, **values}

    return {"gettext": gettext, "_": gettext, "ngettext": ngettext}


def cookie_path(request: HTTPConnection) -> str:
    """The path the pages' cookies are sent for: the service's root path (`/` without one)."""
    return root_path(request) or "/"


def see_other(request: HTTPConnection, path: str) -> RedirectResponse:
    """A 303 redirect to a path of the application (`/planning/3`), under the service's root path."""
    return RedirectResponse(under_root(request, path), status_code=303)


def render(page: Page, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The template rendered for the page's language and caller, with the language and form cookies set."""
    return page_response(page, page_html(page, template, **context), status)


def page_html(page: Page, template: str, **context: Any) -> str:
    """The template rendered for the page's language and caller."""
    return ENV.get_template(template).render(
        page=page, t=page.lang, root=page.root, **message_callables(page.lang), **context
    )


def page_response(
    page: Page, html: str | bytes, status: int = 200, headers: dict[str, str] | None = None
) -> HTMLResponse:
    """A page's answer with the language and form cookies it sets (an answer that sets one is private)."""
    response = HTMLResponse(html, status_code=status, headers={"Vary": "Accept-Language, Cookie", **(headers or {})})
    secure = page.request.url.scheme == "https"
    path = cookie_path(page.request)
    if page.remember_lang:
        response.set_cookie(LANG_COOKIE, page.lang.code, max_age=YEAR, path=path, samesite="lax", secure=secure)
    if page.stale_session:
        response.delete_cookie(SESSION_COOKIE, path=path, secure=secure, httponly=True)
    if page.new_csrf:
        response.set_cookie(CSRF_COOKIE, page.csrf, path=path, httponly=True, samesite="strict", secure=secure)
    if "set-cookie" in response.headers and "cache-control" in response.headers:
        response.headers["Cache-Control"] = "private, no-cache"  # a proxy never keeps one visitor's cookie
    return response
