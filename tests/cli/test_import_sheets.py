"""`tarjotin import` of .xlsx and .csv sheets: what they change per kind, every fault a line, --check stores
nothing, a faulty file exits 1 and stores nothing; a problem JSON imports as before."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from api.cli import app
from scheduler.contract import parse_problem
from scheduler.i18n import gettext
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.repository import export_problem, import_problem
from tests.conftest import cli_database
from tests.database_dump import every_row
from tests.paths import DATA
from tests.sheets_data import csv_bytes, record_rows, sheet, xlsx_bytes

TINY = json.loads((DATA / "tiny-problem.json").read_text(encoding="utf-8"))
NEW = {
    "id": "n01",
    "languages": ["fi"],
    "home": {"lat": 60.3, "lon": 24.1},
    "travel_mode": "car",
    "max_travel_minutes": 40,
    "waiting_since": "2026-11-02",
}
runner = CliRunner()


def invoke(*args: str | Path) -> Result:
    result = runner.invoke(app, [str(arg) for arg in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command raised {result.exception!r}") from result.exception
    return result


def load_tiny(engine: Engine) -> None:
    with session_scope(engine) as session:
        import_problem(session, parse_problem(TINY))


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return cli_database(tmp_path, monkeypatch, load_tiny)


def clients(database: str) -> dict[str, Any]:
    with session_scope(make_engine(database)) as session:
        return {c["id"]: c for c in export_problem(session).dump()["clients"]}


def test_a_workbook_is_checked_then_stored_then_unchanged(database: str, tmp_path: Path) -> None:
    book = tmp_path / "county.xlsx"
    others = [c for c in TINY["clients"] if c["id"] != "a02"]
    book.write_bytes(xlsx_bytes({"clients": record_rows("clients", [*others, NEW]), "notes": [["hello"]]}))
    before = every_row(make_engine(database))
    checked = invoke("import", book, "--check")
    assert checked.exit_code == 0, checked.output
    assert f"clients: 1 created, 0 updated, {len(others)} unchanged, 1 missing" in checked.stdout
    assert "missing from the files (kept): a02" in checked.stdout
    assert "ignored sheet: county.xlsx: notes" in checked.stdout
    assert "nothing stored (--check)" in checked.stdout
    assert every_row(make_engine(database)) == before
    stored = invoke("import", book)
    assert stored.exit_code == 0, stored.output
    assert "stored: 1 records written" in stored.stdout
    assert clients(database)["n01"]["max_travel_minutes"] == 40 and "a02" in clients(database)
    again = invoke("import", book)
    assert again.exit_code == 0 and f"clients: 0 created, 0 updated, {len(others) + 1} unchanged" in again.stdout
    assert "stored: 0 records written" in again.stdout


def test_a_faulty_csv_prints_every_fault_exits_1_and_stores_nothing(database: str, tmp_path: Path) -> None:
    rows = record_rows("clients", [NEW, {**NEW, "id": "n02", "travel_mode": "bike"}])
    rows[1][rows[0].index("languages")] = "ruotsi ja suomi"
    staff = record_rows("staff", [{**_staff(), "base_hub": "nowhere"}])
    (tmp_path / "clients.csv").write_bytes(csv_bytes(rows, delimiter=";"))
    (tmp_path / "staff.csv").write_bytes(csv_bytes(staff))
    before = every_row(make_engine(database))
    result = invoke("import", tmp_path / "clients.csv", tmp_path / "staff.csv", "--lang", "fi")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    clients_sheet = gettext("fi", sheet("clients").label)
    staff_sheet = gettext("fi", sheet("staff").label)
    assert [line.split(",")[0] for line in lines[:-1]] == [
        staff_sheet[:1].upper() + staff_sheet[1:],
        clients_sheet[:1].upper() + clients_sheet[1:],
        clients_sheet[:1].upper() + clients_sheet[1:],
    ]
    assert "'nowhere'" in lines[0] and "'ruotsi ja suomi'" in lines[1] and "'bike'" in lines[2]
    assert lines[-1] == "3 fault(s): nothing stored"
    assert every_row(make_engine(database)) == before


def test_a_problem_json_still_imports_and_mixing_is_refused(database: str, tmp_path: Path) -> None:
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps({**TINY, "clients": [*TINY["clients"], {**NEW, "available": []}]}), encoding="utf-8")
    imported = invoke("import", problem)
    assert imported.exit_code == 0 and "imported" in imported.stdout and "n01" in clients(database)
    sheet_file = tmp_path / "clients.csv"
    sheet_file.write_bytes(csv_bytes(record_rows("clients", [NEW])))
    mixed = invoke("import", problem, sheet_file)
    assert mixed.exit_code == 2 and "not both" in mixed.stderr
    assert invoke("import", sheet_file, "--lang", "de").exit_code == 2


def _staff() -> dict[str, Any]:
    return {"id": "s9", "qualified": True, "languages": ["fi"], "base_hub": "lohja-sote", "max_weekly_minutes": 600}
