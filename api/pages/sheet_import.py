"""Importing spreadsheets from a page: upload, look at the preview, then store (or let go).

Coordinators only. The upload is read and checked by the same service as `tarjotin import`
(`scheduler.services.sheets.imports`): every fault at once, by sheet, row and column, and nothing
stored. A valid upload is kept (`scheduler.services.sheets.uploads`) until the coordinator says
store; it is then checked again against the database as it is by then, and stored only if still
valid. Records that the database holds and the file does not are listed, never deleted.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from api.deps import ClockDep, SessionDep
from api.pages.context import CoordinatorPage, Page, PageError, PageForm
from api.pages.errors import PAGE_TAG
from api.pages.i18n import N_
from api.pages.render import render
from scheduler.i18n import NC_
from scheduler.services.sheets.columns import SHEETS
from scheduler.services.sheets.imports import SheetImport, import_sheets, preview_sheets
from scheduler.services.sheets.uploads import drop_upload, keep_upload, kept_upload

__all__ = ["router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

Token = Annotated[str, Path(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
SHEET_NAMES = {sheet.kind: sheet.label for sheet in SHEETS}
OUTCOMES = (
    ("created", NC_("import", "new")),
    ("updated", NC_("import", "changed")),
    ("unchanged", NC_("import", "unchanged")),
    ("missing", NC_("import", "not in the file")),
)
"""The preview's columns: what storing would do to each kind of record, and what the file leaves out."""


def _import_page(page: Page, status: int = 200, **context: object) -> Response:
    megabytes = page.request.app.state.settings.max_upload_bytes // (1024 * 1024)
    return render(
        page, "week/import.html", status=status, sheets=SHEET_NAMES, outcomes=OUTCOMES, upload_mb=megabytes, **context
    )


@router.get("/week/import")
def import_page(page: CoordinatorPage) -> Response:
    """The upload form, with the templates to fill in."""
    return _import_page(page)


def _uploaded(form: FormData) -> list[tuple[str, bytes]]:
    """The uploaded files (name, content); the form has them spooled already, so reading them does not wait."""
    return [
        (item.filename, item.file.read())
        for item in form.getlist("files")
        if isinstance(item, UploadFile) and item.filename
    ]


@router.post("/week/import")
def upload(page: CoordinatorPage, form: PageForm, db: SessionDep, clock: ClockDep) -> Response:
    """Read the uploaded files and show what storing them would do, or every fault in them; nothing is stored."""
    files = _uploaded(form)
    if not files:
        problem = page.t(N_("Choose one or more files to upload: an .xlsx workbook or .csv files."))
        return _import_page(page, 422, problems=[problem])
    preview = preview_sheets(db, files, lang=page.lang.code, today=clock.today())
    token = None
    if preview.ok:
        token = keep_upload(db, files, page.caller.actor, clock.now())
        db.commit()
    return _preview_page(page, preview, files, token)


def _preview_page(
    page: Page, preview: SheetImport, files: list[tuple[str, bytes]], token: str | None, status: int | None = None
) -> Response:
    return _import_page(
        page,
        status if status is not None else (200 if preview.ok else 422),
        preview=preview,
        faults=preview.fault_texts(page.lang.code),
        notes=preview.note_texts(page.lang.code),
        names=[name for name, _ in files],
        token=token,
    )


def _kept(db: Session, page: Page, token: str, clock: ClockDep) -> list[tuple[str, bytes]]:
    files = kept_upload(db, token, page.caller.actor, clock.now())
    if files is None:
        raise PageError(
            404,
            N_("This upload is no longer waiting: it was stored, let go or is over a day old. Upload the files again."),
        )
    return files


@router.post("/week/import/{token}")
def store(page: CoordinatorPage, form: PageForm, db: SessionDep, clock: ClockDep, token: Token) -> Response:
    """Store a previewed upload: checked again against the database as it is now, stored only if still valid."""
    files = _kept(db, page, token, clock)
    preview, counts = import_sheets(db, files, page.caller.actor, lang=page.lang.code, today=clock.today())
    if counts is None:  # the database changed since the preview: the files no longer fit it
        drop_upload(db, token)
        db.commit()
        return _preview_page(page, preview, files, None, 409)
    drop_upload(db, token)
    db.commit()
    return _import_page(
        page,
        stored=counts,
        preview=preview,
        names=[name for name, _ in files],
        notes=preview.note_texts(page.lang.code),
    )


@router.post("/week/import/{token}/drop")
def let_go(page: CoordinatorPage, form: PageForm, db: SessionDep, clock: ClockDep, token: Token) -> Response:
    """Let a previewed upload go without storing it."""
    _kept(db, page, token, clock)
    drop_upload(db, token)
    db.commit()
    return _import_page(page, dropped=True)
