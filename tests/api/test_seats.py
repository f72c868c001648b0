"""Seats under concurrent requests against a live server, on SQLite and on PostgreSQL.

Every way a seat is made goes through one function that locks the client, then the
group, before it checks the rules: the last seat is sold once whichever route sells it,
and a client is never seated in two groups of one slot (or over their weekly limit) by
two requests at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from api.app import create_app
from scheduler.settings import Settings
from scheduler.storage.models import ClientRow, EnrollmentRow
from tests.api.conftest import Service, fitting_clients
from tests.api.live import live_server

RACERS = 20


@pytest.fixture(params=["sqlite", "postgresql"])
def any_service(request: pytest.FixtureRequest) -> Service:
    """The application over each database."""
    service: Service = request.getfixturevalue("service" if request.param == "sqlite" else "pg_service")
    return service


def _offered(service: Service) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = service.client.get("/offering", params={"limit": 500}).json()["items"]
    return items


def _active(service: Service, **where: str) -> int:
    query = select(func.count()).select_from(EnrollmentRow).filter_by(status="active", **where)
    with service.session() as session:
        return session.scalar(query) or 0


def _race(service: Service, requests: list[Callable[[httpx.Client], httpx.Response]]) -> list[int]:
    """Send the requests at once, each from its own thread, to a live server; their statuses."""
    app = create_app(Settings(database_url=service.url))
    start = threading.Barrier(len(requests))
    answers: list[int] = [0] * len(requests)

    def send(number: int, base: str) -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            start.wait()
            answers[number] = requests[number](http).status_code

    try:
        with live_server(app) as base:
            threads = [threading.Thread(target=send, args=(n, base)) for n in range(len(requests))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        app.state.engine.dispose()
    return answers


def test_the_last_seat_is_sold_once_by_the_resource_route(any_service: Service) -> None:
    service = any_service
    group = max(_offered(service), key=lambda g: (g["free_seats"], g["id"]))
    clients = fitting_clients(service, group, group["free_seats"] - 1 + RACERS, "last")
    headers = service.as_("coordinator")

    def seat(client: str) -> Callable[[httpx.Client], httpx.Response]:
        body = {"client_id": client, "group_id": group["id"], "from_date": str(group["term_start"])}
        return lambda http: http.post("/enrollments", json=body, headers=headers)

    for client in clients[: group["free_seats"] - 1]:
        answer = service.client.post(
            "/enrollments",
            json={"client_id": client, "group_id": group["id"], "from_date": str(group["term_start"])},
            headers=headers,
        )
        assert answer.status_code == 201, answer.text
    answers = _race(service, [seat(client) for client in clients[group["free_seats"] - 1 :]])
    assert sorted(answers) == [201] + [409] * (RACERS - 1)
    assert _active(service, group_id=group["id"]) == group["capacity"]


def _two_groups_for_one_client(service: Service) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two groups with free seats in one language (the client will be made to suit both)."""
    groups = sorted(_offered(service), key=lambda g: (-g["free_seats"], g["id"]))
    for first in groups:
        for second in groups:
            if second["id"] != first["id"] and second["language"] == first["language"] and second["free_seats"]:
                return first, second
    raise AssertionError("the scenario has no two groups in one language with free seats")


def test_a_client_is_seated_once_when_two_reservations_race(any_service: Service) -> None:
    service = any_service
    first, second = _two_groups_for_one_client(service)
    pairs = min(first["free_seats"], second["free_seats"], 6)
    clients = fitting_clients(service, first, pairs, "twice")
    with service.session() as session:  # each suits both groups, at most one group a week
        for client in clients:
            row = session.get(ClientRow, client)
            assert row is not None
            row.available = [{"day": g["day"], "start": "00:00", "end": "23:59"} for g in (first, second)]
            row.interests = sorted({first["theme"], second["theme"]})
            row.audiences = sorted({first["audience"], second["audience"]})
            row.max_travel_minutes = 600
        session.commit()
    headers = service.as_("counsellor")

    def reserve(group: dict[str, Any], client: str) -> Callable[[httpx.Client], httpx.Response]:
        return lambda http: http.post(f"/groups/{group['id']}/enrollments", json={"client_id": client}, headers=headers)

    answers = _race(service, [reserve(group, client) for client in clients for group in (first, second)])
    assert sorted(answers) == [201] * pairs + [409] * pairs
    for client in clients:
        assert _active(service, client_id=client) == 1
