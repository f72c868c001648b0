"""A leader marks attendance on a phone (360 px wide) with JavaScript off, and reads it back.

The site here is its own `tarjotin serve` over the small feed offering (`tests.feeds_data`) with its term
moved so that it began three weeks before today: the served site runs on the computer's clock, and a
session can be marked only once it is held. aino leads g-mon (Mondays) with asiakas-01..03; asiakas-01
has the alias Maija.
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
from scheduler.storage.models import AttendanceRow, ClientRow, EnrollmentRow, PlanningSettings
from scheduler.storage.tokens import create_token
from tests.conftest import migrated
from tests.feeds_data import load_feed_data
from tests.pages.conftest import TARJOTIN, Site, _context, _free_port, _wait_until_up, axe_check, shot

PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def leaders_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("attendance-site")
    database = migrated("sqlite", folder)
    engine = make_engine(database)
    load_feed_data(engine)
    today = date.today()
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=3)  # a Monday three weeks ago
    with session_scope(engine) as session:
        session.execute(update(PlanningSettings).values(term_start=start))
        session.execute(update(EnrollmentRow).values(from_date=start))
        maija = session.get(ClientRow, "asiakas-01")
        assert maija is not None
        maija.alias = "Maija"
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
def phone_without_js(browser: Browser, leaders_site: Site) -> Iterator[Page]:
    context = _context(browser, leaders_site, java_script_enabled=False)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    yield page
    context.close()


def test_a_leader_marks_attendance_on_a_phone_without_javascript(phone_without_js: Page, leaders_site: Site) -> None:
    page = phone_without_js
    page.goto("/signin?lang=en")
    page.locator("#token").fill(leaders_site.tokens["staff"])
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url("**/my/sessions")
    expect(page.locator("nav.main-nav a[href='/my/sessions']")).to_have_attribute("aria-current", "page")
    recent = page.locator("#group-g-mon .led-session:not(.cancelled) a").first
    recent.click()
    page.wait_for_url("**/my/sessions/g-mon/*")
    day = page.url.rsplit("/", 1)[1]
    legends = page.locator("fieldset.participant legend")
    expect(legends).to_have_text(["Maija", "participant 2", "participant 3"])
    assert "asiakas-" not in page.content()  # a leader never sees a client id
    fieldsets = page.locator("fieldset.participant")
    fieldsets.nth(0).get_by_label("Present").check()
    fieldsets.nth(1).get_by_label("Absent with notice").check()
    fieldsets.nth(2).get_by_label("Absent without notice").check()
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_url("**?saved=true")
    expect(page.locator("#saved")).to_contain_text("1 present, 1 absent with notice, 1 absent without notice")
    expect(fieldsets.nth(0).get_by_label("Present")).to_be_checked()
    expect(fieldsets.nth(2).get_by_label("Absent without notice")).to_be_checked()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"
    shot(page, "attendance-phone-en")

    fieldsets.nth(2).get_by_label("Present").check()  # marked again: overwritten
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("#saved")).to_contain_text("2 present, 1 absent with notice, 0 absent without notice")
    engine = make_engine(leaders_site.database_url)
    with session_scope(engine) as session:
        stored = {r.client_id: r.status for r in session.scalars(select(AttendanceRow))}
        assert {r.day.isoformat() for r in session.scalars(select(AttendanceRow))} == {day}
    engine.dispose()
    assert stored == {"asiakas-01": "present", "asiakas-02": "excused", "asiakas-03": "present"}

    page.goto("/my/sessions?lang=fi")
    expect(page.locator("#group-g-mon")).to_contain_text("merkitty 3 / 3")
    shot(page, "attendance-sessions-fi")


def test_the_form_says_what_to_fix_and_a_coming_session_has_no_form(leaders_site: Site, phone_without_js: Page) -> None:
    page = phone_without_js
    page.goto("/signin?next=/my/sessions&lang=sv")
    page.locator("#token").fill(leaders_site.tokens["staff"])
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url("**/my/sessions")
    page.locator("#group-g-wed .led-session:not(.cancelled) a").first.click()
    page.get_by_role("button").filter(has_text="Spara").click()  # nothing chosen
    expect(page.locator("#errors")).to_contain_text("Välj närvarande")
    page.goto("/my/sessions")
    page.locator("#group-g-mon .led-sessions").nth(1).locator("a").first.click()
    expect(page.locator("#not-markable")).to_be_visible()
    expect(page.locator("form.attendance button[type=submit]")).to_have_count(0)
    shot(page, "attendance-coming-sv")


def test_the_attendance_page_passes_axe(browser: Browser, leaders_site: Site) -> None:
    context = _context(browser, leaders_site)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto("/signin?next=/my/sessions")
    page.locator("#token").fill(leaders_site.tokens["staff"])
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url("**/my/sessions")
    axe_check(page)
    page.locator("#group-g-mon .led-session:not(.cancelled) a").first.click()
    page.wait_for_url("**/my/sessions/g-mon/*")
    axe_check(page)
    context.close()


def test_a_leader_cannot_open_another_leaders_session(leaders_site: Site, phone_without_js: Page) -> None:
    page = phone_without_js
    page.goto("/signin?next=/my/sessions")
    page.locator("#token").fill(leaders_site.tokens["staff"])
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url("**/my/sessions")
    expect(page.locator("#group-g-fri")).to_have_count(0)  # sanna's and mikko's group
    start = date.today() - timedelta(days=date.today().weekday()) - timedelta(weeks=3)
    answer = page.goto(f"/my/sessions/g-fri/{(start + timedelta(days=4)).isoformat()}")
    assert answer is not None and answer.status == 403
