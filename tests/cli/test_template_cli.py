"""`tarjotin template --lang LANG --out FILE`: the import template written to a file, refusals in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli import app
from scheduler.i18n import LANGS, gettext
from scheduler.services.sheets.columns import SHEETS
from scheduler.services.sheets.template import INSTRUCTIONS

runner = CliRunner()


@pytest.mark.parametrize("lang", LANGS)
def test_the_command_writes_the_template_in_the_language(tmp_path: Path, lang: str) -> None:
    out = tmp_path / f"template-{lang}.xlsx"
    result = runner.invoke(app, ["template", "--lang", lang, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in " ".join(result.output.split())
    wb = load_workbook(out)
    assert wb.sheetnames == [gettext(lang, s.label) for s in SHEETS] + [gettext(lang, INSTRUCTIONS)]
    first = SHEETS[0]
    assert [c.value for c in wb.worksheets[0][1]] == [gettext(lang, c.label) for c in first.columns]


def test_finnish_is_the_default(tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"
    assert runner.invoke(app, ["template", "--out", str(out)]).exit_code == 0
    assert load_workbook(out).sheetnames[-1] == gettext("fi", INSTRUCTIONS)


def test_an_unknown_language_is_refused_without_a_file(tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"
    result = runner.invoke(app, ["template", "--lang", "de", "--out", str(out)])
    assert result.exit_code == 2 and "--lang 'de'" in result.output and not out.exists()
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_an_unwritable_place_is_refused_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["template", "--out", str(tmp_path / "no-such-folder" / "t.xlsx")])
    assert result.exit_code == 2 and "cannot write" in result.output
    assert isinstance(result.exception, SystemExit)


def test_out_is_required() -> None:
    assert runner.invoke(app, ["template", "--lang", "fi"]).exit_code == 64
