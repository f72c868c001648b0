"""A leader records a pop-up session's head count on a phone (360 px wide) with JavaScript off.

The site is its own `tarjotin serve` over the group kinds offering (`tests.group_kinds_data`) with its
term moved so that it began three weeks before today (the served site runs on the computer's clock).
aino leads g-pop, an open pop-up on Wednesdays: its page asks for a head count, not a participant list.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select, update

from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import GroupRow, HeadCount, PlanningSettings
from scheduler.storage.tokens import create_token
from tests.conftest import migrated
from tests.group_kinds_data import load_kinds_data
from tests.pages.conftest import TARJOTIN, Site, _context, _free_port, _wait_until_up, axe_check, shot

PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def popup_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("head-count-site")
    database = migrated("sqlite", folder)
    engine = make_engine(database)
    load_kinds_data(engine)
    today = date.today()
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=3)  # a Monday three weeks ago
    with session_scope(engine) as session:
        session.execute(update(PlanningSettings).values(term_start=start))
        session.execute(update(GroupRow).values(start_date=None, sessions=None))
        tokens = {"staff": create_token(session, "staff", "Aino", staff_id="aino")[1]}
    engine.dispose()
    port = _free_port()
    env = {**os.environ, "TARJOTIN_DATABASE_URL": database, "TARJOTIN_LOG_LEVEL": "WARNING"}  # output piped, unread
    server = subprocess.Popen(
        [TARJOTIN, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield Site(url, database, tokens)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def phone_without_js(browser: Browser, popup_site: Site) -> Iterator[Page]:
    context = _context(browser, popup_site, java_script_enabled=False)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    yield page
    context.close()


def _sign_in(page: Page, site: Site, lang: str) -> None:
    page.goto(f"/signin?lang={lang}")
    page.locator("#token").fill(site.tokens["staff"])
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url("**/my/sessions")


def _held_popup_day() -> str:
    """The pop-up's Wednesday two weeks into the moved term (held: it is in the past)."""
    today = date.today()
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=3)
    return (monday + timedelta(weeks=1, days=2)).isoformat()


def test_a_leader_records_a_head_count_on_a_phone_without_javascript(phone_without_js: Page, popup_site: Site) -> None:
    page = phone_without_js
    _sign_in(page, popup_site, "en")
    day = _held_popup_day()
    page.goto(f"/my/sessions/g-pop/{day}")
    expect(page.locator("h1")).to_contain_text("Head count")
    expect(page.locator("#popup-note")).to_contain_text("just come")
    expect(page.locator("fieldset.participant")).to_have_count(0)
    page.get_by_label("How many came (at most 11)").fill("9")
    page.get_by_role("button", name="Save head count").click()
    page.wait_for_url("**?saved=true")
    expect(page.locator("#saved")).to_contain_text("9 came")
    expect(page.get_by_label("How many came (at most 11)")).to_have_value("9")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"
    shot(page, "head-count-phone-en")

    page.goto(f"/my/sessions/g-pop/{day}")
    page.get_by_label("How many came (at most 11)").fill("40")  # more than the room: the browser keeps the form
    page.get_by_role("button", name="Save head count").click()
    expect(page.locator("#saved")).to_have_count(0)
    assert page.url.endswith(f"/my/sessions/g-pop/{day}")
    engine = make_engine(popup_site.database_url)
    with session_scope(engine) as session:
        assert [(r.day.isoformat(), r.head_count) for r in session.scalars(select(HeadCount))] == [(day, 9)]
    engine.dispose()


def test_a_coming_pop_up_session_has_no_form_and_speaks_finnish(phone_without_js: Page, popup_site: Site) -> None:
    page = phone_without_js
    _sign_in(page, popup_site, "fi")
    coming = date.fromisoformat(_held_popup_day()) + timedelta(weeks=4)
    page.goto(f"/my/sessions/g-pop/{coming.isoformat()}")
    expect(page.locator("h1")).to_contain_text("Osallistujamäärä")
    expect(page.locator("#not-markable")).to_be_visible()
    expect(page.locator("form.head-count button[type=submit]")).to_have_count(0)


def test_the_head_count_page_passes_axe(browser: Browser, popup_site: Site) -> None:
    context = _context(browser, popup_site)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    _sign_in(page, popup_site, "en")
    page.goto(f"/my/sessions/g-pop/{_held_popup_day()}")
    axe_check(page)
    context.close()
