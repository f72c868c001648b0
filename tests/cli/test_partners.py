"""`tarjotin partners import FILE.csv` and `tarjotin partners list`: faults by row and column with exit code 2 and
nothing stored, the same file twice changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli import app
from tests.conftest import cli_database
from tests.paths import DATA

runner = CliRunner()
CSV = DATA / "partners.csv"
COUNT = len(CSV.read_text(encoding="utf-8").splitlines()) - 1


def _empty(_: Engine) -> None:
    return None


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return cli_database(tmp_path, monkeypatch, _empty)


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def run_json(*args: str) -> dict[str, list[object]]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    found: dict[str, list[object]] = json.loads(result.stdout)
    return found


def test_import_twice_then_list(database: str) -> None:
    code, said = run("partners", "import", str(CSV))
    assert code == 0 and f"{COUNT} created, 0 updated, 0 unchanged" in said, said
    again = run_json("partners", "import", str(CSV))
    assert len(again["unchanged"]) == COUNT and again["created"] == again["updated"] == []
    code, said = run("partners", "list", "--ended", "--municipality", "Raasepori")
    assert code == 0 and len(said.strip().splitlines()) == 3 and "Vänträff (Finlands Röda Kors – Raasepori)" in said
    listed = run_json("partners", "list", "--ended")["partners"]
    assert len(listed) == COUNT and all(p["partner"] is True for p in listed)  # type: ignore[index]


def test_a_faulty_file_names_each_row_and_column_and_stores_nothing(database: str, tmp_path: Path) -> None:
    lines = CSV.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([lines[0], lines[1].replace(",wed,", ",onsdag,"), lines[2].replace("fi;sv", "fi,sv")]))
    code, said = run("partners", "import", str(bad))
    assert code == 2
    assert "rows[2].day" in said and "rows[3]" in said and "nothing imported" in said, said
    code, said = run("partners", "list", "--ended")
    assert code == 0 and "no partner activities" in said
    code, said = run("partners", "import", str(tmp_path / "missing.csv"))
    assert code == 2 and "cannot read" in said
