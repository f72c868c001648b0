"""Sheets for the import tests and the benchmark: contract records written as rows, headers in a language,
and .xlsx, .csv and LibreOffice-saved files of them."""

from __future__ import annotations

import io
import os
import subprocess
import uuid
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from scheduler.i18n import gettext
from scheduler.services.sheets.write import csv_bytes, record_rows, sheet

__all__ = ["csv_bytes", "headers", "libreoffice", "record_rows", "sheet", "sheet_name", "xlsx_bytes"]


def sheet_name(kind: str, lang: str) -> str:
    """The sheet's name in the language, as a template names it."""
    return gettext(lang, sheet(kind).label)


def headers(kind: str, lang: str, fields: list[str] | None = None) -> list[str]:
    """The headers of the kind's columns (or of `fields`) in the language."""
    columns = sheet(kind).columns if fields is None else [sheet(kind).column(f) for f in fields]
    return [gettext(lang, c.label) for c in columns]


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
