"""Errors as types: each project error answers with its status as RFC 9457 problem details, a bug is a
500 with a logged request id (never a 404), and the OpenAPI document says so."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from api import errors
from api.errors import Forbidden, Unauthorized
from scheduler.contract.errors import Conflict, Invalid, NotFound, TarjotinError
from scheduler.services.offering import first_name
from scheduler.storage.models import GroupRow, StaffRow
from tests.api.conftest import Service

PROBLEM = "application/problem+json"
BASE = "https://tarjotin.fi/problems/"


def _raising(error: Exception) -> TestClient:
    """A bare application whose one route raises the error, with the project's error handling."""
    app = FastAPI()
    errors.install(app)

    @app.get("/things/{thing}")
    def thing(thing: str) -> None:
        raise error

    return TestClient(app)


@pytest.mark.parametrize(
    ("error", "status", "kind"),
    [
        (NotFound("no thing 'x'"), 404, "not-found"),
        (Invalid.of("thing", "is not a thing"), 422, "invalid"),
        (Conflict("the thing is taken"), 409, "conflict"),
        (Unauthorized("sign in"), 401, "unauthorized"),
        (Forbidden("not yours"), 403, "forbidden"),
    ],
)
def test_each_error_type_answers_its_status_as_a_problem(error: TarjotinError, status: int, kind: str) -> None:
    answer = _raising(error).get("/things/x")
    body = answer.json()
    assert answer.status_code == status and answer.headers["content-type"] == PROBLEM
    assert body["type"] == BASE + kind and body["status"] == status and body["title"] == error.title
    assert body["detail"] == error.detail and body["instance"] == "/things/x"
    assert body["request_id"] == answer.headers["X-Request-ID"]
    assert ("WWW-Authenticate" in answer.headers) == (status == 401)


def test_a_field_error_of_a_project_error_names_its_place() -> None:
    body = _raising(Invalid.of("thing", "is not a thing")).get("/things/x").json()
    assert body["errors"] == [
        {"field": "thing", "message": "is not a thing", "loc": ["path", "thing"], "type": "value_error"}
    ]


def test_a_bug_is_a_logged_500_with_the_request_id(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="tarjotin.api"):
        answer = _raising(KeyError("staff")).get("/things/x", headers={"X-Request-ID": "trace-42"})
    body = answer.json()
    assert answer.status_code == 500 and answer.headers["content-type"] == PROBLEM
    assert body["type"] == BASE + "internal-error" and body["request_id"] == "trace-42"
    assert answer.headers["X-Request-ID"] == "trace-42" and "KeyError" not in body["detail"]
    logged = [r for r in caplog.records if "trace-42" in r.getMessage()]
    assert logged and logged[0].exc_info and logged[0].exc_info[0] is KeyError


def test_every_answer_has_a_request_id_and_an_odd_one_is_replaced(service: Service) -> None:
    kept = service.client.get("/offering", headers={"X-Request-ID": "abc-123.x"})
    odd = service.client.get("/offering", headers={"X-Request-ID": "<script>"})
    assert kept.status_code == 200 and kept.headers["X-Request-ID"] == "abc-123.x"
    assert uuid.UUID(odd.headers["X-Request-ID"])


@pytest.mark.parametrize("bug", [KeyError("hub"), IndexError("list index out of range")])
def test_a_lookup_bug_in_a_service_under_a_public_route_is_a_500_not_a_404(
    service: Service, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, bug: Exception
) -> None:
    def broken(*_: Any, **__: Any) -> bytes:
        raise bug

    monkeypatch.setattr("api.routers.calendars.one_hub_feed", broken)
    monkeypatch.setattr("scheduler.services.kept_offering.load_offering", broken)  # what the offering is built from
    hub = service.problem.hubs[0].id
    with caplog.at_level(logging.ERROR, logger="tarjotin.api"):
        answers = [service.client.get(f"/calendars/hubs/{hub}.ics"), service.client.get("/offering/g-any")]
    for answer in answers:
        body = answer.json()
        assert answer.status_code == 500 and answer.headers["content-type"] == PROBLEM
        assert body["request_id"] == answer.headers["X-Request-ID"]
        assert any(body["request_id"] in r.getMessage() and r.exc_info for r in caplog.records)


def test_a_staff_member_with_a_blank_name_does_not_break_the_public_feeds(service: Service) -> None:
    with service.session() as session:
        leader = session.scalars(select(GroupRow.leaders).where(GroupRow.status == "running")).first()[0]
        session.execute(update(StaffRow).where(StaffRow.id == leader).values(name="   "))
        session.commit()
    feed = service.client.get("/calendars/offering.ics")
    offering = service.client.get("/offering", params={"limit": 500})
    assert feed.status_code == 200 and leader in feed.text.replace("\r\n ", "")  # unfolded
    assert offering.status_code == 200
    assert any(leader in group["leaders"] for group in offering.json()["items"])


@pytest.mark.parametrize(("name", "shown"), [("Aino Virtanen", "Aino"), ("   ", "s1"), ("", "s1"), (None, "s1")])
def test_a_leader_shows_by_the_first_word_of_their_name_or_else_their_id(name: str | None, shown: str) -> None:
    assert first_name(name, "s1") == shown


def test_a_validation_error_lists_each_field_with_its_path(service: Service) -> None:
    answer = service.client.post("/offering/recommend", json={"profile": {"home": {"lat": 200, "lon": 24.6}}})
    body = answer.json()
    assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM
    assert body["type"] == BASE + "invalid" and "profile.home.lat" in body["detail"]
    lat = next(e for e in body["errors"] if e["field"] == "profile.home.lat")
    assert lat["loc"] == ["body", "profile", "home", "lat"] and lat["message"] and lat["type"]


def test_the_openapi_document_names_problem_json_for_every_error_answer(service: Service) -> None:
    document = service.client.get("/openapi.json").json()
    answers = [
        (path, status, answer)
        for path, operations in document["paths"].items()
        for operation in operations.values()
        for status, answer in operation["responses"].items()
    ]
    failing = [
        (path, status, list(a.get("content", {})))
        for path, status, a in answers
        if int(status) >= 400 and list(a.get("content", {})) != [PROBLEM]
    ]
    assert not failing
    assert {"404", "422", "500"} <= {status for _, status, _ in answers}
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "instance", "request_id"} <= set(problem["required"])
    assert "HTTPValidationError" not in document["components"]["schemas"]


@pytest.mark.parametrize(
    ("error", "status", "text"),
    [
        (NotFound("no such group"), 404, "This page does not exist"),
        (Conflict("the group changed"), 409, "This cannot be done now"),
        (Invalid.of("theme", "no such theme"), 422, "theme"),
    ],
)
def test_a_project_error_under_a_page_is_a_page_with_its_status(
    service: Service, monkeypatch: pytest.MonkeyPatch, error: TarjotinError, status: int, text: str
) -> None:
    def refusing(*_: Any, **__: Any) -> list[Any]:
        raise error

    monkeypatch.setattr("scheduler.services.kept_offering.load_offering", refusing)
    answer = service.client.get("/?lang=en")
    assert answer.status_code == status and answer.headers["content-type"].startswith("text/html")
    assert text in answer.text


def test_a_bug_under_a_page_is_a_500_page_showing_the_request_id(
    service: Service, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: Any, **__: Any) -> list[Any]:
        raise IndexError("list index out of range")

    monkeypatch.setattr("scheduler.services.kept_offering.load_offering", broken)
    with caplog.at_level(logging.ERROR, logger="tarjotin.api"):
        answer = service.client.get("/?lang=en")
    ident = answer.headers["X-Request-ID"]
    assert answer.status_code == 500 and answer.headers["content-type"].startswith("text/html")
    assert f"Error reference: {ident}" in answer.text and "list index" not in answer.text
    assert any(ident in r.getMessage() and r.exc_info for r in caplog.records)


@pytest.mark.parametrize(
    ("method", "path", "accept", "allowed"),
    [
        ("PUT", "/offering", "application/json", "GET"),
        ("POST", "/clients/c0001", "application/json", "DELETE, GET, PATCH"),
        ("PUT", "/offering/recommend", "application/json", "POST"),
        ("PUT", "/offering/g1", "application/json", "GET"),
        ("PUT", "/calendars/offering.ics", "text/calendar", "GET"),
        ("DELETE", "/", "text/html", "GET"),
    ],
)
def test_a_method_the_address_does_not_take_is_a_405_listing_those_it_does(
    service: Service, method: str, path: str, accept: str, allowed: str
) -> None:
    """The routes sit behind FastAPI's included-router wrappers: the Allow header is asked of them, not guessed."""
    answer = service.client.request(method, path, headers={"Accept": accept})
    assert answer.status_code == 405
    assert answer.headers["Allow"] == allowed
