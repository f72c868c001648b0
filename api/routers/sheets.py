"""Spreadsheets through the JSON API: what the import page does, for a county's own scripts (docs/sheets.md).

`POST /imports` takes the same files as the page and `tarjotin import` (an .xlsx workbook, or .csv
files named for what they hold) as `multipart/form-data` fields named `files`, checks them whole
against the database and stores them, or with `check=true` only says what storing would do.
Every fault is answered at once, named by sheet, row and column; nothing is stored unless all
the files are valid; the same files again change nothing; records the database holds and the
files do not are listed as `missing`, never deleted.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from pydantic import BaseModel, Field

from api.deps import ClockDep, Coordinator, SessionDep
from api.errors import ERRORS
from scheduler.contract.errors import FieldError, Invalid
from scheduler.i18n import negotiate
from scheduler.services.sheets.faults import Fault
from scheduler.services.sheets.imports import import_sheets, preview_sheets

__all__ = ["router"]

router = APIRouter(tags=["sheets"])


class KindOut(BaseModel):
    """One kind of record in the files: what storing does (did) to it, by id."""

    created: list[str]
    updated: list[str]
    unchanged: list[str]
    missing: list[str] = Field(description="ids the database holds and the files do not: kept, never deleted")


class SheetImportOut(BaseModel):
    """What importing the files does (with `check`: would do)."""

    stored: bool = Field(description="false when only checked (`check=true`)")
    kinds: dict[str, KindOut] = Field(description="by kind of record the files hold: hubs, rooms, staff, ...")
    ignored: list[str] = Field(description="sheets not read (named for nothing Tarjotin imports)")
    notes: list[str] = Field(description="what the import does beside the records, e.g. a planning frame made")


def _field(fault: Fault) -> str:
    """A fault's place as a path: `clients[14].languages` (the spreadsheet's row), or the file's name."""
    where = fault.sheet.kind if fault.sheet is not None else fault.sheet_name or fault.file or "files"
    if fault.row is not None:
        where += f"[{fault.row}]"
    return f"{where}.{fault.field}" if fault.field else where


@router.post("/imports", response_model=SheetImportOut, responses=ERRORS)
def post_imports(
    request: Request,
    caller: Coordinator,
    db: SessionDep,
    clock: ClockDep,
    files: Annotated[list[UploadFile], File(description="an .xlsx workbook, or .csv files named for their kind")],
    check: Annotated[bool, Query(description="only say what storing would do; store nothing")] = False,
) -> SheetImportOut:
    """Import clients, staff, hubs and rooms, group models and closures from spreadsheets: every fault at once by
    sheet, row and column (in the language of `Accept-Language`), nothing stored unless all is valid."""
    read = [(upload.filename or f"file-{n}", upload.file.read()) for n, upload in enumerate(files, start=1)]
    lang = negotiate(request.headers.get("accept-language")) or "en"
    if check:
        preview, stored = preview_sheets(db, read, lang=lang, today=clock.today()), None
    else:
        preview, stored = import_sheets(db, read, caller.actor, lang=lang, today=clock.today())
    if not preview.ok:
        texts = preview.fault_texts()
        errors = [FieldError(_field(fault), text) for fault, text in zip(preview.faults, texts, strict=True)]
        raise Invalid(f"{len(errors)} faults in the files; nothing was stored: {texts[0]}", errors)
    if stored is not None:
        db.commit()
    kinds = {
        kind: KindOut(
            created=preview.created[kind],
            updated=preview.updated[kind],
            unchanged=preview.unchanged[kind],
            missing=preview.missing[kind],
        )
        for kind in preview.kinds
    }
    return SheetImportOut(stored=not check, kinds=kinds, ignored=preview.ignored, notes=preview.note_texts())
