"""A coordinator enters a partner activity on a page in a real browser (no JavaScript needed): every faulty
field named at once and nothing stored, then saved, edited (its calendar sequence moves) and removed, seen on
the public page and in the feed; a counsellor may not enter one."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.pages.conftest import Site, axe_check, sign_in

ID = "kirjasto-shakkikerho-browser"


def _stored(site: Site) -> dict[str, dict[str, object]]:
    answer = httpx.get(site.url + "/partners", timeout=10)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    items = body["items"] if isinstance(body, dict) else body
    return {item["id"]: item for item in items}


def _fill(page: Page, **values: str) -> None:
    for name, value in values.items():
        if name == "day":
            page.locator("#f-day").select_option(value)
        else:
            page.locator(f"#f-{name}").fill(value)


def test_a_coordinator_enters_edits_and_removes_a_partner_activity(page: Page, site: Site) -> None:
    before = _stored(site)
    sign_in(page, site, "coordinator", "/partner-activities")
    page.locator("#enter-partners").click()
    expect(page.locator("h1")).to_have_text("Kirjaa kumppanien toimintaa")
    _fill(page, id=ID, organisation="", name="Shakkikerho", municipality="Lohja", place="Lohjan pääkirjasto")
    _fill(
        page,
        day="wed",
        start="15:00",
        end="14:00",
        languages="fi, sv",
        theme="community",
        contact="kirjasto@example.fi",
    )
    page.locator("#partner-form button[type=submit]").click()
    faults = page.locator("#faults li")
    expect(faults).to_have_count(3)  # organisation, end before start, languages with a comma
    expect(page.locator("#faults")).to_contain_text("Järjestäjä")
    expect(page.locator("#faults")).to_contain_text("Päättyy klo")
    expect(page.locator("#faults")).to_contain_text("puolipisteellä")
    expect(page.locator("#f-name")).to_have_value("Shakkikerho")  # what was typed is kept
    assert _stored(site) == before  # nothing stored
    axe_check(page)
    _fill(page, organisation="Lohjan kirjasto", end="16:30", languages="fi;sv")
    page.locator("#f-accessible").check()
    page.locator("#partner-form button[type=submit]").click()
    expect(page.locator("#saved")).to_contain_text(ID)
    saved = _stored(site)[ID]
    assert (saved["day"], saved["start"], saved["end"], saved["languages"], saved["accessible"]) == (
        "wed",
        "15:00",
        "16:30",
        ["fi", "sv"],
        True,
    )
    page.goto(f"/partner-activities/edit?id={ID}")
    expect(page.locator("#f-organisation")).to_have_value("Lohjan kirjasto")
    _fill(page, start="14:00")
    page.locator("#partner-form button[type=submit]").click()
    expect(page.locator("#saved")).to_be_visible()
    edited = _stored(site)[ID]
    assert edited["start"] == "14:00" and int(str(edited["sequence"])) == int(str(saved["sequence"])) + 1
    page.goto("/partner-activities")
    expect(page.locator("body")).to_contain_text("Shakkikerho")
    assert "Shakkikerho" in httpx.get(site.url + "/partners.ics", timeout=10).text
    page.goto("/partner-activities/edit")
    page.locator(f"form[action='/partner-activities/{ID}/remove'] button").click()
    expect(page.locator("#removed")).to_contain_text(ID)
    assert ID not in _stored(site)


@pytest.mark.parametrize("role", ["counsellor"])
def test_only_a_coordinator_enters_partner_activities(page: Page, site: Site, role: str) -> None:
    sign_in(page, site, role, "/partner-activities")
    expect(page.locator("#enter-partners")).to_have_count(0)
    answer = page.goto("/partner-activities/edit")
    assert answer is not None and answer.status == 403
