"""One translation source: the pages and the calendar feeds read the same catalogues (`scheduler.i18n`).

Every label either shows exists in Finnish, Swedish and English; a feed and a page say the
same for the same code; the language comes from `?lang=`, else the cookie, else the best of the
Accept-Language header, else Finnish. `tests/pages/test_catalogues.py` checks the catalogues
as a whole (every message in use translated, placeholders kept, nothing left over).
"""

from __future__ import annotations

import ast
import html
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from icalendar import Calendar

import calendars
from api.pages import i18n as page_i18n
from api.pages import labels as page_labels
from calendars import Feed, render
from calendars.texts import TEXTS, label, short_date, text
from scheduler.i18n import DEFAULT, LANGS, LOCALE_DIR, Lang, negotiate
from scheduler.i18n.labels import AUDIENCES, FAMILIES, KINDS, THEMES
from scheduler.scenario import generate
from tests.calendars.test_render import NATURE, TEAM
from tests.feeds_app import FeedService, feed_service
from tests.paths import ROOT

PAGE_TABLES = {"theme": page_labels.THEMES, "audience": page_labels.AUDIENCES, "kind": page_labels.KINDS}


@pytest.fixture(scope="module")
def scenario_codes() -> dict[str, set[str]]:
    """The codes the built-in scenario uses: what a demo's pages and feeds show."""
    problem = generate(400, seed=1)
    return {
        "theme": {t.theme for t in problem.templates} | {i for c in problem.clients for i in c.interests},
        "audience": {t.audience for t in problem.templates} | {a for c in problem.clients for a in c.audiences},
        "kind": {t.kind for t in problem.templates},
        "language": {code for c in problem.clients for code in c.languages}
        | {code for t in problem.templates for code in t.languages},
    }


# --- every label exists in every language -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_label_and_feed_word_is_translated(lang: str) -> None:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po, locale=lang)
    wanted = [(None, m) for table in FAMILIES.values() for m in table.values()]
    wanted += [m if isinstance(m, tuple) else (None, m) for m in TEXTS.values()]
    for context, msgid in wanted:
        message = catalogue.get(msgid, context=context)
        assert message is not None, f"{lang}: {msgid!r} ({context}) is not in the catalogue"
        assert message.string and not message.fuzzy, f"{lang}: {msgid!r} is not translated"


def test_the_scenarios_codes_all_have_labels_and_language_names(scenario_codes: dict[str, set[str]]) -> None:
    for family, table in FAMILIES.items():
        assert scenario_codes[family] <= set(table), f"{family}: no label for {scenario_codes[family] - set(table)}"
    for lang in LANGS:
        for code in scenario_codes["language"] | set(LANGS):
            assert label("language", code, lang) != code, f"CLDR has no {lang} name for {code}"


def test_the_pages_and_feeds_share_the_tables_and_languages() -> None:
    assert page_labels.THEMES is THEMES and page_labels.AUDIENCES is AUDIENCES and page_labels.KINDS is KINDS
    assert calendars.LANGS == LANGS == page_i18n.LANGS and page_i18n.Lang is Lang


# --- a feed and a page say the same ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_feed_names_every_code_as_the_pages_do(lang: str, scenario_codes: dict[str, set[str]]) -> None:
    page = Lang(lang)
    for family, table in PAGE_TABLES.items():
        for code in set(table) | scenario_codes[family] | {"no-such-code"}:
            assert label(family, code, lang) == page_labels.label(table, code, page), (family, code, lang)
    for code in scenario_codes["language"]:
        assert label("language", code, lang) == page_labels.language_name(code, page)
    assert text("closed", lang) == page.gettext(page_labels.CAUSES["closure"])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("theme", sorted(THEMES))
def test_a_rendered_feed_shows_the_pages_label(lang: str, theme: str) -> None:
    series = replace(NATURE, theme=theme, audience="neuro", kind="popup")
    event = Calendar.from_ical(render(Feed("offering", "Länsi-Uusimaa", lang, TEAM, (series,)))).walk("VEVENT")[0]
    page = Lang(lang)
    theme_label = page_labels.label(page_labels.THEMES, theme, page)
    kind_label = page_labels.label(page_labels.KINDS, "popup", page)
    assert [str(c) for c in event["CATEGORIES"].cats] == [theme_label, kind_label]
    description = str(event["DESCRIPTION"])
    assert f"{page.gettext('Theme')}: {theme_label}\n" in description
    assert f"{page.gettext('For whom')}: {page_labels.label(page_labels.AUDIENCES, 'neuro', page)}\n" in description
    assert f"{page.gettext('Language')}: {page_labels.language_name('fi', page)}\n" in description


def test_life_skills_has_one_wording_from_the_handbook() -> None:
    """Feeds said "elämäntaidot", pages "Arjen taidot"; the handbook's word won (its "elämäntaito-ryhmät")."""
    assert [label("theme", "life_skills", lang) for lang in LANGS] == ["Elämäntaidot", "Livskunskap", "Life skills"]


def test_feed_dates_go_through_babel_and_keep_their_form() -> None:
    day = date(2027, 1, 6)
    assert [short_date(day, lang) for lang in LANGS] == ["6.1.2027", "6.1.2027", "2027-01-06"]
    assert Lang("en").weekday("mon") == "Monday" and Lang("fi").weekday(day, alone=True) == "keskiviikko"


# --- Accept-Language -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("sv-FI,sv;q=0.9", "sv"),
        ("sv-FI", "sv"),
        ("de", None),
        ("de,en;q=0.5", "en"),
        ("en;q=0.5, sv;q=0.8", "sv"),
        ("fi;q=0, sv", "sv"),
        ("*", None),
        ("EN-gb", "en"),
        ("", None),
        (None, None),
        ("fi-FI,fi;q=0.9,en-US;q=0.8", "fi"),
        (";;,q=x", None),
        ("en;q=abc, sv;q=0.1", "sv"),
        ("zh-Hant-TW, en_US;q=0.3", "en"),
    ],
)
def test_negotiate_picks_the_best_of_fi_sv_en(header: str | None, lang: str | None) -> None:
    assert negotiate(header) == lang
    assert Lang.negotiate(header) == (Lang(lang) if lang else None)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[FeedService]:
    yield from feed_service("sqlite", tmp_path)


def page_lang(answer_text: str) -> str:
    found = re.search(r'<html lang="(\w+)">', answer_text)
    assert found, answer_text[:200]
    return found.group(1)


def test_accept_language_chooses_the_pages_language_when_nothing_else_does(service: FeedService) -> None:
    client = service.client
    swedish = client.get("/", headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert page_lang(swedish.text) == "sv" and "lang" not in swedish.cookies  # not remembered: the browser says it
    assert "Accept-Language" in swedish.headers["vary"]
    assert page_lang(client.get("/", headers={"Accept-Language": "de"}).text) == DEFAULT
    assert page_lang(client.get("/", headers={"Accept-Language": "de-AT,en;q=0.4"}).text) == "en"
    assert page_lang(client.get("/").text) == DEFAULT


def test_lang_and_the_cookie_beat_the_header(service: FeedService) -> None:
    client = service.client
    english = client.get("/?lang=en", headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert page_lang(english.text) == "en" and english.cookies.get("lang") == "en"
    client.cookies.set("lang", "en")
    assert page_lang(client.get("/signin", headers={"Accept-Language": "sv-FI,sv;q=0.9"}).text) == "en"
    client.cookies.clear()
    unknown = client.get("/?lang=xx", headers={"Accept-Language": "sv"})  # a bad ?lang= falls back to the header
    assert page_lang(unknown.text) == "sv" and "lang" not in unknown.cookies


def test_a_feed_without_lang_speaks_the_accept_language(service: FeedService) -> None:
    client = service.client
    swedish = client.get("/calendars/groups/g-mon.ics", headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert Calendar.from_ical(swedish.content)["X-WR-CALNAME"] == "Naturgrupp"
    assert swedish.headers["vary"] == "Accept-Language, Accept-Encoding"  # and gzipped for who takes it
    finnish = client.get("/calendars/groups/g-mon.ics", headers={"Accept-Language": "de"})
    assert b"Teema: Luonto" in finnish.content.replace(b"\r\n ", b"")
    assert finnish.headers["etag"] != swedish.headers["etag"]
    again = client.get(
        "/calendars/groups/g-mon.ics", headers={"Accept-Language": "sv", "If-None-Match": swedish.headers["etag"]}
    )
    assert again.status_code == 304 and again.headers["vary"] == "Accept-Language, Accept-Encoding"
    english = client.get("/calendars/groups/g-mon.ics?lang=en", headers={"Accept-Language": "sv"})
    assert Calendar.from_ical(english.content)["X-WR-CALNAME"] == "Nature group"
    assert english.headers["vary"] == "Accept-Encoding", "?lang= chose the language: the header does not"


def test_a_group_page_and_its_feed_say_the_same(service: FeedService) -> None:
    """The group page's facts and the feed's DESCRIPTION and CATEGORIES name the theme, language, audience and
    kind alike; the page's feed link names the page's language, so a calendar program's header cannot change it."""
    client = service.client
    for lang in LANGS:
        page = client.get(f"/group/g-mon?lang={lang}")
        assert page.status_code == 200
        facts = {html.unescape(k): html.unescape(v) for k, v in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page.text)}
        assert f"/calendars/groups/g-mon.ics?lang={lang}" in page.text
        event = Calendar.from_ical(client.get(f"/calendars/groups/g-mon.ics?lang={lang}").content).walk("VEVENT")[0]
        said = dict(line.split(": ", 1) for line in str(event["DESCRIPTION"]).splitlines() if ": " in line)
        t = Lang(lang)
        for field in ("Theme", "Language", "For whom"):
            assert said[t.gettext(field)] == facts[t.gettext(field)], (lang, field)
        theme, kind = (str(c) for c in event["CATEGORIES"].cats)
        assert theme == facts[t.gettext("Theme")] and facts[t.gettext("Kind of group")].startswith(kind + " · ")


# --- layers ----------------------------------------------------------------------------------------------------------


def project_imports(package: Path) -> set[str]:
    """The project modules a package's files import (absolute and relative), by their top two names."""
    found = set()
    for path in package.rglob("*.py"):
        here = path.relative_to(ROOT).with_suffix("").parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = list(here[: len(here) - node.level]) if node.level else []
                names = [".".join([*base, *(node.module.split(".") if node.module else [])])]
            found |= {
                ".".join(n.split(".")[:2])
                for n in names
                if n.split(".")[0] in {"scheduler", "solver", "api", "calendars", "benchmarks"}
            }
    return found


def test_scheduler_i18n_is_a_bottom_layer_and_calendars_uses_only_it() -> None:
    assert project_imports(ROOT / "scheduler" / "i18n") <= {"scheduler.i18n"}
    assert {name for name in project_imports(ROOT / "calendars") if not name.startswith("calendars.")} == {
        "scheduler.i18n"
    }
