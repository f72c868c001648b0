"""Seats under concurrent requests against a live server, on SQLite and on PostgreSQL.

Every way a seat is made goes through one function that locks the client, then the
group, before it checks the rules: the last seat is sold once whichever route sells it,
and a client is never seated in two groups of one slot (or over their weekly limit) by
two requests at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from scheduler.storage.models import ClientRow, EnrollmentRow, GroupRow
from tests.api.conftest import Service, fitting_clients
from tests.api.live import Request, at_once

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


def _race(service: Service, requests: list[Request]) -> list[int]:
    """Send the requests at once to a live server; their statuses."""
    return [answer.status_code for answer in at_once(service.url, requests)]


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


def _twin_at_the_same_hour(service: Service) -> tuple[dict[str, Any], dict[str, Any]]:
    """The group with most free seats, and a copy of it that meets at the same day and hour."""
    first = max(_offered(service), key=lambda g: (g["free_seats"], g["id"]))
    with service.session() as session:
        row = session.get(GroupRow, first["id"])
        assert row is not None
        columns = {c.key: getattr(row, c.key) for c in GroupRow.__table__.columns}
        session.add(GroupRow(**{**columns, "id": f"{row.id}-twin"}))
        session.commit()
    second = service.client.get(f"/offering/{first['id']}-twin").json()
    assert (second["day"], second["start"]) == (first["day"], first["start"])
    return first, second


@pytest.mark.parametrize("limit", ["one_group_a_week", "same_hour"])
def test_a_client_is_seated_once_when_two_reservations_race(any_service: Service, limit: str) -> None:
    service = any_service
    first, second = (
        _two_groups_for_one_client(service) if limit == "one_group_a_week" else _twin_at_the_same_hour(service)
    )
    pairs = min(first["free_seats"], second["free_seats"], 6)
    clients = fitting_clients(service, first, pairs, "twice")
    with service.session() as session:  # each suits both groups but may not sit in both
        for client in clients:
            row = session.get(ClientRow, client)
            assert row is not None
            row.available = [{"day": g["day"], "start": "00:00", "end": "23:59"} for g in (first, second)]
            row.interests = sorted({first["theme"], second["theme"]})
            row.audiences = sorted({first["audience"], second["audience"]})
            row.max_travel_minutes = 600
            row.max_groups_per_week = 1 if limit == "one_group_a_week" else 2
        session.commit()
    headers = service.as_("counsellor")

    def reserve(group: dict[str, Any], client: str) -> Callable[[httpx.Client], httpx.Response]:
        return lambda http: http.post(f"/groups/{group['id']}/enrollments", json={"client_id": client}, headers=headers)

    answers = _race(service, [reserve(group, client) for client in clients for group in (first, second)])
    assert sorted(answers) == [201] * pairs + [409] * pairs
    for client in clients:
        assert _active(service, client_id=client) == 1


def test_the_last_seat_is_sold_once_when_ended_seats_are_made_active_at_once(any_service: Service) -> None:
    service = any_service
    group = max(_offered(service), key=lambda g: (g["free_seats"], g["id"]))
    clients = fitting_clients(service, group, group["free_seats"] - 1 + RACERS // 2, "again")
    headers = service.as_("coordinator")
    numbers = []
    for number, client in enumerate(clients):
        body = {"client_id": client, "group_id": group["id"], "from_date": str(group["term_start"])}
        if number >= group["free_seats"] - 1:  # a seat on record that ended, to be made active again
            body |= {"status": "interrupted", "to_date": str(group["term_start"])}
        answer = service.client.post("/enrollments", json=body, headers=headers)
        assert answer.status_code == 201, answer.text
        numbers.append(answer.json()["id"])

    def reactivate(number: int) -> Callable[[httpx.Client], httpx.Response]:
        return lambda http: http.patch(
            f"/enrollments/{number}", json={"status": "active", "to_date": None}, headers=headers
        )

    answers = _race(service, [reactivate(number) for number in numbers[group["free_seats"] - 1 :]])
    assert sorted(answers) == [200] + [409] * (RACERS // 2 - 1)
    assert _active(service, group_id=group["id"]) == group["capacity"]
