"""Importing sheets: every fault at once by sheet, row and column; nothing stored on a fault; the same file again
changes nothing; a row left out is reported, not deleted; an update changes only its columns."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scheduler.contract import parse_problem
from scheduler.contract.errors import Invalid
from scheduler.services.sheets.faults import Fault
from scheduler.services.sheets.imports import SheetImport, preview_sheets, store_sheets
from scheduler.services.sheets.template import template_workbook
from scheduler.storage.models import AuditEntry, ClientRow, Closure, PlanningSettings
from scheduler.storage.repository import export_problem, import_problem
from tests.database_dump import every_row
from tests.paths import DATA
from tests.sheets_data import csv_bytes, headers, record_rows, sheet_name, xlsx_bytes

TINY = json.loads((DATA / "tiny-problem.json").read_text(encoding="utf-8"))
NEW_CLIENT = {
    "id": "n01",
    "languages": ["fi", "sv"],
    "home": {"lat": 60.3, "lon": 24.1},
    "travel_mode": "car",
    "max_travel_minutes": 40,
    "available": [{"day": "thu", "start": "09:00", "end": "12:00"}],
    "interests": ["liikunta", "luonto"],
    "waiting_since": "2026-11-02",
    "decisions": [{"start": "2027-01-11", "end": "2027-07-10"}],
}


@pytest.fixture
def tiny(engine: Engine) -> Iterator[Engine]:
    """The worked example's problem in the database."""
    with Session(engine) as session:
        import_problem(session, parse_problem(TINY))
        session.commit()
    yield engine


def preview(engine: Engine, files: list[tuple[str, bytes]], lang: str = "en") -> SheetImport:
    with Session(engine) as session:
        return preview_sheets(session, files, lang=lang, today=date(2026, 12, 1))


def store(engine: Engine, files: list[tuple[str, bytes]]) -> SheetImport:
    with Session(engine) as session:
        result = preview_sheets(session, files, today=date(2026, 12, 1))
        assert result.ok, result.fault_texts()
        store_sheets(session, result, "test")
        session.commit()
    return result


def stored_clients(engine: Engine) -> dict[str, dict[str, Any]]:
    with Session(engine) as session:
        return {c["id"]: c for c in export_problem(session).dump()["clients"]}


def clients_file(lang: str, fmt: str, records: list[dict[str, Any]]) -> tuple[str, bytes]:
    rows = record_rows("clients", records, lang)
    if fmt == "xlsx":
        return f"{lang}.xlsx", xlsx_bytes({sheet_name("clients", lang): rows})
    return f"{sheet_name('clients', lang)}.csv", csv_bytes(rows)


def where(fault: Fault) -> tuple[str | None, int | None, str | None]:
    return (fault.sheet.kind if fault.sheet else None, fault.row, fault.field)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_clients_in_any_language_are_created_then_the_same_file_changes_nothing(
    tiny: Engine, lang: str, fmt: str
) -> None:
    records = [*TINY["clients"], NEW_CLIENT]
    files = [clients_file(lang, fmt, records)]
    first = preview(tiny, files, lang)
    assert first.ok, first.fault_texts()
    assert first.kinds == ["clients"]
    assert first.created["clients"] == ["n01"]
    assert sorted(first.unchanged["clients"]) == sorted(c["id"] for c in TINY["clients"])
    assert first.updated["clients"] == [] and first.missing["clients"] == []
    store(tiny, files)
    assert stored_clients(tiny)["n01"] == {
        **NEW_CLIENT,
        "audiences": [],
        "needs_accessible": False,
        "remote_ok": False,
        "max_groups_per_week": 1,
        "evaluations": [],
        "declined": [],
    }
    before = every_row(tiny)
    again = preview(tiny, files, lang)
    assert again.ok and again.created["clients"] == [] and again.updated["clients"] == []
    assert sorted(again.unchanged["clients"]) == sorted([*(c["id"] for c in TINY["clients"]), "n01"])
    store(tiny, files)
    assert every_row(tiny) == before  # not even an audit entry for nothing
    assert again.digest == first.digest and len(again.digest) == 64


def test_every_fault_is_reported_at_once_by_sheet_row_and_column_and_nothing_is_stored(tiny: Engine) -> None:
    good = [dict(NEW_CLIENT, id=f"g{i:02d}") for i in range(11)]  # rows 2-12
    bad = [
        dict(NEW_CLIENT, id="b13", travel_mode="bike"),  # row 13: not a choice
        dict(NEW_CLIENT, id="b14"),  # row 14: the example, written below
        dict(NEW_CLIENT, id="b15", max_travel_minutes=900),  # row 15: the contract's limit
        dict(NEW_CLIENT, id="b13"),  # row 16: the same id as row 13
    ]
    rows = record_rows("clients", [*good, *bad], "en")
    languages = rows[0].index("languages")
    rows[13][languages] = "ruotsi ja suomi"
    rows[0].append("shoe size")  # an unknown column
    staff_rows = record_rows(
        "staff",
        [{"id": "s9", "qualified": True, "languages": ["fi"], "base_hub": "nowhere"}],
        "en",
        ["id", "qualified", "languages", "base_hub"],  # max_weekly_minutes left out
    )
    staff_rows.append(["s10", "maybe", "fi", "lohja-sote"])
    before = every_row(tiny)
    result = preview(tiny, [("county.xlsx", xlsx_bytes({"clients": rows, "staff": staff_rows}))])
    assert not result.ok
    found = {where(f): f for f in result.faults}
    assert set(found) == {
        ("staff", None, "max_weekly_minutes"),
        ("staff", 2, "base_hub"),
        ("staff", 3, "qualified"),
        ("clients", 1, "shoe size"),
        ("clients", 13, "travel_mode"),
        ("clients", 14, "languages"),
        ("clients", 15, "max_travel_minutes"),
        ("clients", 16, "id"),
    }
    assert found[("clients", 14, "languages")].text("en") == (
        "Clients, row 14, column languages: 'ruotsi ja suomi' — give language codes separated by commas: fi, sv"
    )
    assert found[("clients", 14, "languages")].text("fi") == (
        "Asiakkaat, rivi 14, sarake Kielet: 'ruotsi ja suomi' — anna kielikoodit pilkuin: fi, sv"
    )  # the issue's own example
    assert (
        found[("clients", 14, "languages")].text("sv").startswith("Klienter, rad 14, kolumn Språk: 'ruotsi ja suomi'")
    )
    assert found[("clients", 13, "travel_mode")].text("en").endswith("'bike' — give one of: car, transit")
    assert found[("clients", 15, "max_travel_minutes")].text("en").endswith("'900' — give at most 600")
    assert found[("clients", 16, "id")].text("en").endswith("'b13' — the same id is also on row 13")
    assert found[("staff", 2, "base_hub")].text("en") == "Staff, row 2, column base_hub: 'nowhere' — no hub has this id"
    assert found[("staff", 3, "qualified")].value == "maybe"
    assert found[("staff", None, "max_weekly_minutes")].text("en") == (
        "Staff, column max_weekly_minutes: the sheet has no such column, and it is required"
    )
    assert found[("staff", None, "max_weekly_minutes")].text("fi") == (
        "Henkilöstö, sarake Viikkominuutit enintään: taulukosta puuttuu tämä sarake, ja se on pakollinen"
    )
    assert (
        found[("clients", 1, "shoe size")]
        .text("en")
        .startswith("Clients, row 1, column shoe size: no such column in this sheet; its columns are: id, languages")
    )
    assert result.created["clients"] == []  # nothing classified while faulty
    with Session(tiny) as session, pytest.raises(Invalid):
        store_sheets(session, result, "test")
    assert every_row(tiny) == before


def test_an_empty_required_cell_and_a_required_column_left_out_are_faults(tiny: Engine) -> None:
    rows = record_rows("clients", [NEW_CLIENT], "en")
    rows[1][rows[0].index("travel_mode")] = None
    hub_rows = record_rows(
        "hubs", [{"id": "h1", "name": "H", "lat": 60.0, "lon": 24.0}], "en", ["id", "name", "lat", "lon"]
    )
    result = preview(tiny, [("clients.csv", csv_bytes(rows)), ("hubs.csv", csv_bytes(hub_rows))])
    assert {where(f) for f in result.faults} == {("clients", 2, "travel_mode"), ("hubs", None, "municipality")}
    assert next(f for f in result.faults if f.row == 2).text("en") == (
        "Clients, row 2, column travel_mode: a value is required"
    )


def test_faults_of_whole_files(tiny: Engine) -> None:
    result = preview(
        tiny,
        [
            ("notes.txt", b"hello"),
            ("broken.xlsx", b"PK\x03\x04 not really a workbook"),
            ("people.csv", b"who,what\nx,y\n"),
        ],
    )
    texts = result.fault_texts("en")
    assert texts[0] == "notes.txt: the file is not a spreadsheet Tarjotin reads: give .xlsx or .csv files"
    assert texts[1].startswith("broken.xlsx: the file cannot be read: ")
    assert texts[2] == (
        "people.csv: no sheet of the file is known; name the sheets (or the file) for what they hold: "
        "hubs, rooms, staff, templates, clients, closures"
    )
    assert len(texts) == 3 and result.ignored == [] and result.kinds == []


def test_a_row_left_out_is_reported_missing_and_kept(tiny: Engine) -> None:
    kept = [c for c in TINY["clients"] if c["id"] != "a02"]
    result = store(tiny, [clients_file("en", "xlsx", kept)])
    assert result.missing["clients"] == ["a02"]
    assert "a02" in stored_clients(tiny)


def test_an_update_changes_only_its_columns(tiny: Engine) -> None:
    a01 = next(c for c in TINY["clients"] if c["id"] == "a01")
    required = ["id", "languages", "home_lat", "home_lon", "travel_mode", "max_travel_minutes", "waiting_since"]
    rows = record_rows("clients", [{**a01, "max_travel_minutes": 30}], "en", required)
    before = stored_clients(tiny)
    result = store(tiny, [("clients.csv", csv_bytes(rows))])
    assert result.updated["clients"] == ["a01"] and result.unchanged["clients"] == []
    after = stored_clients(tiny)
    assert after["a01"] == {**before["a01"], "max_travel_minutes": 30}  # interests, windows kept
    assert {k: v for k, v in after.items() if k != "a01"} == {k: v for k, v in before.items() if k != "a01"}
    with Session(tiny) as session:
        audits = session.scalars(select(AuditEntry).where(AuditEntry.entity == "sheets")).all()
    assert len(audits) == 1 and audits[0].detail["clients"]["updated"] == 1


def test_an_optional_cell_left_empty_clears_the_field(tiny: Engine) -> None:
    a01 = next(c for c in TINY["clients"] if c["id"] == "a01")
    fields = [
        "id",
        "languages",
        "home_lat",
        "home_lon",
        "travel_mode",
        "max_travel_minutes",
        "waiting_since",
        "interests",
    ]
    rows = record_rows("clients", [{**a01, "interests": []}], "en", fields)
    store(tiny, [("clients.csv", csv_bytes(rows))])
    assert stored_clients(tiny)["a01"]["interests"] == []


def test_hubs_rooms_staff_models_and_closures_in_swedish(tiny: Engine) -> None:
    lang = "sv"
    hub = {"id": "raseborg", "name": "Raseborgs hälsocentral", "municipality": "Raseborg", "lat": 59.97, "lon": 23.43}
    room = {"id": "raseborg/r1", "hub": "raseborg", "name": "Rum 1", "capacity": 8, "accessible": True}
    moved = {"id": "lohja-sote/ryhmahuone", "hub": "raseborg", "name": "Grupprum", "capacity": 12, "accessible": True}
    member = {
        "id": "s-stina",
        "qualified": True,
        "languages": ["sv"],
        "base_hub": "raseborg",
        "max_weekly_minutes": 480,
        "lang": "sv",
    }
    model = {
        "id": "natur",
        "name": {"fi": "Luontoryhmä", "sv": "Naturgrupp"},
        "kind": "theme",
        "theme": "natur",
        "audience": "vuxna",
        "modality": "in_person",
        "duration_minutes": 120,
        "min_size": 3,
        "max_size": 8,
        "languages": ["sv"],
    }
    closure = {"day": "2027-04-02", "reason": "långfredag"}
    room_fields = ["id", "hub", "name", "capacity", "accessible"]
    book = xlsx_bytes(
        {
            sheet_name("hubs", lang): record_rows("hubs", [hub], lang),
            sheet_name("rooms", lang): record_rows("rooms", [room, moved], lang, room_fields),
            sheet_name("staff", lang): record_rows("staff", [member], lang),
            sheet_name("templates", lang): record_rows("templates", [model], lang),
            sheet_name("closures", lang): record_rows("closures", [closure], lang),
        }
    )
    result = store(tiny, [("sv.xlsx", book)])
    assert result.created["hubs"] == ["raseborg"] and result.created["rooms"] == ["raseborg/r1"]
    assert result.updated["rooms"] == ["lohja-sote/ryhmahuone"]
    assert result.created["staff"] == ["s-stina"] and result.created["templates"] == ["natur"]
    assert result.created["closures"] == ["2027-04-02"]
    assert set(result.missing["hubs"]) == {h["id"] for h in TINY["hubs"]}
    with Session(tiny) as session:
        problem = export_problem(session).dump()
        reason = session.scalars(select(Closure.reason).where(Closure.day == date(2027, 4, 2))).one()
    hubs = {h["id"]: h for h in problem["hubs"]}
    assert [r["id"] for r in hubs["raseborg"]["rooms"]] == ["lohja-sote/ryhmahuone", "raseborg/r1"]
    stored_room = TINY["hubs"][0]["rooms"][0]
    assert hubs["raseborg"]["rooms"][0] == {**stored_room, "name": "Grupprum"}  # its windows kept: no such column
    assert stored_room["id"] not in {r["id"] for r in hubs["lohja-sote"]["rooms"]}
    assert next(t for t in problem["templates"] if t["id"] == "natur")["name"] == {
        "fi": "Luontoryhmä",
        "sv": "Naturgrupp",
    }
    assert reason == "långfredag" and "2027-04-02" in problem["closures"]
    again = preview(tiny, [("sv.xlsx", book)])
    assert again.ok and not any(again.created.values()) and not any(again.updated.values())


def test_a_room_in_an_unknown_hub_is_a_fault_at_its_cell(tiny: Engine) -> None:
    rows = record_rows("rooms", [{"id": "r9", "hub": "atlantis", "capacity": 5}], "en", ["id", "hub", "capacity"])
    result = preview(tiny, [("rooms.csv", csv_bytes(rows))])
    assert [f.text("en") for f in result.faults] == ["Rooms, row 2, column hub: 'atlantis' — no hub has this id"]


def test_the_finnish_excel_csv_semicolons_windows_1252_and_decimal_commas(tiny: Engine) -> None:
    lines = [
        ";".join(
            headers(
                "clients",
                "fi",
                [
                    "id",
                    "languages",
                    "home_lat",
                    "home_lon",
                    "travel_mode",
                    "max_travel_minutes",
                    "interests",
                    "waiting_since",
                ],
            )
        ),
        "n01;fi, sv;60,3;24,1;car;40;liikunta, yhteisö;2.11.2026",
        ";;;;;;;",
        "n02;fi;60,25;24,07;transit;45;kädentaidot;2026-11-03",
    ]
    content = ("\r\n".join(lines) + "\r\n").encode("cp1252")
    result = store(tiny, [("asiakkaat.csv", content)])  # the sheet named in Finnish, in lower case
    assert result.created["clients"] == ["n01", "n02"]
    clients = stored_clients(tiny)
    assert clients["n01"]["home"] == {"lat": 60.3, "lon": 24.1}
    assert clients["n01"]["interests"] == ["liikunta", "yhteisö"]
    assert clients["n01"]["waiting_since"] == "2026-11-02"
    assert clients["n02"]["interests"] == ["kädentaidot"]


def test_a_csv_named_for_nothing_is_known_by_its_headers_and_a_bom_is_fine(tiny: Engine) -> None:
    rows = record_rows("clients", [NEW_CLIENT], "en")
    result = preview(tiny, [("export-2026-12.csv", b"\xef\xbb\xbf" + csv_bytes(rows, delimiter="\t"))])
    assert result.ok and result.created["clients"] == ["n01"]


def test_hidden_and_unknown_sheets_are_ignored(tiny: Engine) -> None:
    book = load_workbook(
        io.BytesIO(
            xlsx_bytes(
                {
                    "clients": record_rows("clients", [NEW_CLIENT]),
                    "Ohjeet": [["Sarake", "Selitys"], ["id", "tunnus"]],
                    "lists": [["fi"], ["sv"]],
                }
            )
        )
    )
    book["lists"].sheet_state = "hidden"
    saved = io.BytesIO()
    book.save(saved)
    result = preview(tiny, [("book.xlsx", saved.getvalue())])
    assert result.ok and result.ignored == ["book.xlsx: Ohjeet", "book.xlsx: lists"]


def test_without_a_planning_frame_a_default_one_is_made_and_said(engine: Engine) -> None:
    hub = {"id": "h1", "name": "Keskus", "municipality": "Lohja", "lat": 60.25, "lon": 24.07}
    result = store(engine, [("hubs.csv", csv_bytes(record_rows("hubs", [hub])))])
    assert result.created["hubs"] == ["h1"]
    assert result.note_texts("en") == [
        "The database had no planning frame yet: one was made, a term of 12 weeks from 2026-12-07 "
        "(change it with a problem import)."
    ]
    with Session(engine) as session:
        frame = session.get(PlanningSettings, 1)
        assert frame is not None and frame.term_start == date(2026, 12, 7)
        assert session.scalars(select(ClientRow)).all() == []


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_downloadable_template_imports_as_it_is_then_changes_nothing(engine: Engine, lang: str) -> None:
    files = [(f"tarjotin-{lang}.xlsx", template_workbook(lang))]
    first = store(engine, files)
    assert first.kinds == ["hubs", "rooms", "staff", "templates", "clients", "closures"]
    assert all(len(first.created[kind]) == 1 for kind in first.kinds)
    assert len(first.ignored) == 1  # the sheet explaining the columns
    before = every_row(engine)
    again = store(engine, files)
    assert all(again.unchanged[kind] == first.created[kind] for kind in first.kinds)
    assert every_row(engine) == before


def test_cells_as_a_finnish_coordinator_writes_them(tiny: Engine) -> None:
    fields = ["id", "languages", "home_lat", "home_lon", "travel_mode", "max_travel_minutes", "available"]
    fields += ["needs_accessible", "remote_ok", "case_opened", "decisions"]
    rows = [
        headers("clients", "fi", fields),
        ["n01", "FI; sv", "60,25", 24.07, "joukkoliikenne", "45", "ti 9-15, to 13.30-16", "kyllä", "ei", "4.1.2027",
         "11.1.2027/10.7.2027"],
    ]  # fmt: skip
    result = store(tiny, [("Asiakkaat.xlsx", xlsx_bytes({"Asiakkaat": rows}))])
    assert result.created["clients"] == ["n01"]
    client = stored_clients(tiny)["n01"]
    assert client["languages"] == ["fi", "sv"] and client["travel_mode"] == "transit"
    assert client["available"] == [
        {"day": "tue", "start": "09:00", "end": "15:00"},
        {"day": "thu", "start": "13:30", "end": "16:00"},
    ]
    assert client["needs_accessible"] is True and client["remote_ok"] is False
    assert client["case_opened"] == client["waiting_since"] == "2027-01-04"  # waiting from the case opening
    assert client["decisions"] == [{"start": "2027-01-11", "end": "2027-07-10"}]
