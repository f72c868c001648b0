"""PostgreSQL goes away while the service runs: 503 with Retry-After, never a traceback; back by itself.

The shared PostgreSQL cannot be restarted by a test, so the service reaches it through a TCP
proxy the test cuts (every connection dropped, new ones refused) and restores.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from sqlalchemy import make_url

from api.app import create_app
from scheduler.contract import Plan, Problem
from scheduler.settings import Settings
from tests.api.conftest import publish_scenario
from tests.api.live import live_server
from tests.conftest import migrated
from tests.faults.proxy import TcpProxy, tcp_proxy

LEAKS = ("Traceback", "psycopg", "sqlalchemy", "connection refused", "server closed", "OperationalError")


@contextmanager
def _served_through_proxy(tmp_path, scenario: tuple[Problem, Plan]) -> Iterator[tuple[httpx.Client, TcpProxy, dict]]:
    url = migrated("postgresql", tmp_path)
    headers = publish_scenario(url, *scenario)
    real = make_url(url)
    with tcp_proxy(real.host or "127.0.0.1", real.port or 5432) as proxy:
        app = create_app(Settings(database_url=real.set(port=proxy.port).render_as_string(hide_password=False)))
        try:
            with live_server(app) as base, httpx.Client(base_url=base, timeout=60) as http:
                yield http, proxy, headers
        finally:
            app.state.engine.dispose()


def _warm(http: httpx.Client, count: int = 6) -> None:
    """Concurrent requests, so that the pool holds several connections."""
    answers: list[int] = []
    threads = [threading.Thread(target=lambda: answers.append(http.get("/offering").status_code)) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * count


def _assert_unavailable(answer: httpx.Response, page: bool = False) -> None:
    assert answer.status_code == 503, answer.text[:500]
    assert answer.headers["Retry-After"].isdigit()
    assert not any(leak.lower() in answer.text.lower() for leak in LEAKS), answer.text
    if page:
        assert answer.headers["content-type"].startswith("text/html")
    else:
        assert answer.headers["content-type"] == "application/problem+json"
        body = answer.json()
        assert body["type"] == "https://tarjotin.fi/problems/unavailable"
        assert body["detail"] == "the database cannot be reached just now; try again shortly"


def test_a_database_outage_answers_503_with_retry_after_and_the_service_recovers(tmp_path, scenario) -> None:
    with _served_through_proxy(tmp_path, scenario) as (http, proxy, headers):
        _warm(http)
        group = http.get("/offering").json()["items"][0]["id"]
        proxy.cut()
        for _ in range(3):
            _assert_unavailable(http.get("/offering"))
            _assert_unavailable(http.get(f"/calendars/groups/{group}.ics"))
            _assert_unavailable(
                http.post("/offering/recommend", json={"client_id": "nobody"}, headers=headers["counsellor"])
            )
            _assert_unavailable(
                http.post(f"/groups/{group}/enrollments", json={"client_id": "x"}, headers=headers["counsellor"])
            )
            _assert_unavailable(http.get("/", headers={"Accept": "text/html"}), page=True)
        proxy.restore()
        for _ in range(3):  # no restart of the service: the next requests are answered
            assert http.get("/offering").status_code == 200
            assert http.get("/").status_code == 200
            assert http.get(f"/calendars/groups/{group}.ics").status_code == 200


def test_a_database_restart_between_requests_goes_unnoticed(tmp_path, scenario) -> None:
    """The pool's connections died while idle; each is pinged and replaced before use, none fails a request."""
    with _served_through_proxy(tmp_path, scenario) as (http, proxy, _):
        _warm(http)
        proxy.cut()
        proxy.restore()
        _warm(http)
