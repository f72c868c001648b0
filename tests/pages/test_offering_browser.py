"""The offering in a real browser: cards, filters, a group's page, the map, without JavaScript too."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import Site, axe_check, shot


def test_home_page_shows_cards_the_map_and_passes_axe(page: Page, site: Site) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.locator("h1")).to_have_text("Sosiaalisen kuntoutuksen ryhmätarjonta")
    cards = page.locator("article.card")
    expected = len(site.get("/offering", limit=500).json()["items"])
    expect(cards).to_have_count(expected)
    expect(page.locator("svg.hubmap circle").first).to_be_visible()
    axe_check(page)
    shot(page, "offering")
