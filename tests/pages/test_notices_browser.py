"""The notices page in a real browser, on a phone (360 px) without JavaScript: a counsellor reads their own
notices, their client named by alias and linked to "my clients", marks one read; no sideways scrolling, axe clean."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from scheduler.services.notices import notify
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import GroupRow
from scheduler.storage.tokens import create_token
from tests.pages.conftest import Site, axe_check, shot, sign_in

PHONE = {"width": 360, "height": 780}


@pytest.fixture(scope="module")
def reader(site: Site) -> str:
    """Counsellor `notice-nina` with one client (alias "Noora N") and two notices about her in a running group."""
    coordinator = site.as_role("coordinator")
    made = httpx.post(site.url + "/counsellors", json={"id": "notice-nina", "name": "Nina"}, headers=coordinator)
    assert made.status_code == 201, made.text
    client = {
        "id": "notice-client",
        "languages": ["fi"],
        "home_lat": 60.25,
        "home_lon": 24.06,
        "travel_mode": "car",
        "max_travel_minutes": 60,
        "counsellor_id": "notice-nina",
        "alias": "Noora N",
        "waiting_since": date.today().isoformat(),
    }
    answer = httpx.post(site.url + "/clients", json=client, headers=coordinator)
    assert answer.status_code == 201, answer.text
    engine = make_engine(site.database_url)
    with session_scope(engine) as session:
        group = session.scalars(select(GroupRow).where(GroupRow.status == "running").order_by(GroupRow.id)).first()
        assert group is not None
        day = date.today()
        args = {"from": {"day": day.isoformat(), "start": group.start, "end": group.end, "hub": group.hub_id}}
        for kind, ref in (("offer_made", "offer:browser"), ("session_cancelled", "session:browser")):
            notify(
                session,
                kind,
                ref,
                counsellor_id="notice-nina",
                client_id="notice-client",
                group_id=group.id,
                day=day,
                args={**args, "starts_on": day.isoformat(), "reply_by": day.isoformat(), "clients": 1},
                now=datetime.now(UTC),
            )
        site.tokens["nina"] = create_token(session, "counsellor", "Nina", counsellor_id="notice-nina", actor="t")[1]
    engine.dispose()
    return "notice-nina"


def test_notices_on_a_phone_without_javascript(browser: Browser, site: Site, reader: str) -> None:
    context = browser.new_context(base_url=site.url, viewport=PHONE, locale="fi-FI", java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, site, "nina", "/my/notices")
        expect(page.locator("h1")).to_have_text("Ilmoitukset")
        expect(page.locator("nav.main-nav a[href='/my/notices']")).to_have_attribute("aria-current", "page")
        cards = page.locator("#notices > li")
        expect(cards).to_have_count(2)
        expect(page.locator("#unread-count")).to_have_text("Lukematta: 2 / 2.")
        expect(cards.nth(0)).to_contain_text("Noora N")
        expect(cards.nth(0).locator("a[href='/my/clients#client-notice-client']")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "no sideways scrolling"
        shot(page, "notices-phone")
        cards.nth(0).get_by_role("button", name="Merkitse luetuksi").click()
        expect(page.locator("#unread-count")).to_have_text("Lukematta: 1 / 2.")
    finally:
        context.close()


def test_notices_in_english_pass_axe(page: Page, site: Site, reader: str) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, site, "nina", "/my/notices")
    page.goto("/my/notices?lang=en")
    expect(page.locator("h1")).to_have_text("Notices")
    expect(page.locator("#notices")).to_contain_text("One of your clients was offered a seat")
    axe_check(page)
