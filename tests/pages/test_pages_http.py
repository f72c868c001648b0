"""The page routes through httpx (no browser): status codes, languages, sign-in, the form token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from scheduler.domain import Plan, Problem
from scheduler.scenario import generate
from scheduler.settings import Settings
from solver import SolveParams, solve
from tests.api.conftest import publish_scenario
from tests.conftest import migrated


@pytest.fixture(scope="module")
def small_scenario() -> tuple[Problem, Plan]:
    problem = generate(60, 1)
    return problem, solve(problem, SolveParams(time_limit=2.0, workers=2))


@pytest.fixture
def web(tmp_path: Path, small_scenario: tuple[Problem, Plan]) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """A browser-like client (no redirects followed) and the tokens by role."""
    url = migrated("sqlite", tmp_path)
    headers = publish_scenario(url, *small_scenario)
    tokens = {role: h["Authorization"].removeprefix("Bearer ") for role, h in headers.items() if h}
    app = create_app(Settings(database_url=url))
    with TestClient(app, base_url="http://tarjotin.test", follow_redirects=False,
                    headers={"Accept": "text/html"}) as client:
        yield client, tokens
    app.state.engine.dispose()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form token"
    return found.group(1)


def sign_in(client: TestClient, token: str) -> None:
    form = client.get("/signin")
    answer = client.post("/signin", data={"token": token, "next": "/find", "csrf": csrf_of(form.text)})
    assert answer.status_code == 303 and answer.headers["location"] == "/find"


def test_home_page_is_finnish_by_default(web: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = web
    answer = client.get("/")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert '<html lang="fi">' in answer.text and "Sosiaalisen kuntoutuksen ryhmätarjonta" in answer.text


def test_lang_parameter_is_remembered_in_a_cookie(web: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = web
    answer = client.get("/?lang=sv")
    assert '<html lang="sv">' in answer.text and answer.cookies.get("lang") == "sv"
    assert '<html lang="sv">' in client.get("/signin").text


def test_unknown_language_falls_back_and_says_so(web: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = web
    answer = client.get("/?lang=de")
    assert answer.status_code == 200 and '<html lang="fi">' in answer.text
    assert "Kieltä &#39;de&#39; ei ole saatavilla" in answer.text and "lang" not in answer.cookies


def test_unknown_group_is_a_404_page_in_the_language(web: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = web
    answer = client.get("/group/no-such-group?lang=en")
    assert answer.status_code == 404 and "There is no group &#39;no-such-group&#39;" in answer.text


def test_unknown_page_parameter_is_an_error_page_not_json(web: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = web
    answer = client.get("/?colour=red&lang=en")
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("text/html")
    assert "colour" in answer.text


def test_json_api_keeps_json_errors(web: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = web
    answer = client.get("/offering/nope", headers={"Accept": "application/json"})
    assert answer.status_code == 404 and answer.json()["detail"]


def test_find_needs_a_sign_in(web: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = web
    answer = client.get("/find")
    assert answer.status_code == 303 and answer.headers["location"] == "/signin?next=%2Ffind"


def test_sign_in_with_a_bad_token_says_why(web: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = web
    form = client.get("/signin?lang=en")
    answer = client.post("/signin", data={"token": "tj_wrong", "next": "/", "csrf": csrf_of(form.text)})
    assert answer.status_code == 401 and "That token is not valid" in answer.text
    assert "tarjotin_session" not in answer.cookies


def test_sign_in_keeps_the_token_in_an_http_only_cookie(web: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = web
    form = client.get("/signin")
    answer = client.post("/signin", data={"token": tokens["counsellor"], "next": "/find",
                                          "csrf": csrf_of(form.text)})
    cookie = answer.headers["set-cookie"]
    assert "tarjotin_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/find").status_code == 200


def test_staff_token_cannot_sign_in_to_pages(web: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = web
    form = client.get("/signin?lang=en")
    answer = client.post("/signin", data={"token": tokens["staff"], "csrf": csrf_of(form.text)})
    assert answer.status_code == 401 and "Staff tokens are for calendars only" in answer.text


def test_a_form_without_its_token_is_refused(web: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = web
    client.get("/signin")
    answer = client.post("/signin", data={"token": tokens["counsellor"], "csrf": "forged"})
    assert answer.status_code == 403 and "tarjotin_session" not in answer.cookies


def test_open_redirects_are_refused(web: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = web
    form = client.get("/signin")
    answer = client.post("/signin", data={"token": tokens["counsellor"], "next": "//evil.example/",
                                          "csrf": csrf_of(form.text)})
    assert answer.headers["location"] == "/"


def test_sign_out_forgets_the_session(web: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = web
    sign_in(client, tokens["counsellor"])
    page = client.get("/find")
    answer = client.post("/signout", data={"csrf": csrf_of(page.text)})
    assert answer.status_code == 303
    assert client.get("/find").status_code == 303


def test_pages_stay_out_of_the_openapi_document(web: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = web
    paths = client.get("/openapi.json").json()["paths"]
    assert not {"/", "/group/{group_id}", "/find", "/signin", "/signout"} & set(paths)


def test_static_files_are_served(web: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = web
    answer = client.get("/static/tarjotin.css")
    assert answer.status_code == 200 and ":focus-visible" in answer.text
