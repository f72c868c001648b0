"""Partners' activities in a real browser: their own page by municipality (with and without JavaScript, in fi,
sv and en), marked as partners' everywhere, and the offering page's section of them apart from the groups."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.pages.conftest import Site, axe_check, shot, sign_in
from tests.paths import ROOT

CSV = (ROOT / "tests" / "data" / "partners.csv").read_text(encoding="utf-8")
ROWS = list(csv.DictReader(io.StringIO(CSV)))


@pytest.fixture
def imported(site: Site) -> Site:
    """The site with tests/data/partners.csv imported (again: the import changes nothing the second time)."""
    answer = httpx.post(
        site.url + "/partners/import",
        content=CSV.encode(),
        headers={**site.as_role("coordinator"), "Content-Type": "text/csv"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return site


def test_the_partners_page_lists_them_by_municipality_marked_as_partners(page: Page, imported: Site) -> None:
    page.goto("/partner-activities")
    expect(page.locator("h1")).to_have_text("Kumppanien toiminta")
    cards = page.locator("article.card.partner")
    expect(cards).to_have_count(len(ROWS))
    expect(page.locator("article.card.partner .partner-mark")).to_have_count(len(ROWS))
    for mark in page.locator("article.card.partner .partner-mark").all():
        expect(mark).to_contain_text("Kumppanin toiminta")
    towns = sorted({r["municipality"] for r in ROWS})
    expect(page.locator("section.town > h2")).to_have_text(towns)
    red_cross = page.locator("#ystavaryhma-lohja-virkkala-asukastalo")
    expect(red_cross).to_contain_text("Suomen Punainen Risti – Lohja")
    expect(red_cross).to_contain_text("tiistaina 13:00–15:00")
    expect(red_cross).to_contain_text("ystavaryhma.lohja@example.fi")
    expect(red_cross.locator("a[rel~=external]")).to_have_attribute(
        "href", "https://www.punainenristi.fi/ystavatoiminta"
    )
    expect(page.locator("a[download][href*='/partners.ics']")).to_have_attribute(
        "href", f"{imported.url}/partners.ics?lang=fi"
    )
    expect(page.locator("a[href^='webcal:'][href*='/partners.ics']")).to_have_count(1)
    feed = imported.get("/partners.ics", lang="fi")
    assert feed.status_code == 200 and feed.text.count("BEGIN:VEVENT") == len(ROWS)
    axe_check(page)
    shot(page, "partners")
    page.goto("/partner-activities?lang=sv")
    expect(page.locator("h1")).to_have_text("Partnernas verksamhet")
    expect(page.locator("article.card.partner .partner-mark").first).to_contain_text("Partneraktivitet")
    page.goto("/partner-activities?lang=en")
    expect(page.locator("h1")).to_have_text("Partner activities")


def test_the_filter_form_works_without_javascript(no_js_page: Page, imported: Site) -> None:
    no_js_page.goto("/partner-activities?lang=en")
    no_js_page.select_option("#p-municipality", "Raasepori")
    no_js_page.click("form.filters button[type=submit]")
    expect(no_js_page).to_have_url(f"{imported.url}/partner-activities?lang=en&municipality=Raasepori&language=&day=")
    expect(no_js_page.locator("article.card.partner")).to_have_count(
        sum(r["municipality"] == "Raasepori" for r in ROWS)
    )
    expect(no_js_page.locator("#presults-h")).to_contain_text(f"of {len(ROWS)}")
    no_js_page.select_option("#p-day", "tue")
    no_js_page.click("form.filters button[type=submit]")
    expect(no_js_page.locator("article.card.partner")).to_have_count(1)
    expect(no_js_page.locator("article.card.partner h3")).to_have_text("Vänträff")


def test_the_offering_page_shows_partners_apart_and_links_to_their_page(page: Page, imported: Site) -> None:
    page.goto("/")
    groups = len(imported.get("/offering", limit=500).json()["items"])
    expect(page.locator("article.card")).to_have_count(groups)  # no partner among the group cards
    section = page.locator("section:has(#partners-h)")
    expect(section.locator("#partners-h")).to_have_text("Kumppanien toiminta")
    expect(section.locator("li[data-partner=true]")).to_have_count(len(ROWS))
    expect(section.locator("li[data-partner=true] .partner-mark").first).to_contain_text("Kumppanin toiminta")
    page.goto("/?municipality=Lohja")
    expect(page.locator("section:has(#partners-h) li")).to_have_count(sum(r["municipality"] == "Lohja" for r in ROWS))
    section.get_by_role("link", name="Kaikki kumppanien toiminta").click()
    expect(page).to_have_url(f"{imported.url}/partner-activities?lang=fi")
    expect(page.locator("article.card.partner")).to_have_count(len(ROWS))


def test_find_lists_suiting_partner_activities_apart_from_the_groups(page: Page, imported: Site) -> None:
    peer = {"language": "sv", "theme": "peer", "day": "tue", "audience": "all", "place": None}
    client_id = imported.new_client_for(peer)  # Swedish, peer support, any time on Tuesdays
    sign_in(page, imported, "counsellor", "/find")
    page.get_by_label("Asiakkaan pseudonyymi tunnus").fill(client_id)
    page.get_by_label("Asiakkaan pseudonyymi tunnus").press("Enter")
    expect(page.locator("#client-h")).to_contain_text(client_id)
    section = page.locator("section:has(#partners-client-h)")
    expect(section.locator("#partners-client-h")).to_have_text("Sopivaa kumppanien toimintaa")
    expected = [r for r in ROWS if "sv" in r["languages"].split(";") and r["theme"] == "peer" and r["day"] == "tue"]
    assert len(expected) == 2
    expect(section.locator("li[data-partner=true]")).to_have_count(len(expected))
    for row in expected:
        expect(section.locator(f"li:has(a[href$='#{row['id']}'])")).to_contain_text(row["organisation"])
    expect(page.locator("ol.options li[data-partner]")).to_have_count(0)
    axe_check(page)
    shot(page, "find-partners")
