"""A counsellor's "my clients" and the coordinator's clients list in a real browser, on a phone and without
JavaScript: the clients needing attention first, the alias only on the counsellor's own page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import ClientRow
from scheduler.storage.tokens import create_token
from tests.pages.conftest import Site, axe_check, shot, sign_in

PHONE = {"width": 390, "height": 844}


def _post(site: Site, path: str, body: dict[str, Any]) -> None:
    answer = httpx.post(site.url + path, json=body, headers=site.as_role("coordinator"), timeout=10)
    assert answer.status_code == 201, answer.text


@pytest.fixture(scope="module")
def counsellor(site: Site) -> str:
    """A counsellor with three clients (one past the §45 deadline, one whose decision ends soon, one calm) and a
    token of their own under the site's tokens as `own`; another counsellor with one client."""
    today = date.today()  # the served site runs on the computer's clock
    base = {"languages": ["fi"], "home_lat": 60.25, "home_lon": 24.06, "travel_mode": "car", "max_travel_minutes": 60}
    for ident, name in (("browser-anna", "Anna"), ("browser-ben", "Ben")):
        _post(site, "/counsellors", {"id": ident, "name": name})
    clients = {
        "mine-late": {"case_opened": (today - timedelta(days=200)).isoformat(), "alias": "Late Laura"},
        "mine-soon": {
            "case_opened": (today - timedelta(days=100)).isoformat(),
            "decisions": [
                {"start": (today - timedelta(days=60)).isoformat(), "end": (today + timedelta(days=10)).isoformat()}
            ],
            "evaluations": [(today - timedelta(days=1)).isoformat()],
        },
        "mine-calm": {"waiting_since": (today - timedelta(days=5)).isoformat(), "alias": "Calm Carl"},
    }
    for ident, fields in clients.items():
        _post(site, "/clients", {"id": ident, **base, **fields, "counsellor_id": "browser-anna"})
    _post(
        site,
        "/clients",
        {
            "id": "theirs-1",
            **base,
            "waiting_since": today.isoformat(),
            "counsellor_id": "browser-ben",
            "alias": "Ben's Bo",
        },
    )
    engine = make_engine(site.database_url)
    with session_scope(engine) as session:
        site.tokens["own"] = create_token(
            session, "counsellor", "Anna's phone", counsellor_id="browser-anna", actor="test"
        )[1]
    engine.dispose()
    return "browser-anna"


def _others(site: Site, counsellor: str) -> int:
    """Clients in service whom another counsellor owns (the demo's and `theirs-1`)."""
    engine = make_engine(site.database_url)
    with session_scope(engine) as session:
        count = session.scalar(
            select(func.count())
            .select_from(ClientRow)
            .where(ClientRow.in_service, ClientRow.counsellor_id.is_not(None), ClientRow.counsellor_id != counsellor)
        )
    engine.dispose()
    assert count is not None and count >= 1
    return count


def test_my_clients_on_a_phone_without_javascript(browser: Browser, site: Site, counsellor: str) -> None:
    context = browser.new_context(base_url=site.url, viewport=PHONE, locale="fi-FI", java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, site, "own", "/my/clients")
        expect(page.locator("h1")).to_have_text("Omat asiakkaat")
        expect(page.locator("nav.main-nav a[href='/my/clients']")).to_have_attribute("aria-current", "page")
        first = page.locator("#attention-list > li")
        expect(first).to_have_count(2)
        expect(first.nth(0)).to_contain_text("Late Laura")
        expect(first.nth(0)).to_contain_text("§45:n määräaika on umpeutunut ilman päätöstä")
        expect(first.nth(1)).to_contain_text("mine-soon")
        expect(first.nth(1)).to_contain_text("Päätös päättyy neljän viikon kuluessa")
        expect(page.locator("#my-list")).to_contain_text("Calm Carl")
        expect(page.locator("main")).not_to_contain_text("theirs-1")
        expect(page.locator("main")).not_to_contain_text("Ben's Bo")
        expect(page.locator("#others-counts")).to_contain_text(f"Asiakkaita: {_others(site, counsellor)} ")
        shot(page, "my-clients-phone")
    finally:
        context.close()


def test_my_clients_in_swedish_passes_axe(page: Page, site: Site, counsellor: str) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, site, "own", "/my/clients")
    page.goto("/my/clients?lang=sv")
    expect(page.locator("h1")).to_have_text("Mina klienter")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "no sideways scrolling"
    axe_check(page)


def test_the_coordinator_lists_clients_needing_attention(page: Page, site: Site, counsellor: str) -> None:
    sign_in(page, site, "coordinator", "/week/clients")
    late = page.locator("#row-mine-late")
    expect(late).to_contain_text("Anna")
    expect(late).to_contain_text("umpeutunut")
    expect(page.locator("main")).not_to_contain_text("Late Laura")
    page.locator("p.filter a").click()
    expect(page).to_have_url(f"{site.url}/week/clients?attention=true")
    expect(page.locator("#row-mine-late")).to_be_visible()
    expect(page.locator("#row-mine-calm")).to_have_count(0)
    axe_check(page)
    shot(page, "week-clients-attention")
