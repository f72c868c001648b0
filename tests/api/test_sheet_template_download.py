"""The import template as a download, `/sheets/template.xlsx?lang=…`: coordinators only, in fi, sv and en.

Over SQLite and PostgreSQL (the sign-in is stored); the application holds nothing but its tokens.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.app import create_app
from scheduler.i18n import LANGS, gettext
from scheduler.services.sheets.columns import SHEETS
from scheduler.services.sheets.template import INSTRUCTIONS, MEDIA_TYPE, file_name
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.tokens import create_token
from tests.api.sign_in import sign_in

PATH = "/sheets/template.xlsx"


@dataclass
class Site:
    client: TestClient
    tokens: dict[str, str]


@pytest.fixture
def site(database_url: str) -> Iterator[Site]:
    engine = make_engine(database_url)
    tokens = {}
    with session_scope(engine) as session:
        for role in ("coordinator", "counsellor"):
            _, tokens[role] = create_token(session, role, f"test {role}")
    engine.dispose()
    app = create_app(Settings(database_url=database_url))
    with TestClient(app, base_url="http://tarjotin.test", follow_redirects=False) as client:
        client.headers["Accept"] = "text/html"
        yield Site(client, tokens)
    app.state.engine.dispose()


def sheet_names(content: bytes) -> list[str]:
    return load_workbook(io.BytesIO(content)).sheetnames


def test_the_template_needs_a_signed_in_coordinator(site: Site) -> None:
    answer = site.client.get(PATH, params={"lang": "sv"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/signin?next=%2Fsheets%2Ftemplate.xlsx%3Flang%3Dsv"
    sign_in(site.client, site.tokens["counsellor"])
    refused = site.client.get(PATH, params={"lang": "sv"})
    assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html")
    assert "PK" not in refused.text[:2]


@pytest.mark.parametrize("lang", LANGS)
def test_a_coordinator_downloads_the_template_in_each_language(site: Site, lang: str) -> None:
    sign_in(site.client, site.tokens["coordinator"])
    answer = site.client.get(PATH, params={"lang": lang})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == MEDIA_TYPE
    assert answer.headers["content-disposition"] == f'attachment; filename="{file_name(lang)}"'
    assert sheet_names(answer.content) == [gettext(lang, s.label) for s in SHEETS] + [gettext(lang, INSTRUCTIONS)]


def test_without_lang_the_template_is_in_the_pages_language(site: Site) -> None:
    sign_in(site.client, site.tokens["coordinator"])
    answer = site.client.get(PATH, headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == f'attachment; filename="{file_name("sv")}"'
    assert sheet_names(answer.content)[-1] == gettext("sv", INSTRUCTIONS)


@pytest.mark.parametrize("asked", ["de", "FI-x", "x" * 21])
def test_a_language_without_a_template_is_a_422_page_naming_lang(site: Site, asked: str) -> None:
    sign_in(site.client, site.tokens["coordinator"])
    answer = site.client.get(PATH, params={"lang": asked})
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("text/html")
    assert "lang" in answer.text and "content-disposition" not in answer.headers


def test_the_422_page_says_what_is_offered(site: Site) -> None:
    sign_in(site.client, site.tokens["coordinator"])
    answer = site.client.get(PATH, params={"lang": "de"}, headers={"Accept-Language": "en"})
    assert answer.status_code == 422
    assert "The parameter lang is &#39;de&#39;: the template is made in fi, sv or en only." in answer.text
