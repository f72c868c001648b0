"""Files as sheets of rows: .xlsx workbooks (every worksheet) and .csv files (one sheet each).

Which kind of record a sheet holds comes from its name in any language (an .xlsx sheet's title, a
.csv file's name: `clients.csv`, `asiakkaat.csv`, `Klienter.csv`) or, failing that, from its headers
(every required column of exactly one kind). A hidden sheet, or one that is neither (a template's
explanation sheet), is ignored and said to be. A CSV file is UTF-8 (a byte-order mark or none) or,
failing that, Windows-1252 as older Excel writes it; its delimiter is the one of `;`, `,` and tab
its header row has most of (Finnish Excel writes `;`, with decimal commas in the cells). Rows wholly
empty are skipped; a row keeps the spreadsheet's number, the header being row 1. A file that cannot
be read is a fault, never a traceback.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from scheduler.services.sheets.cells import show_value
from scheduler.services.sheets.columns import SHEETS, Sheet, column_named, sheet_named
from scheduler.services.sheets.faults import MESSAGES, Fault

__all__ = ["RawSheet", "kind_from_headers", "read_files"]

DELIMITERS = (";", ",", "\t")


@dataclass
class RawSheet:
    """One sheet of a file as it was read: its headers and its non-empty rows, or why it is not used."""

    file: str
    name: str
    """the sheet's title in a workbook, the file's name for a CSV file"""
    sheet: Sheet | None
    """the kind of record it holds; None: ignored (or a fault of the file)"""
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    """(row number, cells) of every row below the header that has a value"""
    faults: list[Fault] = field(default_factory=list)
    """faults of the file itself: an unknown type, unreadable, no known sheet"""


def read_files(files: list[tuple[str, bytes]]) -> list[RawSheet]:
    """Every sheet of every file (name, content), by the file's extension; faults of a file as a RawSheet's."""
    sheets: list[RawSheet] = []
    for name, content in files:
        suffix = PurePath(name).suffix.lower()
        if suffix == ".xlsx":
            read = _workbook(name, content)
        elif suffix == ".csv":
            read = [_csv(name, content)]
        else:
            read = [RawSheet(name, name, None, faults=[Fault(MESSAGES["file_type"], file=name)])]
        if not any(s.sheet is not None or s.faults for s in read):
            names = ", ".join(s.kind for s in SHEETS)
            read.append(RawSheet(name, name, None, faults=[Fault(MESSAGES["no_sheet"], {"sheets": names}, file=name)]))
        sheets += read
    return sheets


def kind_from_headers(headers: list[str]) -> Sheet | None:
    """The one kind of sheet whose required columns the headers all have (the most matches wins), or None."""
    best: list[tuple[int, Sheet]] = []
    for sheet in SHEETS:
        known = {c.field for h in headers if (c := column_named(sheet, h)) is not None}
        if all(c.field in known for c in sheet.columns if c.required):
            best.append((len(known), sheet))
    best.sort(key=lambda pair: -pair[0])
    if not best or (len(best) > 1 and best[0][0] == best[1][0]):
        return None
    return best[0][1]


def _unreadable(name: str, error: Exception) -> RawSheet:
    detail = str(error) or type(error).__name__
    return RawSheet(name, name, None, faults=[Fault(MESSAGES["unreadable"], {"detail": detail}, file=name)])


def _workbook(name: str, content: bytes) -> list[RawSheet]:
    from openpyxl import load_workbook  # a large import, only when a workbook comes

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - whatever a broken file makes openpyxl raise, it is a fault
        return [_unreadable(name, error)]
    sheets = []
    try:
        for worksheet in book.worksheets:
            title = worksheet.title
            if worksheet.sheet_state != "visible":
                sheets.append(RawSheet(name, title, None))
                continue
            worksheet.reset_dimensions()  # some writers state a wrong size; read what is there
            rows = [(number, list(values)) for number, values in enumerate(worksheet.iter_rows(values_only=True), 1)]
            sheets.append(_sheet(name, title, rows))
    except Exception as error:  # noqa: BLE001 - as above: a sheet openpyxl cannot read is a fault of the file
        return [_unreadable(name, error)]
    finally:
        book.close()
    return sheets


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _csv(name: str, content: bytes) -> RawSheet:
    text = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","
    try:
        rows = [(n, list(cells)) for n, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)]
    except csv.Error as error:
        return _unreadable(name, error)
    return _sheet(name, PurePath(name).stem, rows)


def _sheet(file: str, title: str, rows: list[tuple[int, list[Any]]]) -> RawSheet:
    """A sheet's rows as headers and the rows with a value; ignored when neither its name nor headers say what."""
    filled = [(number, cells) for number, cells in rows if any(_filled(c) for c in cells)]
    header = next((cells for number, cells in filled if number == 1), None)
    headers = [show_value(c).strip() if _filled(c) else "" for c in header] if header is not None else []
    while headers and not headers[-1]:
        headers.pop()
    kind = sheet_named(title) or (kind_from_headers(headers) if headers else None)
    if kind is None:
        return RawSheet(file, title, None)
    if not headers:
        fault = Fault(MESSAGES["no_header"], sheet=kind, sheet_name=title, row=1)
        return RawSheet(file, title, kind, faults=[fault])
    return RawSheet(file, title, kind, headers, [(n, cells) for n, cells in filled if n > 1])


def _filled(cell: Any) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())
