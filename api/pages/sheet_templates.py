"""The import templates as downloads for coordinators: `/sheets/template.xlsx?lang=fi` (sv, en).

Each is the workbook `scheduler.services.sheets.template` makes, in the language asked for (the
page's language when none is asked for). A language the product does not speak is a 422 page
naming the `lang` parameter.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.pages.context import CoordinatorPage, PageError
from api.pages.errors import PAGE_TAG
from api.pages.i18n import LANGS, N_
from scheduler.services.sheets.template import MEDIA_TYPE, file_name, template_workbook

__all__ = ["TEMPLATE_PATH", "router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

TEMPLATE_PATH = "/sheets/template.xlsx"
LangQuery = Annotated[str | None, Query(max_length=20, description="the template's language: fi, sv or en")]


@router.get(TEMPLATE_PATH)
def template_download(page: CoordinatorPage, lang: LangQuery = None) -> Response:
    """The import template, an .xlsx workbook, in the language asked for (else the page's)."""
    code = page.lang.code if lang is None else lang.strip().lower()
    if code not in LANGS:
        raise PageError(
            422,
            N_("The parameter lang is %(code)s: the template is made in fi, sv or en only."),
            code=repr(lang),
        )
    return Response(
        template_workbook(code),
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{file_name(code)}"'},
    )
