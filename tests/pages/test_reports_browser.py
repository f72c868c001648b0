"""The county's figures and the feedback form in a real browser (Chromium): charts drawn inline, nothing
fetched from elsewhere, axe-core clean, usable at 360 px and without JavaScript.

The site is the demo county (tests/pages/conftest.py); the figures it shows are checked against the
JSON API's answer for the same period, whose every figure tests/api/test_reports.py checks on a
county with known answers. A feedback form sent through the page is counted on the figures page.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.storage.database import make_engine
from scheduler.storage.models import GroupRow
from tests.pages.conftest import Site, axe_check, shot, sign_in


@pytest.fixture
def outside(page: Page, site: Site) -> Iterator[list[str]]:
    """Every request the page makes to another origin (there must be none)."""
    seen: list[str] = []
    page.on(
        "request", lambda request: None if request.url.startswith((site.url, "data:")) else seen.append(request.url)
    )
    yield seen


def _figures(site: Site) -> dict:
    answer = httpx.get(site.url + "/reports/county", headers=site.as_role("coordinator"), timeout=30)
    assert answer.status_code == 200
    return answer.json()


def _first_group(site: Site) -> str:
    engine = make_engine(site.database_url)
    with Session(engine) as session:
        group = session.scalars(select(GroupRow.id).where(GroupRow.status == "running").order_by(GroupRow.id)).first()
    engine.dispose()
    assert group is not None
    return group


def test_feedback_given_in_the_browser_shows_in_the_figures(page: Page, site: Site, outside: list[str]) -> None:
    group = _first_group(site)
    sign_in(page, site, "coordinator", f"/group/{group}")
    page.get_by_role("link", name="Anna ryhmän palaute").click()
    expect(page.locator("h1")).to_contain_text("palaute")
    axe_check(page)
    page.locator("fieldset").first.get_by_label("5", exact=True).check()
    page.get_by_label("Kommentti (vapaaehtoinen)").fill("Selain kävi täällä")
    page.get_by_role("button", name="Tallenna palaute").click()
    expect(page.locator("#sent")).to_be_visible()
    shot(page, "feedback-form")

    page.goto("/reports/county")
    expect(page.locator("h1")).to_have_text("Hyvinvointialueen luvut")
    expect(page.locator("svg.bars")).to_have_count(5)
    expect(page.locator("#comments")).to_contain_text("Selain kävi täällä")
    figures = _figures(site)
    assert figures["feedback"]["forms"]["group"] >= 1
    expect(page.locator("#clients td").first).to_have_text(str(figures["clients"]["in_group_work"]))
    for chart in page.locator("svg.bars").all():  # each chart is described by its table
        described = chart.get_attribute("aria-describedby")
        assert described and page.locator(f"#{described} tbody tr").count() == chart.locator("rect").count()
    axe_check(page)
    shot(page, "county-figures")
    assert outside == []


def test_the_period_form_works_without_javascript_and_on_a_phone(no_js_page: Page, site: Site) -> None:
    page = no_js_page
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, site, "coordinator", "/reports/county")
    today = date.today()
    page.locator("#from").fill(f"{today.year}-01-01")
    page.locator("#to").fill(today.isoformat())
    page.get_by_role("button", name="Näytä luvut").click()
    expect(page).to_have_url(f"{site.url}/reports/county?from={today.year}-01-01&to={today.isoformat()}")
    expect(page.locator("svg.bars")).to_have_count(5)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 360, f"the page is {wide} px wide on a 360 px screen"
    shot(page, "county-figures-phone")
