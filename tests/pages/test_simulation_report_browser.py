"""The simulated season's HTML report opened from disk in a real browser (Chromium), as a county manager opens
the file `tarjotin simulate --html` writes: nothing fetched, the charts drawn, axe-core clean with every table
open, readable at 360 px. The report is the made-up one of tests/api/test_simulation_report.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from api.pages.simulation_report import WEEK_SECTIONS, render_simulation
from tests.api.test_simulation_report import TRICKY, build_report
from tests.pages.conftest import axe_check, shot

CHARTS = sum(len(curves) for _, _, curves in WEEK_SECTIONS)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("simulation")
    report = build_report()
    written = {}
    for lang in ("fi", "sv", "en"):
        written[lang] = folder / f"season-{lang}.html"
        written[lang].write_text(render_simulation(report, lang), encoding="utf-8")
    return written


def _open(browser: Browser, path: Path, width: int = 1280) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fi-FI")
    context.set_default_timeout(15_000)
    page = context.new_page()
    elsewhere: list[str] = []
    page.on("request", lambda request: None if request.url == path.as_uri() else elsewhere.append(request.url))
    page.goto(path.as_uri())
    yield page, elsewhere
    context.close()


@pytest.fixture
def finnish(browser: Browser, files: dict[str, Path]) -> Iterator[tuple[Page, list[str]]]:
    yield from _open(browser, files["fi"])


@pytest.fixture
def phone(browser: Browser, files: dict[str, Path]) -> Iterator[tuple[Page, list[str]]]:
    yield from _open(browser, files["en"], width=360)


def test_the_report_opens_from_disk_whole_and_passes_axe(finnish: tuple[Page, list[str]]) -> None:
    page, elsewhere = finnish
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.locator("h1")).to_have_text("Simuloitu kausi: Länsi-Uusimaa")
    expect(page.locator("svg.lines")).to_have_count(CHARTS)
    expect(page.locator("svg.bars")).to_have_count(2)
    box = page.locator("#chart-week-waiting").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    expect(page.locator("#chart-week-waiting polyline")).to_have_count(2)
    page.locator("details summary").first.click()
    expect(page.locator("#table-week-waiting")).to_be_visible()
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    expect(page.locator("#table-week-driving_minutes")).to_be_visible()
    axe_check(page)
    shot(page, "simulation-report-fi")
    assert elsewhere == []
    assert page.locator("script").count() == 0


def test_the_report_reads_on_a_phone(phone: tuple[Page, list[str]]) -> None:
    page, elsewhere = phone
    expect(page.locator("h1")).to_have_text("Simulated season: Länsi-Uusimaa")
    expect(page.locator("ul.legend").first).to_contain_text(TRICKY)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide at 360 px"
    box = page.locator("#chart-week-waiting").bounding_box()
    assert box is not None and box["width"] <= 360
    axe_check(page)
    shot(page, "simulation-report-en-360")
    assert elsewhere == []
