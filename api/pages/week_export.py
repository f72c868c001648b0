"""The coordinator's week as an Excel workbook to download, `GET /week/export.xlsx`.

Coordinators only, as the week's pages. The workbook is in the pages' language (`?lang=`, else
the language cookie or the browser's); its county figures are for the period `from`–`to`
(this month so far unless asked), as on `/reports/county`. What it holds: `api.exports.week`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.deps import SessionDep, today
from api.exports import week as workbook
from api.exports.xlsx import CONTENT_TYPE
from api.pages.context import CoordinatorPage, PageError
from api.pages.errors import PAGE_TAG
from api.pages.reports import period_of

__all__ = ["router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

Today = Annotated[date, Depends(today)]


@router.get("/week/export.xlsx")
def week_workbook(
    page: CoordinatorPage,
    db: SessionDep,
    on: Today,
    start: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=40)] = None,
) -> Response:
    """The board, the staff timetables, the unplaced clients, the capacity and the county figures, a sheet each."""
    asked = period_of(start, end, on)
    if isinstance(asked, str):
        raise PageError(422, asked)
    name = workbook.workbook_name(on, page.lang)
    return Response(
        workbook.week_workbook(db, page.lang, on, asked),
        media_type=CONTENT_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Vary": "Accept-Language, Cookie",
            "Cache-Control": "no-store",  # the unplaced clients' ids: no browser or proxy cache keeps a copy
        },
    )
