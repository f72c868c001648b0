"""`tarjotin import` of spreadsheets: .xlsx and .csv files through the sheets' preview, stored only when faultless."""

from __future__ import annotations

from pathlib import Path

import typer

from api.cli.common import ExitCode, database, err, fail, out
from scheduler.services.sheets.imports import SheetImport, preview_sheets, store_sheets

__all__ = ["SHEET_SUFFIXES", "import_sheets"]

SHEET_SUFFIXES = (".xlsx", ".csv")


def import_sheets(paths: list[Path], check: bool, lang: str) -> None:
    """Preview the files; print what they change and every fault; store them unless `check` or a fault."""
    files = []
    for path in paths:
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as error:
            fail(f"cannot read {path}: {error.strerror or error}")
    with database() as session:
        preview = preview_sheets(session, files, lang=lang)
        show_preview(preview, lang)
        if not preview.ok:
            err.print(f"{len(preview.faults)} fault(s): nothing stored", highlight=False, markup=False)
            raise typer.Exit(ExitCode.CHECK_FAILED)
        if check:
            out.print("checked: nothing stored (--check)", highlight=False)
            session.rollback()
            return
        counts = store_sheets(session, preview, actor="cli")
    written = sum(n for kind, n in counts.items() if kind != "seats")
    out.print(f"stored: {written} records written", highlight=False)
    if counts.get("seats"):
        out.print(f"{counts['seats']} seats now end with their clients' decisions as imported", highlight=False)


def show_preview(preview: SheetImport, lang: str) -> None:
    """The preview as lines: per kind what changes, the ignored sheets, notes, then every fault."""
    for kind, numbers in preview.counts().items():
        said = ", ".join(f"{numbers[what]} {what}" for what in ("created", "updated", "unchanged", "missing"))
        out.print(f"{kind}: {said}", highlight=False, markup=False)
        if preview.missing[kind]:
            shown = ", ".join(preview.missing[kind][:10]) + (" …" if len(preview.missing[kind]) > 10 else "")
            out.print(f"  missing from the files (kept): {shown}", highlight=False, markup=False)
    for sheet in preview.ignored:
        out.print(f"ignored sheet: {sheet}", highlight=False, markup=False)
    for note in preview.note_texts(lang):
        out.print(note, highlight=False, markup=False)
    for line in preview.fault_texts(lang):
        err.print(line, highlight=False, markup=False)
