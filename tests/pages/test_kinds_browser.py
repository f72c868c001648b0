"""Group kinds on the offering's pages in Chromium (docs/group-kinds.md): a pop-up's "just come" and its
room's limit, a hybrid group's place and remote joining, a closed group past its closing day, waiting
counts, a group's own term (starts on, sessions left), in Finnish, Swedish and English; a pop-up's reach
for a signed-in coordinator only.

The site is the application over the kinds offering (`tests.kinds_data`), served by uvicorn in a
thread with today fixed on 18 February 2027: the process group closed on the 17th."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from api.app import create_app
from scheduler.services.clock import FixedClock
from scheduler.settings import Settings
from tests.api.live import live_server
from tests.kinds_app import kinds_database
from tests.kinds_data import POPUP_REACH
from tests.pages.conftest import axe_check, shot

TODAY = date(2027, 2, 18)


@pytest.fixture(scope="module")
def kinds_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The live site over the kinds offering, and a coordinator's token."""
    url, token = kinds_database("sqlite", tmp_path_factory.mktemp("kinds"))
    app = create_app(Settings(database_url=url), clock=FixedClock.on(TODAY))
    try:
        with live_server(app) as base:
            yield base, token
    finally:
        app.state.engine.dispose()


@pytest.fixture
def tab(browser: Browser, kinds_site: tuple[str, str]) -> Iterator[Page]:
    context = browser.new_context(base_url=kinds_site[0], locale="fi-FI", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def card(page: Page, group: str):  # type: ignore[no-untyped-def]
    return page.locator(f"article.card:has(#g-{group})")


def test_cards_show_each_kind_in_finnish(tab: Page) -> None:
    tab.goto("/")
    expect(tab.locator("article.card")).to_have_count(5)
    popup = card(tab, "g-popup")
    expect(popup.locator(".seats.just-come")).to_contain_text("Tule sellaisenaan")
    expect(popup.locator(".seats.just-come")).to_contain_text("tilaa 8 hengelle")
    expect(popup.locator(".seats .figure")).not_to_have_text("0")
    expect(popup.locator("dd.admission")).to_have_text(
        "Tule sellaisenaan: ilman ilmoittautumista, lähetettä ei tarvita."
    )
    closed = card(tab, "g-process")
    expect(closed.locator(".seats.closed")).to_contain_text("suljettu – ei uusia osallistujia")
    expect(closed.locator("dd.admission")).to_have_text("Ryhmä on suljettu: uusia osallistujia ei enää oteta.")
    expect(closed.locator("dd.term")).to_contain_text("1 kerta jäljellä")
    expect(closed.locator("dd.term time")).to_have_attribute("datetime", "2027-02-03")
    expect(card(tab, "g-full").locator(".seats.full .waiting")).to_have_text("· 3 jonossa")
    hybrid = card(tab, "g-hybrid")
    expect(hybrid.locator(".hybrid")).to_contain_text("tai etänä kotoa")
    expect(hybrid.locator(".seats.free")).to_contain_text("niistä 1 tilassa")
    expect(card(tab, "g-roll").locator("dd.admission")).to_have_text(
        "Uudet osallistujat ovat tervetulleita koko kauden ajan."
    )
    axe_check(tab)
    shot(tab, "offering-kinds")


def test_the_modality_filter_offers_hybrid_and_free_only_keeps_pop_ups(tab: Page) -> None:
    tab.goto("/")
    tab.get_by_label("Toteutus").select_option("hybrid")
    tab.get_by_role("button", name="Näytä ryhmät").click()
    expect(tab.locator("article.card")).to_have_count(1)
    expect(tab.locator("article.card h3")).to_have_text("Hybridiryhmä")
    tab.goto("/?free=1")
    shown = tab.locator("article.card h3")
    expect(shown).to_have_count(3)  # rolling, hybrid, and the pop-up: not the full one nor the closed one
    expect(tab.locator("#g-g-popup")).to_be_visible()
    expect(tab.locator("#g-g-process")).to_have_count(0)


def test_a_closed_groups_page_in_swedish_shows_its_own_term(tab: Page) -> None:
    tab.goto("/group/g-process?lang=sv")
    expect(tab.locator("h1")).to_have_text("Processgrupp")
    expect(tab.locator("dd.starts time")).to_have_attribute("datetime", "2027-02-03")
    expect(tab.locator("dd.left")).to_have_text("1 / 3")
    expect(tab.locator("dd.admission")).to_have_text("Gruppen är sluten: den tar inte emot nya deltagare.")
    expect(tab.locator("ol.sessions li")).to_have_count(4)  # its own four weeks, not the season's sixteen
    expect(tab.locator("ol.sessions li.cancelled time")).to_have_attribute("datetime", "2027-02-10")
    axe_check(tab)


def test_a_pop_ups_page_in_english_and_its_reach_for_a_coordinator(tab: Page, kinds_site: tuple[str, str]) -> None:
    tab.goto("/group/g-popup?lang=en")
    expect(tab.locator("main .seats.just-come")).to_contain_text("Just come")
    expect(tab.locator("main .seats.just-come")).to_contain_text("room for 8 people")
    expect(tab.locator("dd.admission")).to_have_text("Just come: no sign-up, no referral needed.")
    expect(tab.locator("dd.reach")).to_have_count(0)
    axe_check(tab)
    shot(tab, "group-popup")
    tab.goto("/signin?next=/group/g-popup")
    tab.locator("#token").fill(kinds_site[1])
    tab.locator("form.stack button[type=submit]").click()
    tab.wait_for_url("**/group/g-popup")
    tab.goto("/group/g-popup?lang=en")
    expect(tab.locator("dd.reach")).to_contain_text(f"{POPUP_REACH} waiting clients within reach")


def test_a_hybrid_groups_page_says_one_may_join_from_home(tab: Page) -> None:
    tab.goto("/group/g-hybrid?lang=en")
    expect(tab.locator("dd.hybrid")).to_have_text("You can also join remotely from home (link from your counsellor).")
    expect(tab.locator("main .seats")).to_contain_text("1 of them in the room")
    tab.goto("/group/g-full?lang=en")
    expect(tab.locator("dd.waiting")).to_have_text("3 waiting")
    assert "asiakas-" not in tab.content()
