"""The offering in a real browser: cards, filters, a group's page, the map, without JavaScript too."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.pages.conftest import Site, _context, axe_check, shot


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
    answer = httpx.post(
        f"{site.url}/groups/{group['id']}/sessions/{held[1]['planned']}/cancel",
        json={"reason": "ohjaaja sairastui"},
        headers=site.as_role("coordinator"),
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    page.goto(f"/group/{group['id']}")
    expect(page.locator("h1")).to_have_text(group["name"]["fi"])
    expect(page.locator("main .seats .figure")).to_have_text(str(group["free_seats"]))
    cancelled = page.locator("ol.sessions li.cancelled")
    expect(cancelled.locator("del")).to_have_count(sum(s["status"] == "cancelled" for s in sessions) + 1)
    expect(page.locator(f"li.cancelled:has(time[datetime='{held[1]['planned']}'])")).to_contain_text(
        "Peruttu: ohjaaja sairastui"
    )
    holiday = next(s["planned"] for s in sessions if s["cause"] == "holiday")
    assert holiday == "2027-03-26"  # Good Friday
    axe_check(page)
    shot(page, "group")
    page.goto(f"/group/{group['id']}?lang=sv")  # the public holiday is named in the page's language
    expect(page.locator(f"li.cancelled:has(time[datetime='{holiday}'])")).to_contain_text(
        "Inställd: Långfredagen (helgdag)"
    )


def test_unknown_group_is_a_friendly_404_page(page: Page, site: Site) -> None:
    answer = page.goto("/group/no-such-group?lang=en")
    assert answer is not None and answer.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    axe_check(page)
    shot(page, "group-404")


def test_filter_by_language_and_municipality(page: Page, site: Site) -> None:
    page.goto("/")
    page.get_by_label("Kieli", exact=True).select_option("sv")
    page.get_by_label("Kunta").select_option("Raasepori")
    page.get_by_role("button", name="Näytä ryhmät").click()
    expect(page).to_have_url(re.compile(r"municipality=Raasepori"))
    expected = site.get("/offering", limit=500, language="sv", municipality="Raasepori").json()["items"]
    assert expected, "the scenario has Swedish groups in Raasepori"
    cards = page.locator("article.card")
    expect(cards).to_have_count(len(expected))
    for card in cards.all():
        expect(card.locator("dd").nth(1)).to_contain_text(re.compile(r"Ekenäs|Karis"))
        expect(card.locator("dd").nth(2)).to_have_text("ruotsi")
    expect(page.locator("svg.hubmap g.hub:not(.none)")).to_have_count(len({g["place"]["hub_id"] for g in expected}))
    axe_check(page)
    shot(page, "offering-filtered")


def test_nothing_matches_says_so_and_suggests_loosening(page: Page, site: Site) -> None:
    page.goto("/?municipality=Hanko&day=sun&lang=en")
    expect(page.locator(".empty")).to_contain_text("No group matches these filters.")
    expect(page.locator(".empty")).to_contain_text("Try loosening a filter")
    axe_check(page)
    shot(page, "offering-empty")


def test_language_switch_is_remembered(page: Page, site: Site) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Kielen valinta").get_by_role("link", name="svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h1")).to_have_text("Gruppubudet inom social rehabilitering")
    expect(page.locator("article.card .seats").first).to_contain_text(re.compile("ledig|fullt"))
    page.locator("article.card h3 a").first.click()  # the next page, without ?lang=, stays Swedish
    expect(page).not_to_have_url(re.compile("lang="))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", name="Träffarna den här terminen")).to_be_visible()
    expect(page.locator("ol.sessions time").first).to_contain_text(re.compile("måndag|tisdag|onsdag|torsdag|fredag"))
    axe_check(page)
    shot(page, "group-sv")


def test_a_swedish_browser_gets_swedish_pages_until_the_switch_says_otherwise(browser: Browser, site: Site) -> None:
    context = _context(browser, site, locale="sv-FI")  # Accept-Language: sv-FI
    page = context.new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h1")).to_have_text("Gruppubudet inom social rehabilitering")
    page.get_by_role("navigation", name="Välj språk").get_by_role("link", name="suomi").click()
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    page.goto("/")  # the switch is remembered over the browser's language
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    context.close()


def test_keyboard_reaches_the_filter_and_submits_with_enter(page: Page, site: Site) -> None:
    page.goto("/?lang=en")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    expect(page.locator("a.skip")).to_be_visible()  # the skip link shows itself when focused
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "f-municipality":
            break
    expect(page.locator("#f-municipality")).to_be_focused()
    outline = page.locator("#f-municipality").evaluate(
        "e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth"
    )
    assert outline.startswith("solid") and not outline.endswith(" 0px"), f"no visible focus: {outline}"
    shot(page, "offering-keyboard-focus")
    page.keyboard.press("ArrowDown")  # a closed select changes its value with the arrow keys
    chosen = page.locator("#f-municipality").input_value()
    assert chosen
    submit = page.locator("form.filters button[type=submit]")
    for _ in range(10):
        page.keyboard.press("Tab")
        if submit.evaluate("e => e === document.activeElement"):
            break
    expect(submit).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"municipality={chosen}"))
    expect(page.locator("article.card").first).to_contain_text(chosen)


def test_without_javascript_the_offering_browses_and_filters(no_js_page: Page, site: Site) -> None:
    page = no_js_page
    page.goto("/?lang=en")
    expect(page.locator("article.card").first).to_be_visible()
    page.get_by_label("Weekday").select_option("tue")
    page.get_by_label("Only groups with free seats").check()
    page.get_by_role("button", name="Show groups").click()
    expected = site.get("/offering", limit=500, day="tue", free_only="true").json()["items"]
    expect(page.locator("article.card")).to_have_count(len(expected))
    page.locator("article.card h3 a").first.click()
    expect(page.locator("ol.sessions li").first).to_be_visible()
    shot(page, "offering-no-js")
