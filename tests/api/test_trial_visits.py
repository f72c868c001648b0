"""Trial visits over HTTP, on SQLite and PostgreSQL: booking one session of a group (its day, its free seats
that day, the client's fit), listing, cancelling, offering and letting end; the leader's list and the
counsellor's caseload show the visit; two bookings for the last seat of a day take it once; an erasure
removes the visits.

The data is the feed offering (`tests.feeds_data`): g-mon meets on Mondays 09–12, led by aino and mikko,
with asiakas-01..03 (10 seats: 7 free). Today is Monday 1 February 2027, a session day of g-mon. The
clients `koe-*` wait for a group; `koe-1` is counsellor riikka's (alias Kaisa), the others in the shared queue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.app import create_app
from scheduler.services.clock import FixedClock
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import AuditEntry, ClientRow, CounsellorRow, OfferRow, TrialVisit
from scheduler.storage.tokens import create_token
from tests.conftest import migrated
from tests.feeds_data import EASTER_MONDAY, load_feed_data

TODAY = date(2027, 2, 1)
NEXT, LATER = "2027-02-08", "2027-02-15"
OWN = "koe-1"
MONDAY = [{"day": "mon", "start": "08:00", "end": "18:00"}]


@dataclass
class App:
    client: TestClient
    url: str
    headers: dict[str, dict[str, str]]
    tokens: dict[str, str]

    def book(self, client_id: str, day: str, who: str = "riikka", group: str = "g-mon") -> httpx.Response:
        body = {"group_id": group, "day": day}
        return self.client.post(f"/clients/{client_id}/trial-visits", json=body, headers=self.headers[who])

    def free(self, group: str = "g-mon") -> int:
        free: int = self.client.get(f"/offering/{group}").json()["free_seats"]
        return free


def waiting_client(session: Any, ident: str, **more: Any) -> None:
    """A waiting client in Lohja who speaks Finnish and could come on Mondays."""
    values: dict[str, Any] = {
        "id": ident,
        "languages": ["fi"],
        "home_lat": 60.25,
        "home_lon": 24.07,
        "travel_mode": "car",
        "max_travel_minutes": 60,
        "available": MONDAY,
        "interests": ["nature"],
        "audiences": [],
        "needs_accessible": False,
        "remote_ok": False,
        "waiting_since": date(2026, 12, 1),
        "max_groups_per_week": 1,
    }
    session.add(ClientRow(**(values | more)))


def make_app(kind: str, tmp_path: Path) -> Iterator[App]:
    url = migrated(kind, tmp_path)
    engine = make_engine(url)
    load_feed_data(engine)
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    tokens: dict[str, str] = {}
    with session_scope(engine) as session:
        session.add_all([CounsellorRow(id="riikka", name="Riikka"), CounsellorRow(id="olli", name="Olli")])
        session.flush()
        for n in range(1, 13):
            waiting_client(session, f"koe-{n}")
        waiting_client(session, "koe-sv", languages=["sv"])
        session.flush()
        own = session.get(ClientRow, OWN)
        assert own is not None
        own.counsellor_id, own.alias = "riikka", "Kaisa"
        for who, role, staff, counsellor in (
            ("coordinator", "coordinator", None, None),
            ("aino", "staff", "aino", None),
            ("riikka", "counsellor", None, "riikka"),
            ("olli", "counsellor", None, "olli"),
        ):
            _, token = create_token(session, role, who, staff_id=staff, counsellor_id=counsellor)
            headers[who] = {"Authorization": f"Bearer {token}"}
            tokens[who] = token
    app = create_app(Settings(database_url=url), clock=FixedClock.on(TODAY))
    with TestClient(app, base_url="http://tarjotin.test") as client:
        yield App(client, url, headers, tokens)
    app.state.engine.dispose()
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[App]:
    yield from make_app(request.param, tmp_path)


def test_a_booking_holds_a_seat_that_day_and_is_listed(app: App) -> None:
    before = app.free()
    booked = app.book(OWN, NEXT)
    assert booked.status_code == 201, booked.text
    visit = booked.json()
    assert (visit["client_id"], visit["group_id"], visit["day"], visit["status"]) == (OWN, "g-mon", NEXT, "booked")
    assert visit["free_seats"] == before - 1 and visit["warnings"] == []
    assert app.free() == before - 1  # a seat given now would sit on that session too
    listed = app.client.get(f"/clients/{OWN}/trial-visits", headers=app.headers["riikka"]).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == visit["id"]
    again = app.book(OWN, LATER)
    assert again.status_code == 409 and "booked trial visit" in again.json()["detail"]
    with make_engine(app.url).connect() as conn:
        entries = conn.execute(select(AuditEntry.detail).where(AuditEntry.action == "trial_book")).scalars().all()
    assert entries == [{"client": OWN, "group": "g-mon", "day": NEXT}]


@pytest.mark.parametrize(
    ("day", "said"),
    [("2027-02-09", "no session"), ("2027-01-25", "past"), (EASTER_MONDAY.isoformat(), "cancelled")],
)
def test_a_day_that_is_no_coming_held_session_is_a_fault_of_day(app: App, day: str, said: str) -> None:
    answer = app.book(OWN, day)
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == ["day"] and said in answer.json()["errors"][0]["message"]


def test_unknown_group_client_and_another_counsellors_client(app: App) -> None:
    assert app.book(OWN, NEXT, group="g-none").status_code == 404
    assert app.book("nobody", NEXT, who="coordinator").status_code == 404
    refused = app.book(OWN, NEXT, who="olli")
    assert refused.status_code == 403 and "another responsible counsellor" in refused.json()["detail"]
    assert app.client.get(f"/clients/{OWN}/trial-visits", headers=app.headers["olli"]).status_code == 403
    assert app.book("koe-2", NEXT, who="olli").status_code == 201  # the shared queue is anyone's


def test_a_language_they_do_not_speak_is_refused_and_a_long_trip_is_a_warning(app: App) -> None:
    refused = app.book("koe-sv", NEXT, who="coordinator")
    assert refused.status_code == 409, refused.text
    assert [r["code"] for r in refused.json()["reasons"]] == ["language"]
    with session_scope(make_engine(app.url)) as session:
        far = session.get(ClientRow, "koe-3")
        assert far is not None
        far.home_lat, far.home_lon, far.max_travel_minutes = 61.5, 23.8, 20  # Tampere, 20 minutes at most
    warned = app.book("koe-3", NEXT, who="coordinator")
    assert warned.status_code == 201, warned.text
    assert [w["code"] for w in warned.json()["warnings"]] == ["travel"]


def test_the_last_seat_of_a_day_is_booked_once_and_other_days_stay_free(app: App) -> None:
    free = app.free()
    for n in range(2, free + 1):  # koe-2 .. : all but one seat of that day
        assert app.book(f"koe-{n}", NEXT, who="coordinator").status_code == 201
    assert app.free() == 1
    last = app.book(OWN, NEXT)
    assert last.status_code == 201 and last.json()["free_seats"] == 0
    full = app.book(f"koe-{free + 1}", NEXT, who="coordinator")
    assert full.status_code == 409 and [r["code"] for r in full.json()["reasons"]] == ["capacity"]
    assert app.book(f"koe-{free + 1}", LATER, who="coordinator").status_code == 201
    reserved = app.client.post(
        "/groups/g-mon/enrollments", json={"client_id": f"koe-{free + 2}"}, headers=app.headers["coordinator"]
    )
    assert reserved.status_code == 409 and "is full" in reserved.json()["detail"]  # a visit holds that seat


def test_two_bookings_at_once_take_the_last_seat_once(app: App) -> None:
    from tests.api.live import at_once

    free = app.free()
    for n in range(3, free + 2):
        assert app.book(f"koe-{n}", NEXT, who="coordinator").status_code == 201
    assert app.free() == 1
    racers = ["koe-1", "koe-2", f"koe-{free + 2}", f"koe-{free + 3}"]

    def booking(client: str) -> Callable[[httpx.Client], httpx.Response]:
        body = {"group_id": "g-mon", "day": NEXT}
        return lambda http: http.post(f"/clients/{client}/trial-visits", json=body, headers=app.headers["coordinator"])

    answers = at_once(app.url, [booking(c) for c in racers], clock=FixedClock.on(TODAY))
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409], [a.text for a in answers]
    with session_scope(make_engine(app.url)) as session:
        booked = session.scalar(
            select(func.count()).where(TrialVisit.day == date.fromisoformat(NEXT), TrialVisit.status == "booked")
        )
    assert booked == free


def test_a_reservation_and_a_booking_at_once_take_the_last_seat_once(app: App) -> None:
    from tests.api.live import at_once

    free = app.free()
    for n in range(3, free + 2):
        assert app.book(f"koe-{n}", NEXT, who="coordinator").status_code == 201
    assert app.free() == 1
    coordinator = app.headers["coordinator"]
    answers = at_once(
        app.url,
        [
            lambda http: http.post("/groups/g-mon/enrollments", json={"client_id": "koe-1"}, headers=coordinator),
            lambda http: http.post(
                "/clients/koe-2/trial-visits", json={"group_id": "g-mon", "day": NEXT}, headers=coordinator
            ),
        ],
        clock=FixedClock.on(TODAY),
    )
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    assert app.free() == 0
    assert app.book("koe-2", LATER, who="coordinator").status_code == (201 if answers[1].status_code == 409 else 409)


def test_cancel_before_the_day_frees_the_seat_and_offer_or_end_wait_for_the_day(app: App) -> None:
    before = app.free()
    visit = app.book(OWN, NEXT).json()
    riikka = app.headers["riikka"]
    assert app.client.post(f"/trial-visits/{visit['id']}/offer", headers=riikka).status_code == 409
    assert app.client.post(f"/trial-visits/{visit['id']}/end", headers=riikka).status_code == 409
    assert app.client.delete(f"/trial-visits/{visit['id']}", headers=app.headers["olli"]).status_code == 403
    cancelled = app.client.delete(f"/trial-visits/{visit['id']}", headers=riikka)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert app.free() == before
    assert app.client.delete(f"/trial-visits/{visit['id']}", headers=riikka).status_code == 409
    assert app.client.delete("/trial-visits/999999", headers=riikka).status_code == 404


def test_after_the_visit_an_offer_follows_through_the_offers_service(app: App) -> None:
    visit = app.book(OWN, TODAY.isoformat()).json()
    riikka = app.headers["riikka"]
    offered = app.client.post(f"/trial-visits/{visit['id']}/offer", headers=riikka)
    assert offered.status_code == 200, offered.text
    body = offered.json()
    assert body["visit"]["status"] == "offered" and body["visit"]["offer_id"] == body["offer"]["id"]
    assert body["offer"]["status"] == "pending" and body["offer"]["starts_on"] == NEXT
    assert body["offer"]["run_id"] is None and body["offer"]["reply_by"] == "2027-02-08"
    assert app.client.post(f"/trial-visits/{visit['id']}/offer", headers=riikka).status_code == 409
    assert app.client.post(f"/trial-visits/{visit['id']}/end", headers=riikka).status_code == 409
    accepted = app.client.post(f"/offers/{body['offer']['id']}/accept", headers=riikka)
    assert accepted.status_code == 200, accepted.text


def test_an_offer_obeys_every_seat_rule_and_the_visit_stays_booked_when_refused(app: App) -> None:
    with session_scope(make_engine(app.url)) as session:
        client = session.get(ClientRow, OWN)
        assert client is not None
        client.decisions = [{"start": "2026-01-01", "end": "2026-06-30"}]  # ended long ago
    visit = app.book(OWN, TODAY.isoformat())
    assert visit.status_code == 201, visit.text  # a visit needs no decision
    refused = app.client.post(f"/trial-visits/{visit.json()['id']}/offer", headers=app.headers["riikka"])
    assert refused.status_code == 409 and "decision" in [r["code"] for r in refused.json()["reasons"]]
    with session_scope(make_engine(app.url)) as session:
        assert session.get(TrialVisit, visit.json()["id"]).status == "booked"  # type: ignore[union-attr]
        assert session.scalar(select(func.count()).select_from(OfferRow).where(OfferRow.client_id == OWN)) == 0
    ended = app.client.post(f"/trial-visits/{visit.json()['id']}/end", headers=app.headers["riikka"])
    assert ended.status_code == 200 and ended.json()["status"] == "ended"


def test_the_leader_sees_and_marks_the_trial_visitor(app: App) -> None:
    assert app.book(OWN, TODAY.isoformat()).status_code == 201
    assert app.book("koe-2", TODAY.isoformat(), who="coordinator").status_code == 201
    path = f"/groups/g-mon/sessions/{TODAY.isoformat()}/attendance"
    people = app.client.get(path, headers=app.headers["aino"]).json()["participants"]
    visitors = [p for p in people if p["trial"]]
    assert [p["name"] for p in visitors] == ["Kaisa", "trial visitor 2"] and len(people) == 5
    assert all(p["client_id"] is None for p in people)
    marks = [{"seat": p["seat"], "status": "present"} for p in people]
    marked = app.client.put(path, json=marks, headers=app.headers["aino"])
    assert marked.status_code == 200, marked.text
    assert {p["status"] for p in marked.json()["participants"]} == {"present"}
    counted = app.client.get("/clients/koe-2/attendance", headers=app.headers["coordinator"]).json()
    assert [(s["group_id"], s["status"]) for s in counted["sessions"]] == [("g-mon", "present")]


def test_the_caseload_shows_the_visit_and_asks_for_attention_after_the_day(app: App) -> None:
    visit = app.book(OWN, NEXT).json()
    mine = app.client.get("/me/clients", headers=app.headers["riikka"]).json()["clients"]
    own = next(c for c in mine if c["id"] == OWN)
    assert own["trial_visits"] == [{"id": visit["id"], "group_id": "g-mon", "day": NEXT}]
    assert "trial_visited" not in own["attention"]
    with session_scope(make_engine(app.url)) as session:
        session.add(TrialVisit(client_id=OWN, group_id="g-fri", day=date(2027, 1, 29), booked_by="test"))
    mine = app.client.get("/me/clients", headers=app.headers["riikka"]).json()["clients"]
    own = next(c for c in mine if c["id"] == OWN)
    assert own["attention"] == ["trial_visited"] and len(own["trial_visits"]) == 2


def test_erasing_the_client_removes_their_visits(app: App) -> None:
    assert app.book(OWN, NEXT).status_code == 201
    erased = app.client.delete(f"/clients/{OWN}", params={"erase": "true"}, headers=app.headers["coordinator"])
    assert erased.status_code in (200, 204), erased.text
    with session_scope(make_engine(app.url)) as session:
        assert session.scalar(select(func.count()).select_from(TrialVisit)) == 0
        details = [e.detail for e in session.scalars(select(AuditEntry).where(AuditEntry.entity == "trial_visit"))]
        assert details and all(OWN not in str(d) for d in details)


def test_a_popup_takes_no_trial_visit(app: App) -> None:
    with session_scope(make_engine(app.url)) as session:
        from scheduler.storage.models import GroupModelRow

        model = session.get(GroupModelRow, "nature")
        assert model is not None
        model.admission = "open"
    refused = app.book(OWN, NEXT)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "group_id"
