"""Sheets for the import tests and the benchmark: contract records written as rows, headers in a language,
and .xlsx, .csv and LibreOffice-saved files of them."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import uuid
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from scheduler.i18n import gettext
from scheduler.services.sheets.columns import SHEETS, Cell, Column, Sheet

__all__ = ["csv_bytes", "headers", "libreoffice", "record_rows", "sheet", "sheet_name", "xlsx_bytes"]


def sheet(kind: str) -> Sheet:
    return next(s for s in SHEETS if s.kind == kind)


def sheet_name(kind: str, lang: str) -> str:
    """The sheet's name in the language, as a template names it."""
    return gettext(lang, sheet(kind).label)


def headers(kind: str, lang: str, fields: list[str] | None = None) -> list[str]:
    """The headers of the kind's columns (or of `fields`) in the language."""
    columns = sheet(kind).columns if fields is None else [sheet(kind).column(f) for f in fields]
    return [gettext(lang, c.label) for c in columns]


def _value(record: dict[str, Any], field: str) -> Any:
    if field.startswith("home_"):
        return record["home"][field.removeprefix("home_")]
    if field.startswith("name_") and isinstance(record.get("name"), dict):
        return record["name"].get(field.removeprefix("name_"))
    return record.get(field)


def cell_text(column: Column, value: Any) -> Any:
    """A contract value as a person writes it in a cell (numbers stay numbers)."""
    if value is None:
        return None
    if column.cell is Cell.BOOL:
        return "yes" if value else "no"
    if column.cell in (Cell.CODES, Cell.LIST):
        return ", ".join(value)
    if column.cell is Cell.WINDOWS:
        return ", ".join(f"{w['day']} {w['start']}-{w['end']}" for w in value)
    if column.cell is Cell.PERIODS:
        return ", ".join(f"{p['start']}/{p['end']}" for p in value)
    return value


def record_rows(
    kind: str, records: list[dict[str, Any]], lang: str = "en", fields: list[str] | None = None
) -> list[list[Any]]:
    """A header row in the language and one row a record (contract dicts, as `Problem.dump()` has them)."""
    columns = sheet(kind).columns if fields is None else tuple(sheet(kind).column(f) for f in fields)
    rows: list[list[Any]] = [[gettext(lang, c.label) for c in columns]]
    for record in records:
        rows.append([cell_text(c, _value(record, c.field)) for c in columns])
    return rows


def xlsx_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    """A workbook of the sheets (title → rows), written by openpyxl."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        worksheet = book.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[Any]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    """A CSV file of the rows (None as an empty cell)."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return text.getvalue().encode(encoding)


def libreoffice(path: Path, to: str, work: Path) -> Path:
    """The file opened and saved again by LibreOffice Calc (headless) as `to` (xlsx, or csv)."""
    profile = work / f"lo-profile-{uuid.uuid4().hex}"
    out_dir = work / f"lo-out-{uuid.uuid4().hex}"
    out_dir.mkdir()
    target = "csv:Text - txt - csv (StarCalc):44,34,76" if to == "csv" else to
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(work)},
    )
    (converted,) = out_dir.iterdir()
    return converted
