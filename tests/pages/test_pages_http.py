"""The page routes through httpx (no browser): status codes, languages, sign-in, form tokens, reserving.

The application is `tests.api`'s `service` fixture: the published scenario over SQLite.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from scheduler.storage.models import EnrollmentRow
from scheduler.storage.tokens import find_token, revoke_token
from tests.api.conftest import Service, fitting_clients


@pytest.fixture
def web(service: Service) -> tuple[TestClient, dict[str, str]]:
    """The application as a browser sees it (no redirects followed, HTML asked for), and a token by role."""
    service.client.follow_redirects = False
    service.client.headers["Accept"] = "text/html"
    tokens = {role: h["Authorization"].removeprefix("Bearer ") for role, h in service.headers.items() if h}
    return service.client, tokens


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
    answer = client.post("/signin", data={"token": tokens["counsellor"], "next": "/find", "csrf": csrf_of(form.text)})
    cookie = answer.headers["set-cookie"]
    assert "tarjotin_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/find").status_code == 200


def test_a_staff_token_signs_in_to_the_leaders_sessions_only(web: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = web
    form = client.get("/signin?lang=en")
    answer = client.post("/signin", data={"token": tokens["staff"], "csrf": csrf_of(form.text)}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/my/sessions"
    assert client.get("/my/sessions?lang=en").status_code == 200
    assert client.get("/find").status_code == 403 and client.get("/my/clients").status_code == 403


def test_a_form_without_its_token_is_refused(web: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = web
    client.get("/signin")
    answer = client.post("/signin", data={"token": tokens["counsellor"], "csrf": "forged"})
    assert answer.status_code == 403 and "tarjotin_session" not in answer.cookies


def test_open_redirects_are_refused(web: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = web
    form = client.get("/signin")
    answer = client.post(
        "/signin", data={"token": tokens["counsellor"], "next": "//evil.example/", "csrf": csrf_of(form.text)}
    )
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


def reserve_form(client: TestClient, client_id: str, group_id: str) -> dict[str, str]:
    """The reserve form the find page offers for the group: its form token and idempotency key."""
    page = client.get("/find", params={"client": client_id})
    assert page.status_code == 200
    key = re.search(
        rf'name="group" value="{re.escape(group_id)}">\s*<input type="hidden" name="key" value="([^"]+)"', page.text
    )
    assert key, f"the find page offers no seat in {group_id}"
    return {"csrf": csrf_of(page.text), "client": client_id, "group": group_id, "key": key.group(1)}


def a_group(service: Service, seats: int) -> dict[str, Any]:
    groups = service.client.get(
        "/offering", params={"limit": 500, "modality": "in_person"}, headers={"Accept": "application/json"}
    ).json()["items"]
    return next(g for g in groups if g["free_seats"] >= seats)


def seats_of(service: Service, client_id: str) -> int:
    with service.session() as session:
        return session.query(EnrollmentRow).filter_by(client_id=client_id, status="active").count()


def test_a_repeated_reservation_books_once(web: tuple[TestClient, dict[str, str]], service: Service) -> None:
    client, tokens = web
    group = a_group(service, 1)
    [client_id] = fitting_clients(service, group, 1, "twice")
    sign_in(client, tokens["counsellor"])
    form = reserve_form(client, client_id, group["id"])
    first, again = client.post("/find/reserve", data=form), client.post("/find/reserve", data=form)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == f"/find?client={client_id}&reserved={group['id']}"
    assert seats_of(service, client_id) == 1
    done = client.get(first.headers["location"])
    assert f"Paikka varattu asiakkaalle {client_id}" in done.text
    assert f'<span class="figure">{group["free_seats"] - 1}</span>' in done.text


def test_a_reservation_without_the_form_token_is_refused(
    web: tuple[TestClient, dict[str, str]], service: Service
) -> None:
    client, tokens = web
    group = a_group(service, 1)
    [client_id] = fitting_clients(service, group, 1, "forged")
    sign_in(client, tokens["counsellor"])
    form = reserve_form(client, client_id, group["id"]) | {"csrf": "from-another-site"}
    answer = client.post("/find/reserve", data=form)
    assert answer.status_code == 403 and "Lomake oli vanhentunut" in answer.text
    assert seats_of(service, client_id) == 0


def test_a_full_group_offers_its_waiting_list(web: tuple[TestClient, dict[str, str]], service: Service) -> None:
    client, tokens = web
    group = a_group(service, 1)
    ids = fitting_clients(service, group, group["free_seats"] + 1, "crowd")
    sign_in(client, tokens["counsellor"])
    forms = [reserve_form(client, cid, group["id"]) for cid in ids]  # every seat offered before any is taken
    for form in forms[:-1]:
        assert client.post("/find/reserve", data=form).status_code == 303
    late = client.post("/find/reserve", data=forms[-1])
    assert late.status_code == 409 and "Ryhmä on täynnä" in late.text
    queued = client.post("/find/waitlist", data={"csrf": forms[-1]["csrf"], "client": ids[-1], "group": group["id"]})
    assert queued.status_code == 303
    assert "jonossa sijalla 1" in client.get(queued.headers["location"]).text


def test_anonymous_profile_faults_name_the_field(web: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = web
    sign_in(client, tokens["counsellor"])
    page = client.get("/find?lang=en")
    answer = client.post("/find", data={"csrf": csrf_of(page.text), "other_languages": "x1", "max_minutes": "-5"})
    assert answer.status_code == 422
    assert "Other languages: &#39;x1&#39; is not a language code" in answer.text
    assert "Languages: choose at least one language" in answer.text
    assert "Longest trip: give whole minutes" in answer.text


def test_anonymous_profile_gets_recommendations_with_reasons(
    web: tuple[TestClient, dict[str, str]], service: Service
) -> None:
    client, tokens = web
    group = a_group(service, 1)
    sign_in(client, tokens["counsellor"])
    page = client.get("/find?lang=en")
    answer = client.post(
        "/find",
        data={
            "csrf": csrf_of(page.text),
            "languages": group["language"],
            "home": group["place"]["municipality"],
            "interest1": group["theme"],
            "travel_mode": "car",
            "max_minutes": "120",
        },
    )
    assert answer.status_code == 200 and "Groups for this profile" in answer.text
    assert "Why it fits" in answer.text and "min by car to" in answer.text
    assert "To reserve a seat, pick a stored client above." in answer.text


def test_an_unknown_client_id_lists_the_close_ones(web: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = web
    sign_in(client, tokens["counsellor"])
    answer = client.get("/find", params={"client": "c00", "lang": "en"})
    assert "No client has exactly the id c00. Did you mean:" in answer.text and "/find?client=c001" in answer.text


def test_an_unexpected_fault_is_a_plain_page(service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the offering could not be read")

    monkeypatch.setattr("scheduler.services.kept_offering.load_offering", broken)  # what the page is built from
    browser = TestClient(service.client.app, raise_server_exceptions=False)
    answer = browser.get("/?lang=en")
    assert answer.status_code == 500 and "Something went wrong on our side" in answer.text
    assert "RuntimeError" not in answer.text


def test_a_revoked_token_ends_the_sign_in(web: tuple[TestClient, dict[str, str]], service: Service) -> None:
    client, tokens = web
    sign_in(client, tokens["counsellor"])
    with service.session() as session:
        row = find_token(session, tokens["counsellor"])
        assert row is not None
        revoke_token(session, row.id, actor="test")
        session.commit()
    home = client.get("/?lang=en")
    assert "Your sign-in has ended" in home.text and "Sign in" in home.text
    assert "Your sign-in has ended" not in client.get("/?lang=en").text  # said once: the cookie is dropped
    assert client.get("/find").status_code == 303
