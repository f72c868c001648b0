"""The import template (`scheduler.services.sheets.template`) read back with openpyxl, in fi, sv and en.

Every name is compared with the catalogue (`scheduler.i18n.gettext` of the sheet's and column's
labels), never with a list written here; every value the template offers (the example row, the
drop-down lists) must read without fault through the importer's own cell reader.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.i18n import LANGS, N_, NC_, gettext
from scheduler.services.sheets.cells import read_cell
from scheduler.services.sheets.columns import CHOICES, SHEETS, Cell, Column, _fold, header_names, sheet_named
from scheduler.services.sheets.template import INSTRUCTIONS, LAST_ROW, file_name, template_workbook

LISTED = (Cell.CHOICE, Cell.BOOL)
"""The kinds of cell a drop-down list offers."""


def book(lang: str) -> Workbook:
    return load_workbook(io.BytesIO(template_workbook(lang)))


def validation_of(ws: Worksheet, index: int) -> list[DataValidation]:
    """The validations covering the column's cell in row 2."""
    cell = f"{get_column_letter(index)}2"
    return [v for v in ws.data_validations.dataValidation if cell in v.sqref]


def list_values(validation: DataValidation) -> list[str]:
    formula = validation.formula1
    assert formula is not None and formula.startswith('"') and formula.endswith('"'), formula
    return formula[1:-1].split(",")


@pytest.mark.parametrize("lang", LANGS)
def test_the_sheets_and_headers_are_the_catalogues_in_the_language(lang: str) -> None:
    wb = book(lang)
    assert wb.sheetnames == [gettext(lang, s.label) for s in SHEETS] + [gettext(lang, INSTRUCTIONS)]
    for sheet in SHEETS:
        ws = wb[gettext(lang, sheet.label)]
        headers = [cell.value for cell in ws[1]]
        assert headers == [gettext(lang, c.label) for c in sheet.columns]
        assert sheet_named(ws.title) is sheet  # the importer finds the sheet by its name
        known = header_names(sheet)
        assert [known[_fold(str(h))] for h in headers] == list(sheet.columns)  # and every column by its header
        assert all(ws.cell(row=1, column=i + 1).font.bold for i in range(len(headers)))
        assert ws.freeze_panes == "A2"


@pytest.mark.parametrize("lang", LANGS)
def test_required_headers_are_shaded_and_their_comments_say_required(lang: str) -> None:
    wb = book(lang)
    required, optional = (
        gettext(lang, N_("Required: fill in every row.")),
        gettext(lang, N_("Optional: may be left empty.")),
    )
    for sheet in SHEETS:
        ws = wb[gettext(lang, sheet.label)]
        fills: dict[bool, set[str]] = {c.required: set() for c in sheet.columns}
        for index, column in enumerate(sheet.columns, start=1):
            header = ws.cell(row=1, column=index)
            assert header.comment is not None
            note = header.comment.text
            assert gettext(lang, column.help) in note
            assert (required if column.required else optional) in note
            assert (optional if column.required else required) not in note
            fills[column.required].add(str(header.fill.fgColor.rgb))
        if True in fills and False in fills:
            assert fills[True].isdisjoint(fills[False]), sheet.kind  # the shade tells them apart too


@pytest.mark.parametrize("lang", LANGS)
def test_the_example_row_is_valid_input(lang: str) -> None:
    wb = book(lang)
    for sheet in SHEETS:
        ws = wb[gettext(lang, sheet.label)]
        for index, column in enumerate(sheet.columns, start=1):
            value = ws.cell(row=2, column=index).value
            assert read_cell(column, value) == read_cell(column, column.example), (sheet.kind, column.field, value)
            if value is None:
                continue
            if column.cell is Cell.INT:
                assert isinstance(value, int), (column.field, value)
            elif column.cell is Cell.FLOAT:
                assert isinstance(value, float), (column.field, value)
            elif column.cell is Cell.DATE:
                assert isinstance(value, dt.datetime), (column.field, value)
            elif column.cell in LISTED:
                assert value in _offered(column, lang), (column.field, value)


def _offered(column: Column, lang: str) -> list[str]:
    if column.cell is Cell.BOOL:
        return [gettext(lang, N_("yes")), gettext(lang, N_("no"))]
    assert column.choices is not None
    return [gettext(lang, choice.label) for choice in CHOICES[column.choices]]


def test_every_sheet_has_an_example_in_each_required_column() -> None:
    wb = book("fi")
    for sheet in SHEETS:
        ws = wb[gettext("fi", sheet.label)]
        for index, column in enumerate(sheet.columns, start=1):
            if column.required:
                assert ws.cell(row=2, column=index).value not in (None, ""), (sheet.kind, column.field)


@pytest.mark.parametrize("lang", LANGS)
def test_choice_and_yes_no_columns_offer_their_values_in_the_language(lang: str) -> None:
    wb = book(lang)
    for sheet in SHEETS:
        ws = wb[gettext(lang, sheet.label)]
        for index, column in enumerate(sheet.columns, start=1):
            found = validation_of(ws, index)
            if column.cell not in LISTED:
                assert all(v.type != "list" for v in found), column.field
                continue
            assert len(found) == 1, (sheet.kind, column.field)
            validation = found[0]
            letter = get_column_letter(index)
            assert validation.type == "list" and str(validation.sqref) == f"{letter}2:{letter}{LAST_ROW}"
            assert validation.showErrorMessage and validation.error and validation.errorStyle == "stop"
            values = list_values(validation)
            assert values == _offered(column, lang)
            read = [read_cell(column, value) for value in values]
            if column.cell is Cell.BOOL:
                assert read == [True, False]
            else:
                assert column.choices is not None
                assert read == [choice.code for choice in CHOICES[column.choices]]


@pytest.mark.parametrize("lang", LANGS)
def test_numbers_and_dates_are_checked_as_typed(lang: str) -> None:
    wb = book(lang)
    kinds = {Cell.INT: "whole", Cell.FLOAT: "decimal", Cell.DATE: "date"}
    for sheet in SHEETS:
        ws = wb[gettext(lang, sheet.label)]
        for index, column in enumerate(sheet.columns, start=1):
            if column.cell in kinds:
                found = validation_of(ws, index)
                assert [v.type for v in found] == [kinds[column.cell]], (sheet.kind, column.field)
                assert found[0].errorStyle == "warning" and found[0].error  # the import reads text too
                example = ws.cell(row=2, column=index).value
                if example is not None:  # the example passes its own check
                    assert _passes(found[0], example), (sheet.kind, column.field, example)


def _passes(validation: DataValidation, value: object) -> bool:
    """Whether a number or date passes a whole/decimal/date check as a spreadsheet applies it (on its day number)."""
    number = (value.date() - dt.date(1899, 12, 30)).days if isinstance(value, dt.datetime) else value
    assert isinstance(number, int | float), value
    low = float(validation.formula1 or "nan")
    if validation.operator == "greaterThanOrEqual":
        return number >= low
    assert validation.operator == "between", validation.operator
    return low <= number <= float(validation.formula2 or "nan")


def test_the_explaining_sheet_lists_every_column_of_every_sheet() -> None:
    for lang in LANGS:
        ws = book(lang)[gettext(lang, INSTRUCTIONS)]
        rows = [tuple(cell.value for cell in row) for row in ws.iter_rows(max_col=6)]
        heads = tuple(
            gettext(lang, NC_("template", h))
            for h in ("Sheet", "Column", "Required", "What it holds", "How it is written", "Example")
        )
        assert heads in rows
        table = rows[rows.index(heads) + 1 :]
        yes, no = gettext(lang, N_("yes")), gettext(lang, N_("no"))
        for sheet in SHEETS:
            for column in sheet.columns:
                named = [r for r in table if r[:2] == (gettext(lang, sheet.label), gettext(lang, column.label))]
                assert len(named) == 1, (lang, sheet.kind, column.field)
                _, _, required, holds, written, example = named[0]
                assert required == (yes if column.required else no)
                assert holds == gettext(lang, column.help)
                assert written  # how the column is written, in words
                if column.cell is Cell.CHOICE:  # its values named in the language
                    assert all(value in str(written) for value in _offered(column, lang)), written
                assert read_cell(column, example) == read_cell(column, column.example), (column.field, example)
        assert sum(len(s.columns) for s in SHEETS) == sum(1 for r in table if r[1])


def test_the_languages_differ_where_the_catalogue_translates() -> None:
    """Finnish is not English with another file name: the words come from the catalogues."""
    fi, en = book("fi"), book("en")
    assert fi.sheetnames[-1] != en.sheetnames[-1]
    assert file_name("fi") != file_name("en") and all(file_name(lang).endswith(".xlsx") for lang in LANGS)
    staff = SHEETS[2]
    column = staff.columns.index(staff.column("qualified")) + 1
    assert fi.worksheets[2].cell(row=2, column=column).value == gettext("fi", N_("yes")) != "yes"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="de"):
        template_workbook("de")
