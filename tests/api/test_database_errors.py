"""The database's own words never reach users: what can be checked first is checked ("plan again"),
and an integrity error that still happens (a race) is said in a plain sentence, as a page on a page route.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import SessionDep
from api.pages.errors import PAGE_TAG
from scheduler.services.planning.workflow import plan_run
from scheduler.settings import Settings
from scheduler.storage.models import HubRow
from tests.api.conftest import Service, fitting_clients
from tests.api.live import at_once

DATABASE_WORDS = re.compile(
    r"foreign key|constraint|integrity|duplicate key|unique|pkey|sqlite|psycopg|violates|sql", re.IGNORECASE
)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_service(request: pytest.FixtureRequest) -> Service:
    """The application over each database."""
    service: Service = request.getfixturevalue("service" if request.param == "sqlite" else "pg_service")
    return service


def _draft_seating_a_client_then_deleted(service: Service) -> tuple[int, str]:
    """A draft that seats a new client, whom a coordinator then deletes (they had no seat yet, so they may go)."""
    offering = service.client.get("/offering", params={"free_only": True, "limit": 500}).json()["items"]
    group = max(offering, key=lambda g: (g["free_seats"], g["id"]))
    client = fitting_clients(service, group, 1, "gone")[0]
    groups = [
        g.model_copy(update={"participants": [*g.participants, client]}) if g.id == group["id"] else g
        for g in service.plan.groups
    ]
    plan = service.plan.model_copy(update={"groups": groups})
    with service.session() as session:
        run = plan_run(session, lambda _: plan, actor="test")
        session.commit()
        run_id = run.id
    deleted = service.client.delete(f"/clients/{client}", headers=service.as_("coordinator"))
    assert deleted.status_code == 204, deleted.text
    return run_id, client


def test_publishing_a_plan_whose_client_was_deleted_says_plan_again(any_service: Service) -> None:
    service = any_service
    run_id, client = _draft_seating_a_client_then_deleted(service)
    answer = service.client.post(f"/plans/{run_id}/publish", headers=service.as_("coordinator"))
    assert answer.status_code == 409 and answer.headers["content-type"] == "application/problem+json"
    detail = answer.json()["detail"]
    assert "plan again" in detail and f"client '{client}'" in detail
    assert not DATABASE_WORDS.search(answer.text), detail
    assert service.client.get(f"/plans/{run_id}", headers=service.as_("coordinator")).json()["status"] == "draft"


def test_the_publish_page_answers_a_deleted_client_with_a_page(service: Service) -> None:
    run_id, _ = _draft_seating_a_client_then_deleted(service)
    web = service.client
    web.follow_redirects = False
    web.headers["Accept"] = "text/html"
    token = service.as_("coordinator")["Authorization"].removeprefix("Bearer ")
    signin = web.get("/signin")
    web.post("/signin", data={"token": token, "next": "/find", "csrf": _csrf(signin.text)})
    page = web.get(f"/planning/{run_id}?lang=en")
    assert page.status_code == 200, page.text
    answer = web.post(f"/planning/{run_id}/publish?lang=en", data={"csrf": _csrf(page.text)})
    assert answer.status_code == 409 and answer.headers["content-type"].startswith("text/html")
    assert "Plan again" in answer.text and not DATABASE_WORDS.search(_visible(answer.text))


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form token"
    return found.group(1)


def _visible(html: str) -> str:
    """The page's text as read (no markup, scripts or styles)."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL))


HUB = {"id": "race-hub", "name": "Kilpatalo", "municipality": "Lohja", "lat": 60.25, "lon": 24.06}


def _create_at_once(
    service: Service, path: str, body: dict[str, Any], count: int, headers: dict[str, str]
) -> list[httpx.Response]:
    """The same create sent `count` times at once to a live server."""
    return at_once(service.url, [lambda http: http.post(path, json=body, headers=headers)] * count)


def test_a_uniqueness_race_on_postgresql_is_said_without_database_words(pg_service: Service) -> None:
    answers = _create_at_once(pg_service, "/hubs", HUB, 12, pg_service.as_("coordinator"))
    assert sorted(a.status_code for a in answers) == [201] + [409] * 11
    for answer in answers[1:] if answers[0].status_code == 201 else answers:
        if answer.status_code == 409:
            assert not DATABASE_WORDS.search(answer.json()["detail"]), answer.text


def test_an_integrity_error_on_a_page_route_is_a_page(service: Service) -> None:
    """A page route whose write the database refuses (a record that exists already) answers an HTML page."""
    app = create_app(Settings(database_url=service.url))
    pages = APIRouter(tags=[PAGE_TAG])

    @pages.post("/test-pages/twice")
    def twice(db: SessionDep) -> None:
        hub = service.problem.hubs[0]
        db.add(HubRow(id=hub.id, name=hub.name, municipality=hub.municipality, lat=hub.lat, lon=hub.lon))
        db.commit()

    app.include_router(pages)
    with TestClient(app, cookies={"lang": "en"}) as client:
        answer = client.post("/test-pages/twice", headers={"Accept": "text/html"})
    app.state.engine.dispose()
    assert answer.status_code == 409 and answer.headers["content-type"].startswith("text/html"), answer.text
    assert "Reload the page and try again" in answer.text and not DATABASE_WORDS.search(_visible(answer.text))
