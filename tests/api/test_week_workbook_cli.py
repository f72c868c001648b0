"""`tarjotin export --format xlsx`: the same workbook as the coordinator's download, bad options refused
by name without a traceback, and a file LibreOffice opens.

The database is `tests.api`'s published scenario; the command finds it by TARJOTIN_DATABASE_URL.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli import app
from scheduler.contract.term import term_end
from scheduler.i18n import gettext
from tests.api.conftest import Service
from tests.api.sign_in import sign_in

runner = CliRunner()
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
CSV_UTF8 = "csv:Text - txt - csv (StarCalc):44,34,76"
"""Calc's CSV filter: comma-separated, double quotes, UTF-8 (76), cells as shown."""


def run(*args: str | Path) -> tuple[int, str]:
    """Exit code and the whole output; fails on any uncaught exception (a traceback)."""
    result = runner.invoke(app, [str(arg) for arg in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command raised {result.exception!r}") from result.exception
    return result.exit_code, " ".join(result.output.split())


def values(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


@pytest.fixture
def database(service: Service, monkeypatch: pytest.MonkeyPatch) -> Service:
    monkeypatch.setenv("TARJOTIN_DATABASE_URL", service.url)
    return service


def test_the_command_writes_the_workbook_the_page_downloads(database: Service, tmp_path: Path) -> None:
    season = database.problem.term
    period = {"from": season.start.isoformat(), "to": term_end(season.start, season.weeks).isoformat()}
    out = tmp_path / "out" / "week.xlsx"
    code, said = run(
        "export", "--format", "xlsx", "--out", out, "--lang", "sv", "--from", period["from"], "--to", period["to"]
    )
    assert code == 0, said
    written = values(out.read_bytes())
    client = database.client
    sign_in(client, database.as_("coordinator")["Authorization"].split()[1])
    downloaded = values(client.get("/week/export.xlsx", params={"lang": "sv", **period}).content)
    assert list(written) == [
        gettext("sv", name)
        for name in ("Week board", "Staff timetables", "Unplaced clients", "Capacity", "County figures")
    ]
    assert written == downloaded
    assert (
        f"wrote {out}" in said
        and f"{gettext('sv', 'Week board')} {len(written[gettext('sv', 'Week board')]) - 1}" in said
    )


def test_the_workbook_is_finnish_by_default_and_json_stays_the_default_format(
    database: Service, tmp_path: Path
) -> None:
    code, said = run("export", "--format", "xlsx", "--out", tmp_path / "viikko.xlsx")
    assert code == 0, said
    assert load_workbook(tmp_path / "viikko.xlsx").sheetnames[0] == "Viikkotaulu"
    code, said = run("export", "--out", tmp_path / "county.json")
    assert code == 0 and (tmp_path / "county.json").read_text(encoding="utf-8").startswith("{")


@pytest.mark.parametrize(
    "args, named",
    [
        (["--format", "csv", "--out", "week.csv"], "--format 'csv'"),
        (["--format", "xlsx", "--out", "week.json"], "--out"),
        (["--out", "week.xlsx"], "--format xlsx"),
        (["--format", "xlsx", "--out", "week.xlsx", "--lang", "de"], "--lang 'de'"),
        (["--out", "county.json", "--lang", "sv"], "--lang sv"),
        (["--format", "xlsx", "--out", "week.xlsx", "--from", "1.2.2027"], "--from '1.2.2027'"),
        (["--format", "xlsx", "--out", "week.xlsx", "--from", "2027-02-01", "--to", "2027-01-01"], "starts after"),
    ],
)
def test_a_bad_option_is_refused_by_name(database: Service, tmp_path: Path, args: list[str], named: str) -> None:
    folder = tmp_path / "out"
    args = [str(folder / a) if a.startswith(("week.", "county.")) else a for a in args]
    code, said = run("export", *args)
    assert code == 64 and "error:" in said and named in said, said
    assert not folder.exists(), "nothing is written"


def test_libreoffice_opens_the_workbook(database: Service, tmp_path: Path) -> None:
    assert Path(SOFFICE).exists(), "LibreOffice is missing: `make libreoffice` installs headless Calc"
    book = tmp_path / "week.xlsx"
    assert run("export", "--format", "xlsx", "--out", book, "--lang", "en")[0] == 0
    profile = (tmp_path / "lo-profile").as_uri()  # a profile of its own: another soffice may be running
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            CSV_UTF8,
            "--outdir",
            tmp_path / "csv",
            book,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    converted = tmp_path / "csv" / "week.csv"
    assert converted.exists(), f"soffice wrote no CSV: {done.stdout} {done.stderr}"
    board = list(csv.reader(converted.read_text(encoding="utf-8").splitlines()))
    first = load_workbook(book).worksheets[0]
    assert board[0] == [str(c.value) for c in next(first.iter_rows(max_row=1))]
    assert len(board) == first.max_row, "every group of the board is read"
    taken = [row[8] for row in board[1:]]
    assert taken and all(n.isdigit() for n in taken), "seats taken are read as numbers"
    assert all(re.fullmatch(r"\d\d:\d\d", row[3]) for row in board[1:]), "times are shown as times"
