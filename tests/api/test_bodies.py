"""Request bodies: a documented size limit answered 413 before the body is read, and the token checked
before a protected route reads (let alone parses) its body.

`Pulled` sits between the server and the application and counts the body bytes the application
took: what "not read" means here.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.types import Message, Receive, Scope, Send

from api import deps
from api.app import create_app
from scheduler.settings import Settings
from scheduler.storage.models import ApiToken
from tests.api.conftest import Service
from tests.api.live import live_server

LIMIT = Settings().max_body_bytes
CHUNK = 64 * 1024


class Pulled:
    """An ASGI wrapper counting the request body bytes the application received."""

    def __init__(self, app: FastAPI) -> None:
        self.app, self.bytes = app, 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                self.bytes += len(message.get("body", b""))
            return message

        await self.app(scope, counted if scope["type"] == "http" else receive, send)


@pytest.fixture
def pulled(service: Service) -> Iterator[tuple[TestClient, Pulled]]:
    app = create_app(Settings(database_url=service.url))
    wrapped = Pulled(app)
    with TestClient(wrapped, base_url="http://tarjotin.test") as client:
        yield client, wrapped
    app.state.engine.dispose()


def _is_too_large(answer: httpx.Response) -> None:
    assert answer.status_code == 413, answer.text[:300]
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["type"] == "https://tarjotin.fi/problems/payload-too-large"
    assert str(LIMIT) in problem["detail"] and problem["request_id"]


def test_the_default_limit_is_one_mebibyte() -> None:
    assert LIMIT == 1024 * 1024


def test_a_body_over_the_limit_by_content_length_is_413_unread(pulled: tuple[TestClient, Pulled]) -> None:
    client, app = pulled
    for path in ("/clients", "/offering/recommend"):
        app.bytes = 0
        answer = client.post(path, content=b"x" * (LIMIT + 1), headers={"Content-Type": "application/json"})
        _is_too_large(answer)
        assert app.bytes == 0, f"{path} read {app.bytes} bytes of a body it refused"


def test_a_body_just_under_the_limit_is_read_as_usual(pulled: tuple[TestClient, Pulled]) -> None:
    client, _ = pulled
    padded = b'{"languages": ["fi"]' + b" " * (LIMIT - 100) + b"}"
    answer = client.post("/offering/recommend", content=padded, headers={"Content-Type": "application/json"})
    assert answer.status_code != 413, answer.text[:300]


def test_a_chunked_body_over_the_limit_is_answered_413_and_read_no_further(service: Service) -> None:
    app = Pulled(create_app(Settings(database_url=service.url)))
    sent = 0

    def body() -> Iterator[bytes]:  # 100 MB, if the server took it all
        nonlocal sent
        for _ in range(100 * 1024 * 1024 // CHUNK):
            sent += CHUNK
            yield b" " * CHUNK

    with live_server(app) as base, httpx.Client(timeout=30) as client:
        answer = client.post(base + "/offering/recommend", content=body(), headers={"Content-Type": "application/json"})
    assert "content-length" not in answer.request.headers and answer.request.headers["transfer-encoding"] == "chunked"
    _is_too_large(answer)
    assert app.bytes < 2 * LIMIT, f"the application read {app.bytes} bytes"
    assert sent < 100 * 1024 * 1024, "the server took a 100 MB chunked body whole"


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("bad", 401), ("counsellor", 403), ("staff", 403)])
def test_a_protected_route_checks_the_token_before_reading_the_body(
    pulled: tuple[TestClient, Pulled], service: Service, role: str, status: int
) -> None:
    client, app = pulled
    headers = {"Authorization": "Bearer not-a-token"} if role == "bad" else service.as_(role)
    not_json = b"{" * (LIMIT // 2)
    answer = client.post("/hubs", content=not_json, headers={**headers, "Content-Type": "application/json"})
    assert answer.status_code == status, answer.text[:300]
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert app.bytes == 0, f"the body was read ({app.bytes} bytes) before the token was checked"


def test_a_valid_token_still_gets_its_body_checked(pulled: tuple[TestClient, Pulled], service: Service) -> None:
    client, app = pulled
    answer = client.post(
        "/clients", content=b"{not json", headers={**service.as_("coordinator"), "Content-Type": "application/json"}
    )
    assert answer.status_code == 422 and answer.json()["errors"][0]["type"] == "json_invalid"
    assert app.bytes == len(b"{not json")


def test_a_browser_sending_too_much_gets_a_page_in_its_language(service: Service) -> None:
    answer = service.client.post(
        "/find", content=b"x" * (LIMIT + 1), headers={"Accept": "text/html", "Accept-Language": "sv"}
    )
    assert answer.status_code == 413 and answer.headers["content-type"].startswith("text/html")
    assert "Det som skickades är för stort." in answer.text


def test_the_limit_is_documented(service: Service) -> None:
    document = service.client.get("/openapi.json").json()
    answers = document["paths"]["/clients"]["post"]["responses"]
    assert "413" in answers and "application/problem+json" in answers["413"]["content"]
    assert "TARJOTIN_MAX_BODY_BYTES" in answers["413"]["description"]
    assert "payload-too-large" in document["info"]["description"]


def test_a_route_with_a_body_looks_its_token_up_once(service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caller admitted before the body is the route's caller: the token is not read from the database again."""
    lookups: list[str] = []
    real = deps.lookup_token

    def counted(db: Session, token: str) -> ApiToken | None:
        lookups.append(token)
        return real(db, token)

    monkeypatch.setattr(deps, "lookup_token", counted)
    answer = service.client.post("/clients", json={}, headers=service.as_("coordinator"))
    assert answer.status_code == 422  # the coordinator was admitted, and the body was read and checked
    assert len(lookups) == 1
