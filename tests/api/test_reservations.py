"""Reserving seats: free seats drop at once, retries book once, the last seat is sold once."""

from __future__ import annotations

import pytest

from scheduler.storage.models import ClientRow, EnrollmentRow
from tests.api.conftest import Service, fitting_clients
from tests.api.live import at_once


def _offered(service: Service, group_id: str) -> dict:
    return service.client.get(f"/offering/{group_id}").json()


def _group_with_free_seats(service: Service) -> dict:
    items = service.client.get("/offering", params={"free_only": True, "limit": 500}).json()["items"]
    return max(items, key=lambda g: (g["free_seats"], g["id"]))


def test_a_reservation_shows_in_the_next_offering(service: Service) -> None:
    group = _group_with_free_seats(service)
    client = fitting_clients(service, group, 1, "walkin")[0]
    answer = service.client.post(
        f"/groups/{group['id']}/enrollments", json={"client_id": client}, headers=service.as_("counsellor")
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["free_seats"] == group["free_seats"] - 1
    assert _offered(service, group["id"])["free_seats"] == group["free_seats"] - 1


def test_a_retried_reservation_books_once(service: Service) -> None:
    group = _group_with_free_seats(service)
    client = fitting_clients(service, group, 1, "retry")[0]
    headers = {**service.as_("counsellor"), "Idempotency-Key": "retry-123"}
    first = service.client.post(f"/groups/{group['id']}/enrollments", json={"client_id": client}, headers=headers)
    again = service.client.post(f"/groups/{group['id']}/enrollments", json={"client_id": client}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again.headers.get("Idempotent-Replayed") == "true"
    assert _offered(service, group["id"])["free_seats"] == group["free_seats"] - 1
    other = service.client.post(
        f"/groups/{group['id']}/enrollments", json={"client_id": "someone-else"}, headers=headers
    )
    assert other.status_code == 422 and "different request" in other.json()["detail"]


def test_a_full_group_answers_409_and_offers_its_waiting_list(service: Service) -> None:
    group = _group_with_free_seats(service)
    clients = fitting_clients(service, group, group["free_seats"] + 1, "rush")
    for client in clients[:-1]:
        ok = service.client.post(
            f"/groups/{group['id']}/enrollments", json={"client_id": client}, headers=service.as_("counsellor")
        )
        assert ok.status_code == 201, ok.text
    full = service.client.post(
        f"/groups/{group['id']}/enrollments", json={"client_id": clients[-1]}, headers=service.as_("counsellor")
    )
    assert full.status_code == 409
    assert full.json()["waiting_list"] == f"/groups/{group['id']}/waitlist"
    queued = service.client.post(
        full.json()["waiting_list"], json={"client_id": clients[-1]}, headers=service.as_("counsellor")
    )
    assert queued.status_code == 201 and queued.json()["position"] == 1
    freed = service.client.delete(f"/groups/{group['id']}/enrollments/{clients[0]}", headers=service.as_("counsellor"))
    assert freed.status_code == 200 and freed.json() == {
        "group_id": group["id"],
        "client_id": clients[0],
        "free_seats": 1,
        "waiting": 1,
    }
    seated = service.client.post(
        f"/groups/{group['id']}/enrollments", json={"client_id": clients[-1]}, headers=service.as_("counsellor")
    )
    assert seated.status_code == 201
    assert (
        service.client.get(f"/groups/{group['id']}/waitlist", headers=service.as_("counsellor")).json()["waiting"] == []
    )


def test_a_group_that_does_not_suit_the_client_is_refused_with_reasons(service: Service) -> None:
    group = _group_with_free_seats(service)
    client = fitting_clients(service, group, 1, "wronglang")[0]
    with service.session() as session:
        session.get(ClientRow, client).languages = ["xx"]
        session.commit()
    answer = service.client.post(
        f"/groups/{group['id']}/enrollments", json={"client_id": client}, headers=service.as_("counsellor")
    )
    assert answer.status_code == 409
    assert [r["code"] for r in answer.json()["reasons"]] == ["language"]


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("staff", 403)])
def test_only_counsellors_and_coordinators_reserve(service: Service, role: str, status: int) -> None:
    group = _group_with_free_seats(service)
    client = fitting_clients(service, group, 1, "role")[0]
    answer = service.client.post(
        f"/groups/{group['id']}/enrollments", json={"client_id": client}, headers=service.as_(role)
    )
    assert answer.status_code == status
    assert _offered(service, group["id"])["free_seats"] == group["free_seats"]


def test_unknown_group_404_unknown_client_422(service: Service) -> None:
    group = _group_with_free_seats(service)
    missing = service.client.post(
        "/groups/nope/enrollments", json={"client_id": "x"}, headers=service.as_("counsellor")
    )
    assert missing.status_code == 404
    stranger = service.client.post(
        f"/groups/{group['id']}/enrollments", json={"client_id": "nobody"}, headers=service.as_("counsellor")
    )
    assert stranger.status_code == 422 and stranger.json()["errors"][0]["field"] == "client_id"


def test_the_last_seat_is_sold_once_under_concurrent_requests(pg_service: Service) -> None:
    service = pg_service
    group = _group_with_free_seats(service)
    clients = fitting_clients(service, group, group["free_seats"] + 6, "race")
    path = f"/groups/{group['id']}/enrollments"
    headers = service.as_("counsellor")
    books = [lambda http, c=client: http.post(path, json={"client_id": c}, headers=headers) for client in clients]
    answers = {client: answer.status_code for client, answer in zip(clients, at_once(service.url, books), strict=True)}
    assert sorted(answers.values()) == [201] * group["free_seats"] + [409] * 6
    with service.session() as session:
        seated = session.query(EnrollmentRow).filter_by(group_id=group["id"], status="active").count()
    assert seated == group["capacity"]
    assert _offered(service, group["id"])["free_seats"] == 0
