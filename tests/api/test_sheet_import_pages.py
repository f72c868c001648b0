"""Importing spreadsheets from the coordinator's page and through `POST /imports`, over SQLite and PostgreSQL.

The page shows a preview first and stores nothing until the coordinator says store; the upload
waits in the database for that go-ahead, only for the coordinator who made it. The API checks or
stores the same files and answers faults as a problem naming each sheet, row and column.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.app import create_app
from scheduler.scenario.generate import generate
from scheduler.services.sheets.imports import import_sheets
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import AuditEntry, HubRow, RoomRow, SheetUpload, StaffRow
from scheduler.storage.repository import import_problem
from scheduler.storage.tokens import create_token
from tests.api.sign_in import sign_in
from tests.sheets_data import record_rows, sheet_name, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Site:
    client: TestClient
    tokens: dict[str, str]
    url: str
    hubs: list[str]

    def count(self, model: Any, **where: Any) -> int:
        engine = make_engine(self.url)
        try:
            with Session(engine) as session:
                query = select(func.count()).select_from(model)
                for name, value in where.items():
                    query = query.where(getattr(model, name) == value)
                return int(session.scalar(query) or 0)
        finally:
            engine.dispose()


@contextmanager
def _site(url: str, **settings: Any) -> Iterator[Site]:
    engine = make_engine(url)
    problem = generate(12, seed=3)
    tokens = {}
    with session_scope(engine) as session:
        import_problem(session, problem, actor="test")
        for role, name in (("coordinator", "Kaija"), ("counsellor", "Cecilia"), ("coordinator", "Olli")):
            _, tokens[name] = create_token(session, role, name)
    engine.dispose()
    app = create_app(Settings(database_url=url, **settings))
    with TestClient(app, base_url="http://tarjotin.test", follow_redirects=False) as client:
        client.headers["Accept"] = "text/html"
        yield Site(client, tokens, url, sorted(h.id for h in problem.hubs))
    app.state.engine.dispose()


@pytest.fixture
def site(database_url: str) -> Iterator[Site]:
    with _site(database_url) as running:
        yield running


def new_hub_book(lang: str = "fi", languages: str = "fi, sv", hub: str = "uusi-keskus") -> bytes:
    """A workbook adding a hub, a room in it and a staff member based there, headers in the language."""
    hubs = record_rows(
        "hubs",
        [{"id": hub, "name": "Uusi keskus", "municipality": "Lohja", "lat": 60.25, "lon": 24.06}],
        lang,
        ["id", "name", "municipality", "lat", "lon"],
    )
    rooms = record_rows("rooms", [{"id": f"{hub}-r1", "hub": hub, "capacity": 9}], lang, ["id", "hub", "capacity"])
    staff_fields = ["id", "qualified", "languages", "base_hub", "max_weekly_minutes"]
    staff = record_rows(
        "staff",
        [{"id": f"{hub}-anna", "qualified": True, "languages": [], "base_hub": hub, "max_weekly_minutes": 600}],
        lang,
        staff_fields,
    )
    staff[1][2] = languages  # as the person typed it
    return xlsx_bytes(
        {sheet_name("hubs", lang): hubs, sheet_name("rooms", lang): rooms, sheet_name("staff", lang): staff}
    )


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form token"
    return found.group(1)


def upload(site: Site, content: bytes, name: str = "tuonti.xlsx") -> Any:
    form = site.client.get("/week/import")
    assert form.status_code == 200, form.text
    return site.client.post("/week/import", data={"csrf": csrf(form.text)}, files=[("files", (name, content, XLSX))])


def token_of(html: str) -> str:
    found = re.search(r'action="/week/import/([A-Za-z0-9_-]+)"', html)
    assert found, "the preview has no store form"
    return found.group(1)


def outcome(html: str, kind: str, key: str) -> int:
    row = re.search(rf'<tr id="kind-{kind}">(.*?)</tr>', html, re.S)
    assert row, f"no {kind} row in the preview"
    cell = re.search(rf'data-outcome="{key}">(\d+)<', row.group(1))
    assert cell
    return int(cell.group(1))


def test_only_a_coordinator_opens_the_import_page(site: Site) -> None:
    assert site.client.get("/week/import").status_code == 303  # to the sign-in
    sign_in(site.client, site.tokens["Cecilia"])
    assert site.client.get("/week/import").status_code == 403
    sign_in(site.client, site.tokens["Kaija"])
    page = site.client.get("/week/import")
    assert page.status_code == 200
    assert 'type="file"' in page.text and 'enctype="multipart/form-data"' in page.text
    for lang in ("fi", "sv", "en"):
        assert f"/sheets/template.xlsx?lang={lang}" in page.text


def test_faults_are_listed_all_at_once_and_nothing_is_kept_or_stored(site: Site) -> None:
    sign_in(site.client, site.tokens["Kaija"])
    answer = upload(site, new_hub_book(languages="ruotsi ja suomi"))
    assert answer.status_code == 422
    assert (
        "Henkilöstö, rivi 2, sarake Kielet: &#39;ruotsi ja suomi&#39; — anna kielikoodit pilkuin: fi, sv" in answer.text
    )
    assert 'id="import-store"' not in answer.text
    assert site.count(SheetUpload) == 0 and site.count(HubRow, id="uusi-keskus") == 0


def test_a_preview_stores_nothing_until_the_coordinator_says_store(site: Site) -> None:
    sign_in(site.client, site.tokens["Kaija"])
    preview = upload(site, new_hub_book())
    assert preview.status_code == 200, preview.text
    assert outcome(preview.text, "hubs", "created") == 1 and outcome(preview.text, "rooms", "created") == 1
    assert outcome(preview.text, "staff", "created") == 1
    assert outcome(preview.text, "hubs", "missing") == len(site.hubs)  # the county's hubs, not in the file: kept
    assert site.hubs[0] in preview.text
    assert site.count(HubRow, id="uusi-keskus") == 0 and site.count(SheetUpload) == 1
    token = token_of(preview.text)
    stored = site.client.post(f"/week/import/{token}", data={"csrf": csrf(preview.text)})
    assert stored.status_code == 200, stored.text
    assert 'id="import-stored"' in stored.text
    assert site.count(HubRow, id="uusi-keskus") == 1 and site.count(RoomRow, hub_id="uusi-keskus") == 1
    assert site.count(StaffRow, base_hub="uusi-keskus") == 1
    assert site.count(HubRow) == len(site.hubs) + 1  # nothing deleted
    assert site.count(SheetUpload) == 0
    again = site.client.post(f"/week/import/{token}", data={"csrf": csrf(preview.text)})
    assert again.status_code == 404  # stored once; the upload is gone
    same = upload(site, new_hub_book())
    assert outcome(same.text, "hubs", "created") == 0 and outcome(same.text, "hubs", "unchanged") == 1
    assert outcome(same.text, "staff", "unchanged") == 1


def test_an_upload_can_be_let_go_and_is_only_its_uploaders(site: Site) -> None:
    sign_in(site.client, site.tokens["Olli"])
    preview = upload(site, new_hub_book())
    token = token_of(preview.text)
    sign_in(site.client, site.tokens["Kaija"])
    form = site.client.get("/week/import")
    assert site.client.post(f"/week/import/{token}", data={"csrf": csrf(form.text)}).status_code == 404
    assert site.count(HubRow, id="uusi-keskus") == 0
    sign_in(site.client, site.tokens["Olli"])
    form = site.client.get("/week/import")
    dropped = site.client.post(f"/week/import/{token}/drop", data={"csrf": csrf(form.text)})
    assert dropped.status_code == 200 and 'id="import-dropped"' in dropped.text
    assert site.count(SheetUpload) == 0 and site.count(HubRow, id="uusi-keskus") == 0


def test_an_upload_without_files_is_told_what_to_give(site: Site) -> None:
    sign_in(site.client, site.tokens["Kaija"])
    form = site.client.get("/week/import")
    answer = site.client.post("/week/import", data={"csrf": csrf(form.text)}, files=[("files", ("", b"", XLSX))])
    assert answer.status_code == 422
    assert "Valitse" in answer.text and 'id="import-problems"' in answer.text


def test_a_file_that_is_not_a_spreadsheet_is_a_fault_not_an_error(site: Site) -> None:
    sign_in(site.client, site.tokens["Kaija"])
    answer = upload(site, b"\x00\x01 not a workbook", name="asiakkaat.xlsx")
    assert answer.status_code == 422 and 'id="import-faults"' in answer.text
    assert site.count(SheetUpload) == 0


def test_the_api_checks_then_stores_and_names_each_fault(site: Site) -> None:
    bearer = {"Authorization": f"Bearer {site.tokens['Kaija']}", "Accept": "application/json"}
    files = [("files", ("tuonti.xlsx", new_hub_book("en"), XLSX))]
    checked = site.client.post("/imports", params={"check": "true"}, files=files, headers=bearer)
    assert checked.status_code == 200, checked.text
    body = checked.json()
    assert body["stored"] is False and body["kinds"]["hubs"]["created"] == ["uusi-keskus"]
    assert sorted(body["kinds"]["hubs"]["missing"]) == site.hubs
    assert site.count(HubRow, id="uusi-keskus") == 0
    stored = site.client.post("/imports", files=files, headers=bearer)
    assert stored.status_code == 200 and stored.json()["stored"] is True
    assert site.count(HubRow, id="uusi-keskus") == 1
    audits = site.count(AuditEntry)
    again = site.client.post("/imports", files=files, headers=bearer).json()
    assert again["kinds"]["staff"]["unchanged"] == ["uusi-keskus-anna"] and again["kinds"]["staff"]["created"] == []
    assert site.count(AuditEntry) == audits  # the same file again changes nothing
    faulty = [("files", ("tuonti.xlsx", new_hub_book("en", languages="swedish and finnish", hub="toinen"), XLSX))]
    refused = site.client.post("/imports", files=faulty, headers={**bearer, "Accept-Language": "sv"})
    assert refused.status_code == 422
    problem = refused.json()
    (fault,) = problem["errors"]
    assert fault["field"] == "staff[2].languages"
    assert fault["message"].startswith("Personal, rad 2, kolumn Språk: 'swedish and finnish' — ange språkkoder")
    assert site.count(HubRow, id="toinen") == 0
    counsellor = {"Authorization": f"Bearer {site.tokens['Cecilia']}", "Accept": "application/json"}
    assert site.client.post("/imports", files=files, headers=counsellor).status_code == 403


def test_uploads_have_a_limit_of_their_own(database_url: str) -> None:
    """A workbook larger than the service's body limit is taken by the import routes, up to the upload limit."""
    book = new_hub_book("en")
    with _site(database_url, max_body_bytes=1024, max_upload_bytes=len(book) + 4096) as site:
        bearer = {"Authorization": f"Bearer {site.tokens['Kaija']}", "Accept": "application/json"}
        files = [("files", ("tuonti.xlsx", book, XLSX))]
        assert site.client.post("/imports", params={"check": "true"}, files=files, headers=bearer).status_code == 200
        big = [("files", ("tuonti.xlsx", book + b"\0" * 8192, XLSX))]
        assert site.client.post("/imports", files=big, headers=bearer).status_code == 413
        assert site.client.post("/clients", content=b"x" * 2048, headers=bearer).status_code == 413


def test_two_imports_of_the_same_new_records_at_once_store_them_once(database_url: str) -> None:
    """Both imports succeed; the later one finds the earlier one's rows and updates (or leaves) them."""
    with _site(database_url) as site:
        engine = make_engine(site.url)
        files = [("tuonti.xlsx", new_hub_book("en"))]
        results: list[dict[str, int] | None] = []
        start = threading.Barrier(2)

        def run() -> None:
            with Session(engine) as session:
                start.wait()
                _, counts = import_sheets(session, files, "coordinator:test")
                session.commit()
                results.append(counts)

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        engine.dispose()
        assert len(results) == 2 and all(counts is not None for counts in results)
        assert site.count(HubRow, id="uusi-keskus") == 1 and site.count(StaffRow, base_hub="uusi-keskus") == 1
