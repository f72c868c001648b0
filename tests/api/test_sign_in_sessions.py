"""Page sign-ins are kept by the server: the cookie is a random id, never the token, and the sign-in ends
at sign-out, when its token is revoked, after the idle time and after the absolute lifetime.

Bearer tokens may expire; idempotency keys belong to the caller who sent them and are forgotten after a day.
The clock is the application's (`create_app(clock=...)`); here one that the test moves forward.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from scheduler.services.clock import HELSINKI, FixedClock
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import SignInSession
from scheduler.storage.sign_in_sessions import purge_sign_ins
from scheduler.storage.tokens import create_token, find_token, revoke_token
from tests.api.conftest import Service, fitting_clients
from tests.api.sign_in import SESSION, sign_in

DAY = date(2027, 2, 3)
"""A Wednesday in the scenario's term."""


@dataclass
class MovingClock:
    """A clock that stands still until the test moves it."""

    moment: datetime

    def now(self) -> datetime:
        return FixedClock(self.moment).now()

    def today(self, zone: str = HELSINKI) -> date:
        return FixedClock(self.moment).today(zone)

    def move(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@contextmanager
def app_on(service: Service, clock: MovingClock, **settings: Any) -> Iterator[TestClient]:
    """The application over the service's database, on the clock; pages asked for as a browser does."""
    app = create_app(Settings(database_url=service.url, **settings), clock=clock)
    with TestClient(app, base_url="http://tarjotin.test", follow_redirects=False) as client:
        client.headers["Accept"] = "text/html"
        yield client
    app.state.engine.dispose()


def token_of(service: Service, role: str) -> str:
    return service.as_(role)["Authorization"].removeprefix("Bearer ")


def signed_in(client: TestClient) -> bool:
    """Whether the client's cookie still opens a counsellor's page (else it is sent to sign in)."""
    answer = client.get("/find")
    assert answer.status_code in (200, 303), answer.text
    return answer.status_code == 200


def replay(client: TestClient, cookie: str) -> TestClient:
    """The client with only the given session cookie, as someone who copied it would send it."""
    client.cookies.clear()
    client.cookies.set(SESSION, cookie)
    return client


@pytest.fixture(params=["sqlite", "postgresql"])
def any_service(request: pytest.FixtureRequest) -> Service:
    """The application over SQLite and over PostgreSQL."""
    service: Service = request.getfixturevalue("service" if request.param == "sqlite" else "pg_service")
    return service


def test_the_cookie_is_a_random_id_stored_only_as_its_hash_and_sign_out_ends_it(any_service: Service) -> None:
    service = any_service
    token = token_of(service, "counsellor")
    clock = MovingClock(FixedClock.on(DAY).moment)
    with app_on(service, clock) as client:
        cookie = sign_in(client, token)
        assert cookie != token and token not in cookie and len(cookie) >= 43
        with service.session() as session:
            row = session.scalars(select(SignInSession)).one()
            assert row.id == hashlib.sha256(cookie.encode()).hexdigest()
        assert signed_in(client)
        page = client.get("/signout")
        csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
        assert client.post("/signout", data={"csrf": csrf}).status_code == 303
        assert not signed_in(replay(client, cookie)), "a copy of the cookie works after signing out"
        with service.session() as session:
            assert session.scalars(select(SignInSession)).one().revoked_at is not None


def test_revoking_the_token_ends_its_sign_ins(service: Service) -> None:
    token = token_of(service, "counsellor")
    clock = MovingClock(FixedClock.on(DAY).moment)
    with app_on(service, clock) as client:
        cookie = sign_in(client, token)
        assert signed_in(client)
        with service.session() as session:
            row = find_token(session, token)
            assert row is not None
            revoke_token(session, row.id, actor="test")
            session.commit()
            assert session.scalars(select(SignInSession)).one().revoked_at is not None
        assert not signed_in(replay(client, cookie))


def test_a_sign_in_ends_after_the_idle_time_and_each_request_keeps_it_alive(service: Service) -> None:
    clock = MovingClock(FixedClock.on(DAY).moment)
    with app_on(service, clock, sign_in_idle_minutes=120) as client:
        cookie = sign_in(client, token_of(service, "counsellor"))
        for _ in range(3):  # six hours, a request every 110 minutes
            clock.move(minutes=110)
            assert signed_in(client)
        clock.move(minutes=120)
        assert not signed_in(replay(client, cookie)), "a sign-in idle for 120 minutes still works"


def test_last_use_is_written_at_most_once_a_minute(service: Service) -> None:
    clock = MovingClock(FixedClock.on(DAY).moment)
    started = clock.now()
    with app_on(service, clock) as client:
        sign_in(client, token_of(service, "counsellor"))

        def last_seen() -> datetime:
            with service.session() as session:
                seen = session.scalars(select(SignInSession.last_seen_at)).one()
            return seen.replace(tzinfo=started.tzinfo) if seen.tzinfo is None else seen

        clock.move(seconds=30)
        assert signed_in(client) and signed_in(client)
        assert last_seen() == started, "a read within the minute wrote the sign-in"
        clock.move(seconds=40)
        assert signed_in(client)
        assert last_seen() == clock.now()


def test_a_sign_in_ends_after_its_absolute_lifetime_however_busy(service: Service) -> None:
    clock = MovingClock(FixedClock.on(DAY).moment)
    with app_on(service, clock, sign_in_max_hours=12) as client:
        cookie = sign_in(client, token_of(service, "counsellor"))
        for _ in range(23):  # a request every half hour for eleven and a half hours
            clock.move(minutes=30)
            assert signed_in(client)
        clock.move(minutes=30)
        assert not signed_in(replay(client, cookie)), "a sign-in outlived its twelve hours"
        home = client.get("/?lang=en")
        assert "Your sign-in has ended" in home.text
    with service.session() as session:
        assert purge_sign_ins(session, clock.now()) == 1
        session.commit()


def test_an_expired_bearer_token_is_a_401_saying_so(service: Service) -> None:
    clock = MovingClock(FixedClock.on(DAY).moment)
    engine = make_engine(service.url)
    with session_scope(engine) as session:
        _, token = create_token(session, "counsellor", "visiting", expires_in_days=2, now=clock.now())
    engine.dispose()
    bearer = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    with app_on(service, clock) as client:
        assert client.get("/clients", headers=bearer).status_code == 200
        clock.move(days=1, hours=23)
        assert client.get("/clients", headers=bearer).status_code == 200
        sign_in(client, token)
        clock.move(hours=1)
        answer = client.get("/clients", headers=bearer)
        assert answer.status_code == 401 and "expired" in answer.json()["detail"], answer.text
        assert not signed_in(client), "a sign-in outlived its token"
        form = client.get("/signin?lang=en")
        csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
        refused = client.post("/signin", data={"token": token, "csrf": csrf})
        assert refused.status_code == 401 and "That token has expired" in refused.text


def _group_with_free_seats(client: TestClient) -> dict[str, Any]:
    items = client.get("/offering", params={"free_only": True, "limit": 500}).json()["items"]
    group: dict[str, Any] = max(items, key=lambda g: (g["free_seats"], g["id"]))
    return group


def test_one_callers_idempotency_key_never_answers_another_caller(service: Service) -> None:
    group = _group_with_free_seats(service.client)
    first, second = fitting_clients(service, group, 2, "keyed")
    url = f"/groups/{group['id']}/enrollments"
    mine = {**service.as_("counsellor"), "Idempotency-Key": "booking-1"}
    theirs = {**service.as_("coordinator"), "Idempotency-Key": "booking-1"}
    booked = service.client.post(url, json={"client_id": first}, headers=mine)
    assert booked.status_code == 201, booked.text
    same = service.client.post(url, json={"client_id": first}, headers=theirs)
    assert same.status_code == 409 and "Idempotent-Replayed" not in same.headers, "another caller got my answer"
    other = service.client.post(url, json={"client_id": second}, headers=theirs)
    assert other.status_code == 201 and other.json()["client_id"] == second, other.text
    again = service.client.post(url, json={"client_id": first}, headers=mine)
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json() == booked.json()


def test_an_idempotency_key_older_than_the_setting_counts_as_new(service: Service) -> None:
    clock = MovingClock(FixedClock.on(DAY).moment)
    with app_on(service, clock, idempotency_retention_hours=24) as client:
        client.headers["Accept"] = "application/json"
        group = _group_with_free_seats(client)
        first, second = fitting_clients(service, group, 2, "aging")
        url = f"/groups/{group['id']}/enrollments"
        headers = {**service.as_("counsellor"), "Idempotency-Key": "monday-booking"}
        booked = client.post(url, json={"client_id": first}, headers=headers)
        assert booked.status_code == 201, booked.text
        clock.move(hours=23)
        assert client.post(url, json={"client_id": first}, headers=headers).headers.get("Idempotent-Replayed")
        clock.move(hours=2)
        stale = client.post(url, json={"client_id": first}, headers=headers)
        assert stale.status_code == 409 and "Idempotent-Replayed" not in stale.headers, "a day-old answer was replayed"
        fresh = client.post(url, json={"client_id": second}, headers=headers)
        assert fresh.status_code == 201 and fresh.json()["client_id"] == second, fresh.text
