"""Rows as the contract's records: each sheet's cells read by their columns, every fault collected at once.

A row gives the fields of its columns only (a column the file leaves out keeps what the database
holds, `imports`). `home_lat` and `home_lon` become the client's `home`; `name_fi`, `name_sv` and
`name_en` a group model's `name`; a room keeps its `hub` beside its fields (the room goes into that
hub); a closure is its `day` and `reason`; a client's `decisions` are its periods. An empty cell of
an optional column clears the field (the contract's default); of a required one it is a fault, as
are unknown and repeated columns, a required column left out and an id given on two rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scheduler.i18n import Message
from scheduler.services.sheets.cells import Unfit, read_cell
from scheduler.services.sheets.columns import Column, Sheet, column_named
from scheduler.services.sheets.faults import MESSAGES, Fault
from scheduler.services.sheets.read import RawSheet

__all__ = ["Row", "SheetRecords", "sheet_records"]

NESTED = {"home_lat": ("home", "lat"), "home_lon": ("home", "lon")} | {
    f"name_{lang}": ("name", lang) for lang in ("fi", "sv", "en")
}
"""Columns that fill a part of a nested contract field."""


@dataclass
class Row:
    """One record read from a row: its key, its fields and where each came from."""

    raw: RawSheet
    number: int
    key: str
    data: dict[str, Any]
    """the contract fields the row gives (None: cleared), nested ones as dicts of their parts"""
    cells: dict[str, Any] = field(default_factory=dict)
    """each column's cell as the file has it, by the column's field"""
    headers: dict[str, str] = field(default_factory=dict)
    """each column's header as the file has it, by the column's field"""

    def fault(self, message: Message, column: Column | None = None, **values: str) -> Fault:
        """A fault at this row (and at a column of it)."""
        header = self.headers.get(column.field) if column is not None else None
        value = self.cells.get(column.field) if column is not None else None
        return Fault(message, values, self.raw.file, self.raw.sheet, self.raw.name, self.number, column, header, value)


@dataclass
class SheetRecords:
    """The records of one kind from every sheet of that kind in the files."""

    sheet: Sheet
    rows: list[Row] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    """the columns the files have (their fields)"""
    faults: list[Fault] = field(default_factory=list)


def sheet_records(sheet: Sheet, raws: list[RawSheet]) -> SheetRecords:
    """Every row of the sheets of one kind as records; every fault in them."""
    records = SheetRecords(sheet)
    first: dict[str, Row] = {}
    for raw in raws:
        columns = _columns(raw, records)
        for number, cells in raw.rows:
            row = _row(raw, number, cells, columns, records.faults)
            if row is None:
                continue
            if row.key in first:
                other = first[row.key]
                records.faults.append(row.fault(MESSAGES["duplicate"], sheet.key, row=str(other.number)))
                continue
            first[row.key] = row
            records.rows.append(row)
    return records


def _columns(raw: RawSheet, records: SheetRecords) -> list[tuple[int, Column]]:
    """The known columns of a sheet by their place; faults of unknown, repeated and missing columns."""
    sheet = records.sheet
    columns: list[tuple[int, Column]] = []
    seen: set[str] = set()
    for index, header in enumerate(raw.headers):
        if not header:
            continue
        column = column_named(sheet, header)
        if column is None:
            names = ", ".join(c.field for c in sheet.columns)
            records.faults.append(_at_header(raw, sheet, header, MESSAGES["unknown_column"], None, columns=names))
            continue
        if column.field in seen:
            records.faults.append(_at_header(raw, sheet, header, MESSAGES["twice"], column))
            continue
        seen.add(column.field)
        columns.append((index, column))
    for column in sheet.columns:
        if column.required and column.field not in seen:
            records.faults.append(
                Fault(MESSAGES["missing_column"], file=raw.file, sheet=sheet, sheet_name=raw.name, column=column)
            )
    records.fields |= seen
    return columns


def _at_header(
    raw: RawSheet, sheet: Sheet, header: str, message: Message, column: Column | None, **values: str
) -> Fault:
    return Fault(message, values, raw.file, sheet, raw.name, 1, column, header)


def _row(
    raw: RawSheet, number: int, cells: list[Any], columns: list[tuple[int, Column]], faults: list[Fault]
) -> Row | None:
    """A row's record, or None when its key is missing or unfit (its faults added)."""
    assert raw.sheet is not None
    row = Row(raw, number, "", {})
    for index, column in columns:
        row.cells[column.field] = cells[index] if index < len(cells) else None
        row.headers[column.field] = raw.headers[index]
    for _, column in columns:
        value = row.cells[column.field]
        try:
            read = read_cell(column, value)
        except Unfit as unfit:
            faults.append(row.fault(unfit.message, column, **unfit.values))
            continue
        if read is None and column.required:
            faults.append(row.fault(MESSAGES["required"], column))
            continue
        if column.field in NESTED:
            outer, part = NESTED[column.field]
            row.data.setdefault(outer, {})[part] = read
        else:
            row.data[column.field] = read
    key = row.data.get(raw.sheet.key.field)
    if key is None:
        return None
    row.key = str(key)
    return row
