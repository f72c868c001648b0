"""A counsellor in a real browser: sign in, find groups for a client, reserve a seat and see it taken."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.pages.conftest import Site, axe_check, shot, sign_in


def client_with_a_free_option(site: Site) -> tuple[str, dict[str, Any]]:
    """A new client whom a group with a free seat suits, and that group: their first recommendation."""
    client_id = site.new_client_for(site.group_with_free_seats(2))
    found = httpx.post(
        f"{site.url}/offering/recommend", json={"client_id": client_id}, headers=site.as_role("counsellor"), timeout=10
    ).json()
    return client_id, found["options"][0]["group"]


def free_seats_on_group_page(page: Page, group_id: str) -> int:
    page.goto(f"/group/{group_id}")
    return int(page.locator("main .seats .figure").first.inner_text())


def test_anonymous_visitors_are_sent_to_sign_in(page: Page, site: Site) -> None:
    page.goto("/find")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Ffind$"))
    page.locator("#token").fill("tj_not-a-token")
    page.locator("form.stack button[type=submit]").click()
    expect(page.locator("#signin-error")).to_contain_text("Tunniste ei kelpaa")
    axe_check(page)
    shot(page, "signin-failed")


def test_counsellor_reserves_a_seat_and_free_seats_drop(page: Page, site: Site) -> None:
    client_id, group = client_with_a_free_option(site)
    before = free_seats_on_group_page(page, str(group["id"]))
    assert before == group["free_seats"]
    sign_in(page, site, "counsellor", "/find")
    page.get_by_label("Asiakkaan pseudonyymi tunnus").fill(client_id)
    page.get_by_label("Asiakkaan pseudonyymi tunnus").press("Enter")
    expect(page.locator("#client-h")).to_contain_text(client_id)
    first = page.locator("ol.options > li").first
    expect(first.locator("h4")).to_contain_text(str(group["name"]["fi"]))
    expect(first.locator("ul.reasons li")).not_to_have_count(0)
    axe_check(page)
    shot(page, "find-client")
    first.get_by_role("button", name=re.compile("Varaa paikka")).dblclick()  # a double click books once
    expect(page.locator("#done")).to_contain_text(f"Paikka varattu asiakkaalle {client_id}")
    expect(page.locator("#done .figure")).to_have_text(str(before - 1))
    shot(page, "find-reserved")
    assert free_seats_on_group_page(page, str(group["id"])) == before - 1
    page.goto("/")
    card = page.locator(f"article.card:has(a[href='/group/{group['id']}'])")
    expect(card.locator(".figure")).to_have_text(str(before - 1))


def test_anonymous_profile_shows_reasons_when_nothing_fits(page: Page, site: Site) -> None:
    sign_in(page, site, "counsellor", "/find?lang=en")
    page.get_by_label("English").check()
    page.get_by_label("Interest 1").select_option("games")
    page.get_by_label("Needs an accessible room").check()
    page.locator("form.profile button[type=submit]").click()
    results = page.locator("section[aria-labelledby=anon-results-h]")
    expect(results).to_be_visible()
    expect(results.locator(".empty, li.option").first).to_be_visible()
    axe_check(page)
    shot(page, "find-profile")


def test_profile_without_a_language_names_the_field(page: Page, site: Site) -> None:
    sign_in(page, site, "counsellor", "/find?lang=sv")
    page.locator("form.profile button[type=submit]").click()
    expect(page.locator("#profile-faults")).to_contain_text("Språk: välj minst ett språk")
