"""Partners' activities through the API, over SQLite and PostgreSQL: public reading, a coordinator's PUT and
DELETE, CSV import (every fault by row and column, all or nothing, idempotent), and their own feed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from scheduler.services.clock import FixedClock
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import AuditEntry, PartnerActivity
from scheduler.storage.tokens import create_token
from tests.paths import ROOT

CSV = (ROOT / "tests" / "data" / "partners.csv").read_text(encoding="utf-8")
TODAY = date(2027, 2, 1)
LUNCH = {
    "organisation": "Ev.-lut. seurakunta – Lohja, diakoniatyö",
    "name": "Diakonialounas",
    "municipality": "Lohja",
    "place": "Seurakuntakeskus, Sibeliuksenkatu 2, 08100 Lohja",
    "day": "wed",
    "start": "11:00",
    "end": "12:30",
    "languages": ["fi"],
    "theme": "community",
    "contact": "diakonia.lohja@example.fi",
    "accessible": True,
}


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@dataclass
class Api:
    client: TestClient
    url: str
    coordinator: dict[str, str]
    counsellor: dict[str, str]

    def rows(self) -> dict[str, tuple[int, str]]:
        engine = make_engine(self.url)
        with session_scope(engine) as session:
            found = {r.id: (r.sequence, r.name) for r in session.query(PartnerActivity)}
        engine.dispose()
        return found

    def import_(self, text: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        answer = self.client.post(
            "/partners/import",
            content=text.encode(),
            headers={**(headers or self.coordinator), "Content-Type": "text/csv"},
        )
        return {"status": answer.status_code, **answer.json()}


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        tokens = {role: create_token(session, role, f"test {role}")[1] for role in ("coordinator", "counsellor")}
    engine.dispose()
    app = create_app(Settings(database_url=database_url), clock=FixedClock.on(TODAY))
    with TestClient(app, base_url="http://tarjotin.test") as client:
        yield Api(
            client,
            database_url,
            {"Authorization": f"Bearer {tokens['coordinator']}"},
            {"Authorization": f"Bearer {tokens['counsellor']}"},
        )
    app.state.engine.dispose()


def test_put_creates_then_the_same_body_changes_nothing_and_a_change_bumps_the_sequence(api: Api) -> None:
    created = api.client.put("/partners/lunch-lohja", json=LUNCH, headers=api.coordinator)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["partner"] is True and body["sequence"] == 0 and body["organisation"] == LUNCH["organisation"]
    again = api.client.put("/partners/lunch-lohja", json=LUNCH, headers=api.coordinator)
    assert again.status_code == 200 and again.json()["sequence"] == 0
    assert again.json()["updated_at"] == body["updated_at"]
    moved = api.client.put("/partners/lunch-lohja", json={**LUNCH, "start": "11:30"}, headers=api.coordinator)
    assert moved.status_code == 200 and moved.json()["sequence"] == 1 and moved.json()["start"] == "11:30"
    assert api.rows() == {"lunch-lohja": (1, "Diakonialounas")}
    read = api.client.get("/partners/lunch-lohja")  # public: no token
    assert read.status_code == 200 and read.json()["start"] == "11:30" and read.json()["partner"] is True
    engine = make_engine(api.url)
    with session_scope(engine) as session:
        actions = [a.action for a in session.query(AuditEntry).filter_by(entity="partner_activity")]
    engine.dispose()
    assert actions == ["partner_create", "partner_update"]


def test_anyone_reads_the_list_but_only_a_coordinator_writes(api: Api) -> None:
    assert api.client.put("/partners/x", json=LUNCH).status_code == 401
    assert api.client.put("/partners/x", json=LUNCH, headers=api.counsellor).status_code == 403
    assert api.client.delete("/partners/x", headers=api.counsellor).status_code == 403
    assert api.import_(CSV, api.counsellor)["status"] == 403
    assert api.client.put("/partners/x", json=LUNCH, headers=api.coordinator).status_code == 201
    listed = api.client.get("/partners")
    assert listed.status_code == 200 and [a["id"] for a in listed.json()["items"]] == ["x"]
    assert api.client.delete("/partners/x", headers=api.coordinator).status_code == 204
    assert api.client.get("/partners/x").status_code == 404
    assert api.client.delete("/partners/x", headers=api.coordinator).status_code == 404


def test_a_bad_body_is_a_422_naming_each_field(api: Api) -> None:
    bad = {**LUNCH, "day": "keskiviikko", "end": "10:00", "languages": ["fi,sv"], "url": "www.example.fi", "x": 1}
    answer = api.client.put("/partners/lunch", json=bad, headers=api.coordinator)
    assert answer.status_code == 422
    fields = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert set(fields) == {"day", "end", "languages", "url", "x"}
    assert "mon, tue" in fields["day"] and "';'" in fields["languages"] and "https://" in fields["url"]
    late = api.client.put("/partners/lunch", json={**LUNCH, "end": "10:00"}, headers=api.coordinator)
    assert late.status_code == 422 and late.json()["errors"][0]["field"] == "end"
    assert "after start" in late.json()["errors"][0]["message"]
    assert api.client.put("/partners/bad%20id", json=LUNCH, headers=api.coordinator).status_code == 422
    assert api.rows() == {}


def test_importing_the_file_twice_changes_nothing(api: Api) -> None:
    first = api.import_(CSV)
    assert first["status"] == 200, first
    ids = [line.split(",", 1)[0] for line in CSV.splitlines()[1:]]
    assert sorted(first["created"]) == sorted(ids) and first["updated"] == first["unchanged"] == []
    before = api.rows()
    second = api.import_(CSV)
    assert second["status"] == 200 and second["created"] == second["updated"] == []
    assert sorted(second["unchanged"]) == sorted(ids)
    assert api.rows() == before
    changed = CSV.replace("Diakonialounas,", "Diakonialounas ja kahvi,", 1)
    third = api.import_(changed)
    assert third["updated"] == ["diakonialounas-espoo-keskus-sote"]
    assert api.rows()["diakonialounas-espoo-keskus-sote"] == (1, "Diakonialounas ja kahvi")
    listed = api.client.get("/partners", params={"municipality": "raasepori", "language": "sv"}).json()
    assert listed["total"] == 3 and all(a["partner"] and a["municipality"] == "Raasepori" for a in listed["items"])


def test_every_fault_is_named_by_row_and_column_and_nothing_is_stored(api: Api) -> None:
    rows = list(csv.reader(io.StringIO(CSV)))
    header = rows[0]
    rows[2][header.index("day")] = "tiistai"  # row 3 (the header is row 1)
    rows[2][header.index("start")] = "25:00"
    rows[4][header.index("start")], rows[4][header.index("end")] = "15:30", "14:00"  # row 5 ends before it starts
    rows.append(rows[1])  # the last row repeats row 2's id
    text = _csv(rows)
    lines = rows
    answer = api.import_(text)
    assert answer["status"] == 422
    faults = {e["field"]: e["message"] for e in answer["errors"]}
    assert set(faults) == {"rows[3].day", "rows[3].start", "rows[5].end", f"rows[{len(lines)}].id"}
    assert "is also on row 2" in faults[f"rows[{len(lines)}].id"]
    assert "nothing imported" in str(answer["detail"])
    assert api.rows() == {}


def test_a_faulty_header_is_named_and_a_missing_cell_is_required(api: Api) -> None:
    answer = api.import_("id,name,weekday\nx,Lunch,wed\n")
    assert answer["status"] == 422
    fields = {e["field"] for e in answer["errors"]}
    assert "rows[1].weekday" in fields and "rows[1].organisation" in fields and "rows[1].day" in fields
    header = CSV.splitlines()[0]
    row = CSV.splitlines()[1].replace("diakonialounas.espoo@example.fi", "")
    missing = api.import_(f"{header}\n{row}\n")
    assert missing["status"] == 422
    assert [(e["field"], e["message"]) for e in missing["errors"]] == [("rows[2].contact", "is required")]
    assert api.import_("")["status"] == 422
    assert api.rows() == {}


def test_the_feed_is_public_cached_and_follows_changes(api: Api) -> None:
    assert api.import_(CSV)["status"] == 200
    answer = api.client.get("/partners.ics", params={"lang": "en"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    assert "X-TARJOTIN-PARTNER:TRUE" in answer.text and "Partner activities" in answer.text
    etag = answer.headers["etag"]
    same = api.client.get("/partners.ics", params={"lang": "en"}, headers={"If-None-Match": etag})
    assert same.status_code == 304
    api.client.put("/partners/lunch-lohja", json=LUNCH, headers=api.coordinator)
    after = api.client.get("/partners.ics", params={"lang": "en"}, headers={"If-None-Match": etag})
    assert after.status_code == 200 and "partner-lunch-lohja@tarjotin" in after.text
    api.client.delete("/partners/lunch-lohja", headers=api.coordinator)
    gone = api.client.get("/partners.ics", params={"lang": "en"}, headers={"If-None-Match": after.headers["etag"]})
    assert gone.status_code == 200 and "partner-lunch-lohja@tarjotin" not in gone.text


def test_ended_activities_leave_the_list_unless_asked(api: Api) -> None:
    old = {**LUNCH, "first_date": "2026-09-01", "last_date": "2026-12-16"}
    assert api.client.put("/partners/autumn", json=old, headers=api.coordinator).status_code == 201
    assert api.client.get("/partners").json()["total"] == 0
    assert [a["id"] for a in api.client.get("/partners", params={"ended": True}).json()["items"]] == ["autumn"]


def test_the_scenario_activities_save_once_and_again_change_nothing(api: Api) -> None:
    from scheduler.scenario.partners import partner_activities
    from scheduler.services.partner_csv import save_records

    engine = make_engine(api.url)
    records = partner_activities("pohjanmaa")
    with session_scope(engine) as session:
        first = save_records(session, records, actor="demo")
    with session_scope(engine) as session:
        again = save_records(session, records, actor="demo")
    engine.dispose()
    assert len(first.created) == len(records) == 8 and again.unchanged == first.created and not again.updated
    swedish = api.client.get("/partners", params={"language": "sv"}).json()["items"]
    assert {a["municipality"] for a in swedish} == {"Larsmo"} and len(swedish) == 3
