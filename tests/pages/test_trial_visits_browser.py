"""Booking a trial visit from the counsellor's "my clients" in a real browser without JavaScript: the form (group
and date) books it, the card shows it, a wrong date is refused in the page's language, and cancelling frees it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import TrialVisit
from scheduler.storage.tokens import create_token
from tests.pages.conftest import Site, axe_check, shot, sign_in

PHONE = {"width": 390, "height": 844}
CLIENT = "trial-browser-1"


def _group(site: Site) -> dict[str, Any]:
    """A rolling in-person group of the live offering with a free seat and a coming session."""
    items = site.get("/offering", limit=500, modality="in_person").json()["items"]
    return next(
        g for g in items if g["free_seats"] >= 1 and g["next_sessions"] and g["kind"] not in ("process", "popup")
    )


@pytest.fixture(scope="module")
def trial_counsellor(site: Site) -> dict[str, Any]:
    """A counsellor with one waiting client whom the group suits, and a token of theirs under `trials`."""
    group = _group(site)
    coordinator = site.as_role("coordinator")
    answer = httpx.post(site.url + "/counsellors", json={"id": "trial-tiina", "name": "Tiina"}, headers=coordinator)
    assert answer.status_code == 201, answer.text
    place = group["place"]
    body = {
        "id": CLIENT,
        "alias": "Kokeilija Kim",
        "languages": [group["language"]],
        "home_lat": place["lat"],
        "home_lon": place["lon"],
        "travel_mode": "car",
        "max_travel_minutes": 120,
        "waiting_since": "2026-09-01",
        "counsellor_id": "trial-tiina",
    }
    answer = httpx.post(site.url + "/clients", json=body, headers=coordinator)
    assert answer.status_code == 201, answer.text
    engine = make_engine(site.database_url)
    with session_scope(engine) as session:
        site.tokens["trials"] = create_token(session, "counsellor", "Tiina", counsellor_id="trial-tiina", actor="t")[1]
    engine.dispose()
    return group


def _visits(site: Site) -> list[tuple[str, str, str]]:
    engine = make_engine(site.database_url)
    with session_scope(engine) as session:
        found = [
            (v.group_id, v.day.isoformat(), v.status)
            for v in session.scalars(select(TrialVisit).where(TrialVisit.client_id == CLIENT).order_by(TrialVisit.id))
        ]
    engine.dispose()
    return found


def test_a_counsellor_books_and_cancels_a_trial_visit_without_javascript(
    browser: Browser, site: Site, trial_counsellor: dict[str, Any]
) -> None:
    group = trial_counsellor
    day = group["next_sessions"][0]
    context = browser.new_context(base_url=site.url, viewport=PHONE, locale="fi-FI", java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, site, "trials", "/my/clients")
        card = page.locator(f"#client-{CLIENT}")
        expect(card).to_contain_text("Kokeilija Kim")
        card.locator("details.book-trial summary").click()
        form = card.locator("details.book-trial form")
        form.locator("select[name=group_id]").select_option(group["id"])
        form.locator("input[name=day]").fill("2099-01-01")  # no session of the group: refused, said in Finnish
        form.locator("button[type=submit]").click()
        expect(page.locator("#trial-refused")).to_contain_text("Valitse päivä, jona ryhmä kokoontuu")
        assert _visits(site) == []
        form = page.locator(f"#client-{CLIENT} details.book-trial form")
        form.locator("select[name=group_id]").select_option(group["id"])
        form.locator("input[name=day]").fill(day)
        form.locator("button[type=submit]").click()
        expect(page.locator("#trial-done")).to_have_text("Tutustumiskäynti on varattu.")
        visit = page.locator(f"#client-{CLIENT} .trial-visit")
        expect(visit).to_contain_text("Tutustumiskäynti")
        expect(visit).to_contain_text(group["id"])
        assert _visits(site) == [(group["id"], day, "booked")]
        shot(page, "trial-visit-booked")
        visit.get_by_role("button", name="Peru käynti").click()
        expect(page.locator("#trial-done")).to_have_text("Tutustumiskäynti on peruttu.")
        expect(page.locator(f"#client-{CLIENT} .trial-visit")).to_have_count(0)
        assert _visits(site) == [(group["id"], day, "cancelled")]
    finally:
        context.close()


def test_the_booking_form_in_swedish_passes_axe(page: Page, site: Site, trial_counsellor: dict[str, Any]) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, site, "trials", "/my/clients")
    page.goto("/my/clients?lang=sv")
    card = page.locator(f"#client-{CLIENT}")
    card.locator("details.book-trial summary").click()
    expect(card.locator("label[for='trial-day-" + CLIENT + "']")).to_have_text("Träffens datum")
    expect(card.locator("details.book-trial button[type=submit]")).to_have_text("Boka besöket")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "no sideways scrolling"
    axe_check(page)
