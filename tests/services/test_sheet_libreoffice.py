"""Files saved by LibreOffice Calc import as the files they were made from: a workbook written by openpyxl,
opened and saved again by headless LibreOffice as .xlsx and as .csv, gives the same records."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scheduler.contract import parse_problem
from scheduler.services.sheets.imports import preview_sheets, store_sheets
from scheduler.storage.repository import export_problem, import_problem
from tests.services.test_sheet_import import TINY
from tests.sheets_data import headers, libreoffice, record_rows, sheet_name, xlsx_bytes

NEW = {
    "id": "n01",
    "languages": ["sv", "fi"],
    "home": {"lat": 60.0125, "lon": 23.4375},
    "travel_mode": "transit",
    "max_travel_minutes": 55,
    "available": [{"day": "mon", "start": "09:30", "end": "12:00"}],
    "interests": ["natur"],
    "audiences": ["unga"],
    "remote_ok": True,
    "waiting_since": "2026-11-02",
    "case_opened": "2026-11-02",
    "decisions": [{"start": "2027-01-11", "end": "2027-07-10"}],
}


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The workbook as openpyxl wrote it, and as LibreOffice saved it as .xlsx and as .csv (its first sheet)."""
    work = tmp_path_factory.mktemp("libreoffice")
    rows = record_rows("clients", [*TINY["clients"], NEW], "fi")
    waiting = rows[0].index(headers("clients", "fi", ["waiting_since"])[0])
    rows[-1][waiting] = date(2026, 11, 2)  # a date cell, not a text
    original = work / "tarjotin.xlsx"
    original.write_bytes(
        xlsx_bytes(
            {
                sheet_name("clients", "fi"): rows,
                sheet_name("closures", "sv"): record_rows(
                    "closures", [{"day": "2027-04-02", "reason": "långfredag"}], "sv"
                ),
                "Ohjeet": [["Sarake", "Selitys"], ["id", "Asiakkaan tunnus"]],
            }
        )
    )
    return {
        "openpyxl": original,
        "xlsx": libreoffice(original, "xlsx", work),
        "csv": libreoffice(original, "csv", work),
    }


@pytest.fixture
def tiny(engine: Engine) -> Iterator[Engine]:
    with Session(engine) as session:
        import_problem(session, parse_problem(TINY))
        session.commit()
    yield engine


@pytest.mark.parametrize("made_by", ["xlsx", "csv"])
def test_a_file_saved_by_libreoffice_imports_as_the_one_it_was_made_from(
    tiny: Engine, saved: dict[str, Path], made_by: str
) -> None:
    path = saved[made_by]
    assert path.suffix == f".{made_by}" and path.read_bytes() != saved["openpyxl"].read_bytes()
    with Session(tiny) as session:
        result = preview_sheets(session, [(path.name, path.read_bytes())], today=date(2026, 12, 1))
        assert result.ok, result.fault_texts()
        assert result.created["clients"] == ["n01"]
        assert sorted(result.unchanged["clients"]) == sorted(c["id"] for c in TINY["clients"])
        assert result.updated["clients"] == []  # every stored client read back exactly
        if made_by == "xlsx":
            assert result.created["closures"] == ["2027-04-02"] and result.ignored == [f"{path.name}: Ohjeet"]
        store_sheets(session, result, "test")
        session.commit()
    with Session(tiny) as session:
        client = next(c for c in export_problem(session).dump()["clients"] if c["id"] == "n01")
    assert client == {
        **NEW,
        "needs_accessible": False,
        "max_groups_per_week": 1,
        "evaluations": [],
        "declined": [],
    }
