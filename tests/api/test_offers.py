"""Offers over HTTP: publishing made them, counsellors accept or decline for the clients they handle.

The scenario is published with the county's default terms (offers, not seats at once).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.daily import DailySteps
from scheduler.contract import Plan, Problem
from scheduler.contract.service import period_on
from scheduler.services.clock import FixedClock
from scheduler.settings import Settings
from scheduler.storage.models import ClientRow, CounsellorRow, EnrollmentRow, OfferRow
from scheduler.storage.tokens import create_token
from tests.api.conftest import Service, publish_scenario
from tests.conftest import migrated


def _offers_service(kind: str, tmp_path: Path, scenario: tuple[Problem, Plan]) -> Iterator[Service]:
    url = migrated(kind, tmp_path)
    headers = publish_scenario(url, *scenario, at_once=False)
    app = create_app(Settings(database_url=url))
    with TestClient(app, base_url="http://tarjotin.test") as client:
        service = Service(url, client, headers, *scenario)
        with service.session() as session:
            session.add_all([CounsellorRow(id="anna", name="Anna"), CounsellorRow(id="ben", name="Ben")])
            session.flush()
            for who in ("anna", "ben"):
                _, token = create_token(session, "counsellor", f"counsellor {who}", counsellor_id=who)
                service.headers[who] = {"Authorization": f"Bearer {token}"}
            session.commit()
        yield service
    app.state.engine.dispose()


@pytest.fixture
def offers(tmp_path: Path, scenario: tuple[Problem, Plan]) -> Iterator[Service]:
    yield from _offers_service("sqlite", tmp_path, scenario)


@pytest.fixture
def pg_offers(tmp_path: Path, scenario: tuple[Problem, Plan]) -> Iterator[Service]:
    yield from _offers_service("postgresql", tmp_path, scenario)


def _pending(service: Service) -> list[dict]:
    answer = service.client.get("/offers", params={"status": "pending"}, headers=service.as_("coordinator"))
    assert answer.status_code == 200, answer.text
    items: list[dict] = answer.json()["items"]
    return items


def _belongs_to(service: Service, client_id: str, counsellor: str) -> None:
    with service.session() as session:
        client = session.get(ClientRow, client_id)
        assert client is not None
        client.counsellor_id = counsellor
        session.commit()


def test_publishing_made_offers_that_hold_their_seats(offers: Service) -> None:
    pending = _pending(offers)
    placed = sum(len(g.participants) for g in offers.plan.groups)
    assert len(pending) == placed
    with offers.session() as session:
        assert session.scalars(select(EnrollmentRow)).first() is None
    held: dict[str, int] = {}
    for offer in pending:
        held[offer["group_id"]] = held.get(offer["group_id"], 0) + 1
    for group_id, count in list(held.items())[:5]:
        group = offers.client.get(f"/offering/{group_id}").json()
        assert group["free_seats"] == max(group["capacity"] - count, 0)


def test_accept_answers_the_seat_once_and_a_second_accept_is_409(offers: Service) -> None:
    offer = _pending(offers)[0]
    before = offers.client.get(f"/offering/{offer['group_id']}").json()["free_seats"]
    headers = {**offers.as_("counsellor"), "Idempotency-Key": "accept-1"}
    first = offers.client.post(f"/offers/{offer['id']}/accept", headers=headers)
    assert first.status_code == 200, first.text
    seat = first.json()
    assert seat["group_id"] == offer["group_id"] and seat["client_id"] == offer["client_id"]
    client = next(c for c in offers.problem.clients if c.id == offer["client_id"])
    period = period_on(client.decisions, date.fromisoformat(seat["from_date"])) if client.decisions else None
    ends = period.end.isoformat() if period is not None else None  # no decision on record: no end
    assert seat["from_date"] >= offer["starts_on"] and seat["to_date"] == ends
    assert seat["free_seats"] == before  # the offer's own seat became the client's
    replay = offers.client.post(f"/offers/{offer['id']}/accept", headers=headers)
    assert replay.status_code == 200 and replay.json() == seat and replay.headers["Idempotent-Replayed"] == "true"
    again = offers.client.post(f"/offers/{offer['id']}/accept", headers=offers.as_("counsellor"))
    assert again.status_code == 409 and "accepted" in again.json()["detail"]
    shown = offers.client.get(f"/offers/{offer['id']}", headers=offers.as_("coordinator")).json()
    assert shown["status"] == "accepted" and shown["enrollment_id"] == seat["enrollment_id"]


def test_a_seat_accepted_ends_with_the_clients_decision(offers: Service) -> None:
    offer = _pending(offers)[0]
    with offers.session() as session:
        client = session.get(ClientRow, offer["client_id"])
        assert client is not None
        client.decisions = [{"start": "2026-11-01", "end": "2027-04-30"}]
        session.commit()
    seat = offers.client.post(f"/offers/{offer['id']}/accept", headers=offers.as_("coordinator")).json()
    assert seat["to_date"] == "2027-04-30"


def test_decline_needs_a_known_reason_and_keeps_it(offers: Service) -> None:
    offer = _pending(offers)[0]
    url = f"/offers/{offer['id']}/decline"
    for body in ({"reason": "bored"}, {}, {"reason": "time", "note": "x" * 501}):
        bad = offers.client.post(url, json=body, headers=offers.as_("counsellor"))
        assert bad.status_code == 422, body
        assert {e["field"] for e in bad.json()["errors"]} <= {"reason", "note"} and bad.json()["errors"]
    declined = offers.client.post(
        url, json={"reason": "time", "note": "mornings only"}, headers=offers.as_("counsellor")
    )
    assert declined.status_code == 200, declined.text
    assert declined.json()["status"] == "declined" and declined.json()["decline_reason"] == "time"
    with offers.session() as session:
        client = session.get(ClientRow, offer["client_id"])
        assert client is not None and client.in_service
        assert [(d["group"], d["reason"]) for d in client.declined] == [(offer["group_id"], "time")]
    after = offers.client.get("/offers", params={"status": "declined"}, headers=offers.as_("coordinator")).json()
    assert [o["id"] for o in after["items"]] == [offer["id"]]
    assert offers.client.post(url, json={"reason": "time"}, headers=offers.as_("counsellor")).status_code == 409


def test_a_counsellor_answers_only_for_their_own_clients(offers: Service) -> None:
    mine, theirs = _pending(offers)[:2]
    _belongs_to(offers, mine["client_id"], "anna")
    _belongs_to(offers, theirs["client_id"], "ben")
    anna = offers.as_("anna")
    assert offers.client.post(f"/offers/{theirs['id']}/accept", headers=anna).status_code == 403
    refused = offers.client.post(f"/offers/{theirs['id']}/decline", json={"reason": "time"}, headers=anna)
    assert refused.status_code == 403 and "another responsible counsellor" in refused.json()["detail"]
    assert offers.client.get(f"/offers/{theirs['id']}", headers=anna).status_code == 403
    listed = {o["id"] for o in offers.client.get("/offers", headers=anna).json()["items"]}
    assert mine["id"] in listed and theirs["id"] not in listed
    assert offers.client.post(f"/offers/{mine['id']}/accept", headers=anna).status_code == 200
    ben = offers.client.get(f"/offers/{theirs['id']}", headers=offers.as_("ben")).json()
    assert ben["status"] == "pending"


def test_roles_and_bad_input(offers: Service) -> None:
    offer = _pending(offers)[0]
    assert offers.client.get("/offers").status_code == 401
    assert offers.client.get("/offers", headers=offers.as_("staff")).status_code == 403
    assert offers.client.post(f"/offers/{offer['id']}/accept", headers=offers.as_("staff")).status_code == 403
    bad = offers.client.get("/offers", params={"status": "maybe"}, headers=offers.as_("coordinator"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"
    assert offers.client.post("/offers/999999/accept", headers=offers.as_("coordinator")).status_code == 404
    assert offers.client.get("/offers/0", headers=offers.as_("coordinator")).status_code == 422


def test_offer_settings_are_the_coordinators(offers: Service) -> None:
    coordinator = offers.as_("coordinator")
    assert offers.client.get("/offers/settings", headers=coordinator).json() == {
        "reply_days": 7,
        "accept_at_once": False,
    }
    assert offers.client.get("/offers/settings", headers=offers.as_("counsellor")).status_code == 403
    body = {"reply_days": 10, "accept_at_once": True}
    assert offers.client.put("/offers/settings", json=body, headers=offers.as_("counsellor")).status_code == 403
    changed = offers.client.put("/offers/settings", json=body, headers=coordinator)
    assert changed.status_code == 200 and changed.json() == body
    bad = offers.client.put("/offers/settings", json={"reply_days": 0, "accept_at_once": True}, headers=coordinator)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "reply_days"
    assert offers.client.get("/offers/settings", headers=coordinator).json() == body


def test_offers_on_postgresql(pg_offers: Service) -> None:
    first, second = _pending(pg_offers)[:2]
    accepted = pg_offers.client.post(f"/offers/{first['id']}/accept", headers=pg_offers.as_("counsellor"))
    assert accepted.status_code == 200, accepted.text
    declined = pg_offers.client.post(
        f"/offers/{second['id']}/decline", json={"reason": "health"}, headers=pg_offers.as_("counsellor")
    )
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    with pg_offers.session() as session:
        assert session.get(OfferRow, first["id"]).status == "accepted"  # type: ignore[union-attr]
        assert session.get(EnrollmentRow, accepted.json()["enrollment_id"]).status == "active"  # type: ignore[union-attr]


def test_publishing_answers_how_many_offers_it_made(offers: Service) -> None:
    from tests.api.test_coordinator_pages import sign_in
    from tests.api.test_plans import finished, poll, start

    with offers.session() as session:  # a few new waiting clients, so the new plan has placements to offer
        for client in session.scalars(select(ClientRow).order_by(ClientRow.id).limit(6)):
            session.add(
                ClientRow(
                    **{
                        **{c.key: getattr(client, c.key) for c in ClientRow.__table__.columns},
                        "id": f"new-{client.id}",
                        "counsellor_id": None,
                    }
                )
            )
        session.commit()
    run_id = start(offers)
    run = poll(offers, run_id, finished)
    assert run["status"] == "draft", run
    before = len(_pending(offers))
    published = offers.client.post(f"/plans/{run_id}/publish", headers=offers.as_("coordinator"))
    assert published.status_code == 200, published.text
    answer = published.json()
    assert answer["seats_made"] == 0 and answer["offers_made"] == run["diff"]["clients_added"] > 0
    assert len(_pending(offers)) == before - answer["offers_withdrawn"] + answer["offers_made"]
    page = sign_in(offers, "coordinator").get(f"/planning/{run_id}", params={"lang": "en"}).text
    made = answer["offers_made"]
    said = f"{made} seats were offered to clients" if made > 1 else "1 seat was offered to a client"
    assert said in page


def test_the_served_app_runs_the_daily_step_in_the_background(offers: Service) -> None:
    pending = _pending(offers)
    late = max(date.fromisoformat(o["reply_by"]) for o in pending) + timedelta(days=1)
    app = create_app(Settings(database_url=offers.url), clock=FixedClock.on(late), daily_every=3600)
    with TestClient(app, base_url="http://tarjotin.test") as client:
        daily: DailySteps = app.state.daily
        for _ in range(100):  # the thread runs the step at start, then sleeps an hour
            if not client.get("/offers", params={"status": "pending"}, headers=offers.as_("coordinator")).json()[
                "items"
            ]:
                break
            time.sleep(0.1)
        assert daily.run_once().expired == 0  # all expired already, by the background run
    app.state.engine.dispose()
    expired = offers.client.get("/offers", params={"status": "expired"}, headers=offers.as_("coordinator")).json()
    assert expired["total"] == len(pending)
