"""The import page in a real browser: a coordinator uploads a workbook saved by LibreOffice, reads the faults,
uploads the corrected one, looks at the preview, and stores it.

What the page says is checked against the site's database, read directly here; the page passes axe-core
and is saved as screenshots (test-artifacts/import-*.png).
"""

from __future__ import annotations

from itertools import count
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.storage.models import HubRow, SheetUpload, StaffRow
from tests.pages.conftest import Site, axe_check, shot, sign_in
from tests.sheets_data import libreoffice, record_rows, sheet_name, xlsx_bytes

NUMBERS = count(1)


def workbook(folder: Path, hub: str, languages: str) -> Path:
    """A Finnish workbook of a new hub and a leader based there, opened and saved again by LibreOffice Calc."""
    hubs = record_rows(
        "hubs",
        [{"id": hub, "name": "Selaimen keskus", "municipality": "Karkkila", "lat": 60.53, "lon": 24.21}],
        "fi",
        ["id", "name", "municipality", "lat", "lon"],
    )
    staff = record_rows(
        "staff",
        [{"id": f"{hub}-leader", "qualified": True, "languages": [], "base_hub": hub, "max_weekly_minutes": 480}],
        "fi",
        ["id", "qualified", "languages", "base_hub", "max_weekly_minutes"],
    )
    staff[1][2] = languages
    written = folder / f"{hub}-{languages.replace(' ', '_')}.xlsx"
    written.write_bytes(xlsx_bytes({sheet_name("hubs", "fi"): hubs, sheet_name("staff", "fi"): staff}))
    return libreoffice(written, "xlsx", folder)


def test_a_coordinator_imports_a_workbook_after_reading_its_preview(
    page: Page, site: Site, db: Session, tmp_path: Path
) -> None:
    hub = f"browser-hub-{next(NUMBERS)}"
    sign_in(page, site, "coordinator", "/week/import")
    expect(page.locator("h1")).to_have_text("Tuonti taulukoista")
    expect(page.locator('.subnav a[aria-current="page"]')).to_have_text("Tuonti")

    page.locator("#files").set_input_files(str(workbook(tmp_path, hub, "ruotsi ja suomi")))
    page.locator("#import-upload").click()
    faults = page.locator("#import-faults li")
    expect(faults).to_have_count(1)
    expect(faults.first).to_have_text(
        "Henkilöstö, rivi 2, sarake Kielet: 'ruotsi ja suomi' — anna kielikoodit pilkuin: fi, sv"
    )
    expect(page.locator("#import-store")).to_have_count(0)
    axe_check(page)
    shot(page, "import-faults")

    page.locator("#files").set_input_files(str(workbook(tmp_path, hub, "sv, fi")))
    page.locator("#import-upload").click()
    expect(page.locator("#kind-hubs [data-outcome=created]")).to_have_text("1")
    expect(page.locator("#kind-staff [data-outcome=created]")).to_have_text("1")
    stored_hubs = db.scalar(select(func.count(HubRow.id))) or 0
    expect(page.locator("#kind-hubs [data-outcome=missing]")).to_have_text(str(stored_hubs))
    expect(page.locator("#import-missing")).to_contain_text("Toimipisteet: ")
    expect(page.locator("table.import-summary thead th").nth(1)).to_have_text("uusia")
    expect(page.locator("#kind-staff th")).to_have_text("Henkilöstö")
    assert db.get(HubRow, hub) is None  # a preview stores nothing
    axe_check(page)
    shot(page, "import-preview")

    page.locator("#import-store").click()
    expect(page.locator("#import-stored")).to_be_visible()
    db.expire_all()
    leader = db.get(StaffRow, f"{hub}-leader")
    assert leader is not None and leader.languages == ["sv", "fi"] and leader.base_hub == hub
    assert (db.scalar(select(func.count(HubRow.id))) or 0) == stored_hubs + 1
    assert db.scalar(select(func.count()).select_from(SheetUpload)) == 0
    shot(page, "import-stored")
