"""The offering kept per version: ETags and 304s, answers kept by ETag, exact free seats after every write,
across processes (two applications on one database), and on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from scheduler.settings import Settings
from scheduler.storage.offering_stamp import offering_version
from tests.api.conftest import Service, fitting_clients


def _roomy(service: Service) -> dict:
    items = service.client.get("/offering", params={"free_only": True, "limit": 500}).json()["items"]
    return max(items, key=lambda g: (g["free_seats"], g["id"]))


def _book(service: Service, group: dict, client: str) -> None:
    answer = service.client.post(
        f"/groups/{group['id']}/enrollments", json={"client_id": client}, headers=service.as_("counsellor")
    )
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize("path", ["/offering", "/offering?language=fi&free_only=true", "/", "/?day=tue"])
def test_an_unchanged_offering_answers_304_to_its_etag(service: Service, path: str) -> None:
    first = service.client.get(path)
    assert first.status_code == 200 and first.headers["etag"].startswith('"')
    again = service.client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == first.headers["etag"]
    stale = service.client.get(path, headers={"If-None-Match": '"not-this-one"'})
    assert stale.status_code == 200 and stale.content == first.content


def test_a_public_answer_may_be_kept_briefly_by_a_proxy_and_a_signed_in_one_not(service: Service) -> None:
    public = service.client.get("/offering")
    assert public.headers["cache-control"] == "public, max-age=10" and "Authorization" in public.headers["vary"]
    coordinator = service.client.get("/offering", headers=service.as_("coordinator"))
    assert coordinator.headers["cache-control"] == "private, no-cache"
    assert coordinator.headers["etag"] != public.headers["etag"], "a coordinator sees the pop-ups' reach"
    group = public.json()["items"][0]["id"]
    one = service.client.get(f"/offering/{group}")
    assert one.headers["cache-control"] == "public, max-age=10"
    assert service.client.get(f"/offering/{group}", headers={"If-None-Match": one.headers["etag"]}).status_code == 304


def test_a_page_that_sets_a_cookie_is_never_public(service: Service) -> None:
    first = service.client.get("/", headers={"Accept-Language": "sv"})
    assert "set-cookie" in first.headers and first.headers["cache-control"] == "private, no-cache"
    again = service.client.get("/", headers={"Accept-Language": "sv"})  # the client now sends the cookies
    assert "set-cookie" not in again.headers and again.headers["cache-control"] == "public, max-age=10"
    assert again.headers["etag"] == first.headers["etag"] and 'lang="sv"' in again.text


def test_the_filters_give_different_answers_and_equal_queries_one(service: Service) -> None:
    fi = service.client.get("/offering", params={"language": "fi"})
    sv = service.client.get("/offering", params={"language": "sv"})
    assert fi.headers["etag"] != sv.headers["etag"]
    assert {g["language"] for g in fi.json()["items"]} == {"fi"}
    same = service.client.get("/offering", params={"language": "fi"})
    assert same.headers["etag"] == fi.headers["etag"] and same.content == fi.content


def test_a_booked_seat_is_never_followed_by_an_offering_that_still_shows_it(service: Service) -> None:
    group = _roomy(service)
    before = service.client.get(f"/offering/{group['id']}")
    listed = service.client.get("/offering", params={"limit": 500})
    page = service.client.get("/")
    for n, client in enumerate(fitting_clients(service, group, 2, "kept"), start=1):
        _book(service, group, client)
        now = service.client.get(f"/offering/{group['id']}", headers={"If-None-Match": before.headers["etag"]})
        assert now.status_code == 200 and now.json()["free_seats"] == group["free_seats"] - n
        items = {g["id"]: g for g in service.client.get("/offering", params={"limit": 500}).json()["items"]}
        assert items[group["id"]]["free_seats"] == group["free_seats"] - n
    assert service.client.get("/offering", params={"limit": 500}).headers["etag"] != listed.headers["etag"]
    assert service.client.get("/", headers={"If-None-Match": page.headers["etag"]}).status_code == 200


def test_the_offering_is_built_once_per_version(service: Service) -> None:
    keeper_of = service.client.app.state  # type: ignore[attr-defined]
    for params in ({}, {"language": "fi"}, {"day": "tue"}, {"free_only": True}):
        assert service.client.get("/offering", params=params).status_code == 200
    service.client.get("/")
    builds = keeper_of.offering_keeper.builds
    assert builds == 1, "every filter and the page came from one kept offering"
    group = _roomy(service)
    _book(service, group, fitting_clients(service, group, 1, "once")[0])
    for params in ({}, {"language": "fi"}):
        service.client.get("/offering", params=params)
    assert keeper_of.offering_keeper.builds == builds + 1


@pytest.fixture
def two_processes(service: Service) -> Iterator[tuple[TestClient, TestClient]]:
    """A second application on the same database: another process's keeper and kept answers."""
    other = create_app(Settings(database_url=service.url))
    with TestClient(other, base_url="http://tarjotin.test") as client:
        yield service.client, client
    other.state.engine.dispose()


def test_a_seat_booked_through_one_process_shows_in_the_other(
    service: Service, two_processes: tuple[TestClient, TestClient]
) -> None:
    first, second = two_processes
    group = _roomy(service)
    seen = second.get(f"/offering/{group['id']}")  # the second process keeps this version's offering
    assert seen.json()["free_seats"] == group["free_seats"]
    _book(service, group, fitting_clients(service, group, 1, "elsewhere")[0])  # through the first
    after = second.get(f"/offering/{group['id']}", headers={"If-None-Match": seen.headers["etag"]})
    assert after.status_code == 200 and after.json()["free_seats"] == group["free_seats"] - 1
    assert first.get(f"/offering/{group['id']}").headers["etag"] == after.headers["etag"]


def test_readers_during_bookings_never_see_a_booked_seat_free(service: Service) -> None:
    """Bookings into one group from one thread while others read the offering: once a booking is answered,
    every read that starts after it shows the seat taken."""
    group = _roomy(service)
    clients = fitting_clients(service, group, group["free_seats"], "race")
    booked = [0]
    wrong: list[tuple[int, int]] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            at_least = booked[0]
            free = service.client.get(f"/offering/{group['id']}").json()["free_seats"]
            if free > group["free_seats"] - at_least:
                wrong.append((at_least, free))

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    try:
        for client in clients:
            _book(service, group, client)
            booked[0] += 1
    finally:
        stop.set()
        for thread in readers:
            thread.join()
    assert not wrong
    assert service.client.get(f"/offering/{group['id']}").json()["free_seats"] == 0


def test_the_version_moves_with_the_booking_in_its_transaction(service: Service) -> None:
    with service.session() as session:
        before = offering_version(session)
    group = _roomy(service)
    _book(service, group, fitting_clients(service, group, 1, "stamp")[0])
    with service.session() as session:
        assert offering_version(session) == before + 1  # the new client (not shown) moved nothing; the seat did


def test_over_postgresql_too(pg_service: Service, tmp_path: Path) -> None:
    group = _roomy(pg_service)
    first = pg_service.client.get(f"/offering/{group['id']}")
    _book(pg_service, group, fitting_clients(pg_service, group, 1, "pg")[0])
    after = pg_service.client.get(f"/offering/{group['id']}", headers={"If-None-Match": first.headers["etag"]})
    assert after.status_code == 200 and after.json()["free_seats"] == group["free_seats"] - 1


@pytest.mark.parametrize("path", ["/offering", "/", "/calendars/offering.ics"])
def test_a_kept_answer_goes_gzipped_to_whoever_takes_it_with_an_etag_of_its_own(service: Service, path: str) -> None:
    plain = service.client.get(path, headers={"Accept-Encoding": "identity"})
    packed = service.client.get(path, headers={"Accept-Encoding": "gzip"})  # httpx unpacks it
    assert "content-encoding" not in plain.headers and packed.headers["content-encoding"] == "gzip"
    assert packed.content == plain.content and "Accept-Encoding" in packed.headers["vary"]
    assert packed.headers["etag"] == plain.headers["etag"][:-1] + '-gz"'
    for etag in (plain.headers["etag"], packed.headers["etag"]):
        again = service.client.get(path, headers={"If-None-Match": etag, "Accept-Encoding": "gzip"})
        assert again.status_code == 304 and "content-encoding" not in again.headers
