"""Sheets of rows as an .xlsx workbook (openpyxl): a bold, frozen header row, column widths to fit.

A cell is a plain value (text, a whole or decimal number, a date, a time, or nothing) or a `Styled`
value with a number format of its own (a share shown as a percentage). Numbers stay numbers, dates
and times are stored as dates and times with a readable format, so a spreadsheet can sum and sort
them. Sheet names are cut to Excel's 31 characters and cleared of the characters it refuses.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

__all__ = ["CONTENT_TYPE", "Cell", "Sheet", "Styled", "sheet_title", "workbook_bytes"]

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIME_FORMAT = "hh:mm"
DECIMAL_FORMAT = "0.0"
MIN_WIDTH, MAX_WIDTH = 6, 60
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Styled:
    """A value with its own number format, e.g. a share 0.4 shown as 40 % (`"0%"`)."""

    value: int | float | None
    number_format: str


Cell = str | int | float | date | time | Styled | None


@dataclass
class Sheet:
    """One sheet: its name, its header row and its rows, each as long as the header."""

    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def sheet_title(name: str) -> str:
    """A name Excel takes for a sheet: no `[]:*?/\\`, at most 31 characters."""
    return FORBIDDEN.sub("-", name).strip("'")[:31] or "-"


def _shown(value: Cell) -> str:
    """About how many characters the cell shows, for its column's width."""
    if isinstance(value, Styled):
        return "" if value.value is None else f"{value.value:.1f} %"
    if isinstance(value, time):
        return "00:00"
    if isinstance(value, date):
        return "00.00.0000"
    return "" if value is None else str(value)


def _widths(sheet: Sheet) -> list[float]:
    widths: list[float] = []
    for column, header in enumerate(sheet.headers):
        longest = max([len(header) + 2, *(len(_shown(row[column])) + 1 for row in sheet.rows)])
        widths.append(min(max(longest, MIN_WIDTH), MAX_WIDTH))
    return widths


def _cell(sheet: WriteOnlyWorksheet, value: Cell, date_format: str) -> XlCell:
    if isinstance(value, Styled):
        cell = WriteOnlyCell(sheet, value.value)
        cell.number_format = value.number_format
        return cell
    cell = WriteOnlyCell(sheet, value)  # type: ignore[arg-type]  # openpyxl takes dates and times; its stub says datetime
    if isinstance(value, time):
        cell.number_format = TIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = date_format
    elif isinstance(value, float):
        cell.number_format = DECIMAL_FORMAT
    return cell


def workbook_bytes(sheets: Sequence[Sheet], date_format: str = "yyyy-mm-dd") -> bytes:
    """The sheets as one .xlsx file (write-only mode: rows are streamed, never held as cell objects)."""
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        out = book.create_sheet(sheet_title(sheet.title))
        out.freeze_panes = "A2"
        for column, width in enumerate(_widths(sheet), start=1):
            out.column_dimensions[get_column_letter(column)].width = width
        header = []
        for text in sheet.headers:
            cell = WriteOnlyCell(out, text)
            cell.font = bold
            header.append(cell)
        out.append(header)
        for row in sheet.rows:
            out.append([_cell(out, value, date_format) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
