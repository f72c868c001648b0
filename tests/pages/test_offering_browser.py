"""The offering in a real browser: cards, filters, a group's page, the map, without JavaScript too."""

from __future__ import annotations

from datetime import date

import holidays
import httpx
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


def test_group_page_strikes_cancelled_sessions_with_their_reason(page: Page, site: Site) -> None:
    group = site.group_with_free_seats(0, day="fri")  # Good Friday falls in the spring term
    sessions = site.get(f"/groups/{group['id']}/sessions", headers=site.as_role("coordinator")).json()
    held = [s for s in sessions if s["status"] == "held"]
    answer = httpx.post(f"{site.url}/groups/{group['id']}/sessions/{held[1]['planned']}/cancel",
                        json={"reason": "ohjaaja sairastui"}, headers=site.as_role("coordinator"), timeout=10)
    assert answer.status_code == 200, answer.text
    page.goto(f"/group/{group['id']}")
    expect(page.locator("h1")).to_have_text(group["name"]["fi"])
    expect(page.locator("main .seats .figure")).to_have_text(str(group["free_seats"]))
    cancelled = page.locator("ol.sessions li.cancelled")
    expect(cancelled.locator("del")).to_have_count(sum(s["status"] == "cancelled" for s in sessions) + 1)
    expect(page.locator(f"li.cancelled:has(time[datetime='{held[1]['planned']}'])")).to_contain_text(
        "Peruttu: ohjaaja sairastui")
    holiday = next(date.fromisoformat(s["planned"]) for s in sessions if s["cause"] == "holiday")
    axe_check(page)
    shot(page, "group")
    page.goto(f"/group/{group['id']}?lang=sv")  # the public holiday is named in the page's language
    swedish = holidays.country_holidays("FI", years=holiday.year, language="sv")[holiday]
    expect(page.locator(f"li.cancelled:has(time[datetime='{holiday.isoformat()}'])")).to_contain_text(
        f"Inställd: {swedish}")


def test_unknown_group_is_a_friendly_404_page(page: Page, site: Site) -> None:
    answer = page.goto("/group/no-such-group?lang=en")
    assert answer is not None and answer.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    axe_check(page)
    shot(page, "group-404")
