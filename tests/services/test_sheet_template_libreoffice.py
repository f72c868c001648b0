"""The import template after LibreOffice: opened and saved again as .xlsx by headless Calc (`soffice`).

A coordinator may keep the template in LibreOffice. What it saves must still be the template:
the sheets and headers in the language, the header comments, the drop-down lists with the same
values, the number and date checks, and an example row the importer's cell reader takes. (Headless
LibreOffice does not keep frozen panes, having no view to keep them for, and writes a validation
only down to some rows below the last used one; neither is tested here.)

LibreOffice is required, never skipped: CI installs it with `make libreoffice`.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from scheduler.i18n import LANGS, N_, gettext
from scheduler.services.sheets.cells import read_cell
from scheduler.services.sheets.columns import CHOICES, SHEETS, Cell, Column
from scheduler.services.sheets.template import INSTRUCTIONS, file_name, template_workbook

ROWS_KEPT = 1000
"""LibreOffice keeps each validation at least this far down an empty sheet (it wrote 1002 rows when measured)."""


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Workbook]:
    """Each language's template as LibreOffice saves it again, read by openpyxl."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is required: `make libreoffice` installs it"
    folder = tmp_path_factory.mktemp("templates")
    made = folder / "made"
    made.mkdir()
    for lang in LANGS:
        (made / file_name(lang)).write_bytes(template_workbook(lang))
    out = folder / "saved"
    command = [
        soffice,
        "--headless",
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",  # a profile of its own: runs never collide
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        *(str(made / file_name(lang)) for lang in LANGS),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    missing = [lang for lang in LANGS if not (out / file_name(lang)).exists()]
    assert not missing, f"LibreOffice saved nothing for {missing}: {done.stdout} {done.stderr}"
    return {lang: load_workbook(out / file_name(lang)) for lang in LANGS}


def offered(column: Column, lang: str) -> list[str]:
    if column.cell is Cell.BOOL:
        return [gettext(lang, N_("yes")), gettext(lang, N_("no"))]
    assert column.choices is not None
    return [gettext(lang, choice.label) for choice in CHOICES[column.choices]]


@pytest.mark.parametrize("lang", LANGS)
def test_libreoffice_keeps_the_sheets_headers_and_comments(saved: dict[str, Workbook], lang: str) -> None:
    wb = saved[lang]
    assert wb.sheetnames == [gettext(lang, s.label) for s in SHEETS] + [gettext(lang, INSTRUCTIONS)]
    for sheet in SHEETS:
        ws = wb[gettext(lang, sheet.label)]
        assert [cell.value for cell in ws[1]] == [gettext(lang, c.label) for c in sheet.columns]
        for index, column in enumerate(sheet.columns, start=1):
            comment = ws.cell(row=1, column=index).comment
            assert comment is not None and gettext(lang, column.help) in comment.text, (sheet.kind, column.field)


@pytest.mark.parametrize("lang", LANGS)
def test_libreoffice_keeps_the_drop_down_lists_and_checks(saved: dict[str, Workbook], lang: str) -> None:
    kinds = {Cell.CHOICE: "list", Cell.BOOL: "list", Cell.INT: "whole", Cell.FLOAT: "decimal", Cell.DATE: "date"}
    for sheet in SHEETS:
        ws = saved[lang][gettext(lang, sheet.label)]
        for index, column in enumerate(sheet.columns, start=1):
            found = [v for v in ws.data_validations.dataValidation if f"{get_column_letter(index)}2" in v.sqref]
            if column.cell not in kinds:
                assert not found, (sheet.kind, column.field)
                continue
            assert [v.type for v in found] == [kinds[column.cell]], (sheet.kind, column.field)
            validation = found[0]
            for bounds in (range_boundaries(str(part)) for part in validation.sqref.ranges):
                low_col, low_row, high_col, high_row = bounds
                assert low_col == high_col == index and low_row == 2 and (high_row or 0) >= ROWS_KEPT
            assert validation.showErrorMessage and validation.error
            if kinds[column.cell] == "list":
                formula = validation.formula1 or ""
                assert formula.startswith('"') and formula.endswith('"'), formula
                values = formula[1:-1].split(",")
                assert values == offered(column, lang)
                assert all(read_cell(column, value) is not None for value in values)


@pytest.mark.parametrize("lang", LANGS)
def test_the_example_row_saved_by_libreoffice_is_still_valid_input(saved: dict[str, Workbook], lang: str) -> None:
    for sheet in SHEETS:
        ws = saved[lang][gettext(lang, sheet.label)]
        for index, column in enumerate(sheet.columns, start=1):
            value = ws.cell(row=2, column=index).value
            assert read_cell(column, value) == read_cell(column, column.example), (sheet.kind, column.field, value)
