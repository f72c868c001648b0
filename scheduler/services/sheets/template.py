"""The downloadable .xlsx template in one language: a sheet per kind of record, and a sheet explaining each column.

Each sheet of `columns.SHEETS` becomes a worksheet named in the language, in that order. Row 1
holds the headers in the language (bold, frozen); a required column's header is shaded, and its
comment says "required" beside what the column holds and how it is written, so the shade never
carries the meaning alone. Row 2 is an example row, each value written as its cell kind wants
it (numbers as numbers, dates as dates, a choice as its label and yes/no as the language's words),
so the example is itself valid input. Choice and yes/no columns offer their values as drop-down
lists and refuse others; whole numbers, decimals and dates are checked as they are typed, with a
warning only (the import also reads, say, a date typed as text: `4.1.2027`). The last sheet,
`INSTRUCTIONS`, explains every column of every sheet; the import reads only the sheets it knows.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.i18n import LANGS, N_, NC_, Lang, gettext
from scheduler.services.sheets.cells import EXPECTED, read_cell
from scheduler.services.sheets.columns import CHOICES, SHEETS, Cell, Column, Sheet

__all__ = [
    "FILE_NAME",
    "INSTRUCTIONS",
    "LAST_ROW",
    "MEDIA_TYPE",
    "NO",
    "YES",
    "choice_labels",
    "example_value",
    "expected",
    "file_name",
    "template_workbook",
]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LAST_ROW = 5000
"""The drop-down lists and checks reach down to this row."""
INSTRUCTIONS = NC_("sheet", "Instructions")
"""The explaining sheet's name (the import leaves a sheet of this name alone)."""
FILE_NAME = NC_("file", "tarjotin-template")
"""The template's file name without `.xlsx`, in the language (plain ASCII, for a download's header)."""
YES = N_("yes")
NO = N_("no")

TITLE = N_("Tarjotin import template")
GUIDANCE = (
    N_(
        "Fill in each sheet one record a row, below its headers. "
        "Row 2 of each sheet is an example: replace it or delete it before importing."
    ),
    N_(
        "Columns whose header is shaded are required: fill them in every row. The other columns may be left empty. "
        "The comment on each header says the same, what the column holds and how it is written."
    ),
    N_("Drop-down lists offer the allowed values; numbers and dates are checked as they are typed."),
    N_("This sheet only explains the others: the import does not read it."),
)
TABLE_HEADERS = (
    NC_("template", "Sheet"),
    NC_("template", "Column"),
    NC_("template", "Required"),
    NC_("template", "What it holds"),
    NC_("template", "How it is written"),
    NC_("template", "Example"),
)
REQUIRED_NOTE = N_("Required: fill in every row.")
OPTIONAL_NOTE = N_("Optional: may be left empty.")
NOT_ALLOWED = N_("Value not allowed")
CHECK_VALUE = N_("Check the value")

BOLD = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FFE699")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMATS = {"fi": "d.m.yyyy", "sv": "d.m.yyyy", "en": "yyyy-mm-dd"}
"""How a date column shows its dates: as written in Finland, and ISO in English (the reader takes both)."""
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
"""The dates a date column takes as typed."""
EPOCH = dt.date(1899, 12, 30)
COORDINATE_LIMIT = 180
"""A decimal column (every one holds a latitude or a longitude) takes values within ± this."""


def template_workbook(lang: str) -> bytes:
    """The import template in the language (fi, sv or en) as an .xlsx file; `ValueError` for another language."""
    if lang not in LANGS:
        raise ValueError(f"no template in {lang!r}: choose one of {', '.join(LANGS)}")
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]  # a new workbook always has its first sheet
    for sheet in SHEETS:
        _record_sheet(book.create_sheet(gettext(lang, sheet.label)), sheet, lang)
    _instructions(book.create_sheet(gettext(lang, INSTRUCTIONS)), lang)
    book.active = 0
    book.properties.creator = "Tarjotin"
    book.properties.title = gettext(lang, TITLE)
    book.properties.language = lang
    written = io.BytesIO()
    book.save(written)
    return written.getvalue()


def file_name(lang: str) -> str:
    """The download's file name in the language: `tarjotin-pohja.xlsx`."""
    return gettext(lang, FILE_NAME) + ".xlsx"


def choice_labels(column: Column, lang: str) -> list[str]:
    """The values a drop-down offers in the language: a choice's labels, or the language's yes and no."""
    if column.cell is Cell.BOOL:
        return [gettext(lang, YES), gettext(lang, NO)]
    assert column.choices is not None, column.field
    return [gettext(lang, choice.label) for choice in CHOICES[column.choices]]


def example_value(column: Column, lang: str) -> Any:
    """The column's example as its cell kind wants it in the language (None when the example is empty)."""
    value = read_cell(column, column.example)
    if value is None:
        return None
    if column.cell is Cell.BOOL:
        return gettext(lang, YES if value else NO)
    if column.cell is Cell.CHOICE:
        assert column.choices is not None
        return next(gettext(lang, c.label) for c in CHOICES[column.choices] if c.code == value)
    if column.cell in (Cell.CODES, Cell.LIST):
        return ", ".join(value)
    if column.cell is Cell.WINDOWS:
        days = Lang(lang)
        return ", ".join(f"{days.weekday(w['day'], 'abbreviated')} {w['start']}-{w['end']}" for w in value)
    if column.cell is Cell.PERIODS:
        return ", ".join(f"{p['start']}/{p['end']}" for p in value)
    return value  # text, a number or a date as itself


def _shown(value: Any, lang: str) -> str:
    """An example as the explaining sheet writes it."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return Lang(lang).short_date(value)
    return str(value)


def expected(column: Column, lang: str) -> str:
    """How the column is written, as a sentence in the language (a choice's values in the language)."""
    if column.cell is Cell.CHOICE:
        text = gettext(lang, EXPECTED[Cell.CHOICE], choices=", ".join(choice_labels(column, lang)))
    else:
        text = gettext(lang, EXPECTED[column.cell])
    return text[:1].upper() + text[1:]


def _record_sheet(ws: Worksheet, sheet: Sheet, lang: str) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        header = ws.cell(row=1, column=index, value=gettext(lang, column.label))
        header.font = BOLD
        header.fill = REQUIRED_FILL if column.required else HEADER_FILL
        note = "\n\n".join(
            (
                gettext(lang, column.help),
                gettext(lang, REQUIRED_NOTE if column.required else OPTIONAL_NOTE),
                expected(column, lang),
            )
        )
        header.comment = Comment(note, "Tarjotin", width=320, height=60 + 18 * (len(note) // 40 + 1))
        example = example_value(column, lang)
        cell = ws.cell(row=2, column=index, value=example)
        if column.cell is Cell.DATE:
            cell.number_format = DATE_FORMATS[lang]
            ws.column_dimensions[letter].number_format = DATE_FORMATS[lang]
        validation = _validation(column, lang)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            ws.add_data_validation(validation)
        widest = max(len(str(header.value)), len(_shown(example, lang)))
        ws.column_dimensions[letter].width = min(max(widest + 3, 12), 45)
    ws.freeze_panes = "A2"


def _validation(column: Column, lang: str) -> DataValidation | None:
    """The check a column's cells get as they are typed: a drop-down list, a whole number, a decimal or a date."""
    rules: dict[str, Any]
    if column.cell in (Cell.CHOICE, Cell.BOOL):
        labels = choice_labels(column, lang)
        assert not any("," in label or '"' in label for label in labels), labels
        rules = {"type": "list", "formula1": '"' + ",".join(labels) + '"'}
    elif column.cell is Cell.INT:
        rules = {"type": "whole", "operator": "greaterThanOrEqual", "formula1": "0"}
    elif column.cell is Cell.FLOAT:
        limits = {"formula1": str(-COORDINATE_LIMIT), "formula2": str(COORDINATE_LIMIT)}
        rules = {"type": "decimal", "operator": "between", **limits}
    elif column.cell is Cell.DATE:
        limits = {"formula1": str(_serial(FIRST_DAY)), "formula2": str(_serial(LAST_DAY))}
        rules = {"type": "date", "operator": "between", **limits}
    else:
        return None
    listed = rules["type"] == "list"
    return DataValidation(
        **rules,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if listed else "warning",
        errorTitle=gettext(lang, NOT_ALLOWED if listed else CHECK_VALUE)[:32],
        error=expected(column, lang)[:255],
    )


def _serial(day: dt.date) -> int:
    """A date as a spreadsheet's day number (days since 1899-12-30), as a date check's limits are written."""
    return (day - EPOCH).days


def _instructions(ws: Worksheet, lang: str) -> None:
    ws.cell(row=1, column=1, value=gettext(lang, TITLE)).font = Font(bold=True, size=14)
    row = 2
    for line in GUIDANCE:
        ws.cell(row=row, column=1, value=gettext(lang, line))
        row += 1
    row += 1
    for index, header in enumerate(TABLE_HEADERS, start=1):
        cell = ws.cell(row=row, column=index, value=gettext(lang, header))
        cell.font, cell.fill = BOLD, HEADER_FILL
    ws.freeze_panes = f"A{row + 1}"
    for sheet in SHEETS:
        row += 1
        ws.cell(row=row, column=1, value=gettext(lang, sheet.label)).font = BOLD
        ws.cell(row=row, column=4, value=gettext(lang, sheet.help)).alignment = WRAP
        for column in sheet.columns:
            row += 1
            values = (
                gettext(lang, sheet.label),
                gettext(lang, column.label),
                gettext(lang, YES if column.required else NO),
                gettext(lang, column.help),
                expected(column, lang),
                _shown(example_value(column, lang), lang),
            )
            for index, value in enumerate(values, start=1):
                ws.cell(row=row, column=index, value=value).alignment = WRAP
            if column.required:
                ws.cell(row=row, column=2).fill = REQUIRED_FILL
    for index, width in enumerate((18, 24, 12, 60, 50, 30), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
