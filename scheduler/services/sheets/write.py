"""Contract records written as a sheet's rows, as a person would fill them in, and as CSV.

The inverse of reading (`read`, `records`): a header row in a language (the catalogue's column
labels) and a row a record. A simulated season imports its weekly referrals this way
(`scheduler.services.simulation`), through the same import a coordinator uses; the tests and the
import benchmark build their files with it.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from scheduler.i18n import gettext
from scheduler.services.sheets.columns import SHEETS, Cell, Column, Sheet

__all__ = ["cell_text", "csv_bytes", "record_rows", "sheet"]


def sheet(kind: str) -> Sheet:
    """The sheet of a kind (`clients`, `staff`...)."""
    return next(s for s in SHEETS if s.kind == kind)


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


def csv_bytes(rows: list[list[Any]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    """A CSV file of the rows (None as an empty cell)."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return text.getvalue().encode(encoding)
