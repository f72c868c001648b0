"""Group kinds on the write side: who a group takes (admission), hybrid seats, the new resource fields,
the pop-up slots setting and pop-up head counts, over HTTP on SQLite and PostgreSQL.

The data is `tests.group_kinds_data` (read its docstring); today is Wednesday 20 January 2027.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from scheduler.contract import Plan, PlanMetrics, Problem
from scheduler.services.clock import FixedClock
from scheduler.services.planning.workflow import plan_run, publish_run, resolve_run
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import (
    AuditEntry,
    ClientRow,
    EnrollmentRow,
    HeadCount,
    OfferRow,
    PlanningSettings,
    TrialVisit,
)
from scheduler.storage.tokens import create_token
from tests.api.sign_in import sign_in
from tests.conftest import migrated
from tests.group_kinds_data import TODAY, load_kinds_data

POPUP_DAY, POPUP_NEXT = "2027-01-20", "2027-01-27"
HEAD_COUNT = "/groups/g-pop/sessions/{day}/head-count"


@dataclass
class App:
    client: TestClient
    url: str
    headers: dict[str, dict[str, str]]

    def get(self, path: str, who: str = "coordinator") -> httpx.Response:
        return self.client.get(path, headers=self.headers[who])

    def post(self, path: str, body: object, who: str = "counsellor") -> httpx.Response:
        return self.client.post(path, json=body, headers=self.headers[who])

    def put(self, path: str, body: object, who: str = "coordinator") -> httpx.Response:
        return self.client.put(path, json=body, headers=self.headers[who])

    def reserve(self, group: str, client: str) -> httpx.Response:
        return self.post(f"/groups/{group}/enrollments", {"client_id": client})


def _app(kind: str, tmp_path: Path) -> Iterator[App]:
    url = migrated(kind, tmp_path)
    engine = make_engine(url)
    load_kinds_data(engine)
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    with session_scope(engine) as session:
        session.get(PlanningSettings, 1).offers_accept_at_once = False  # type: ignore[union-attr]
        for who, role, staff in (
            ("coordinator", "coordinator", None),
            ("counsellor", "counsellor", None),
            ("aino", "staff", "aino"),
            ("sanna", "staff", "sanna"),
        ):
            _, token = create_token(session, role, who, staff_id=staff)
            headers[who] = {"Authorization": f"Bearer {token}"}
    app = create_app(Settings(database_url=url), clock=FixedClock.on(TODAY))
    with TestClient(app, base_url="http://tarjotin.test") as client:
        yield App(client, url, headers)
    app.state.engine.dispose()
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[App]:
    yield from _app(request.param, tmp_path)


def _seats(app: App, client: str) -> list[EnrollmentRow]:
    engine = make_engine(app.url)
    with session_scope(engine) as session:
        rows = list(session.scalars(select(EnrollmentRow).where(EnrollmentRow.client_id == client)))
        session.expunge_all()
    engine.dispose()
    return rows


# --- admission -------------------------------------------------------------------------------------------


def test_a_closed_group_past_its_closing_session_refuses_a_new_joiner_with_reason_closed(app: App) -> None:
    answer = app.reserve("g-proc", "near")
    assert answer.status_code == 409, answer.text
    reasons = answer.json()["reasons"]
    assert [r["code"] for r in reasons] == ["closed"]
    assert reasons[0]["args"] == {"case": "after", "count": 2, "date": "2027-01-11"}
    assert _seats(app, "near") == []


def test_a_process_group_with_its_own_term_seats_from_its_first_session(app: App) -> None:
    answer = app.reserve("g-late", "near")
    assert answer.status_code == 201, answer.text
    assert answer.json()["from_date"] == "2027-02-01" and answer.json()["remote"] is False
    assert [(s.group_id, s.from_date) for s in _seats(app, "near")] == [("g-late", date(2027, 2, 1))]


def test_a_group_past_its_last_session_takes_no_one(app: App) -> None:
    answer = app.reserve("g-short", "near")
    assert answer.status_code == 409, answer.text
    assert answer.json()["reasons"][0]["args"] == {"case": "ended", "date": "2027-01-12"}


def test_a_pop_up_takes_no_reservation_and_no_waiting_list_place(app: App) -> None:
    for path in ("/groups/g-pop/enrollments", "/groups/g-pop/waitlist"):
        answer = app.post(path, {"client_id": "near"})
        assert answer.status_code == 409, answer.text
        assert "just come" in answer.json()["detail"]
    seat = app.post(
        "/enrollments", {"client_id": "near", "group_id": "g-pop", "from_date": "2027-01-20"}, "coordinator"
    )
    assert seat.status_code == 409 and "just come" in seat.json()["detail"]


def test_recommendations_leave_out_pop_ups_and_say_closed(app: App) -> None:
    found = app.post("/offering/recommend", {"client_id": "near", "limit": 50}).json()
    listed = [o["group"]["id"] for o in found["options"]]
    assert "g-late" in listed and "g-pop" not in listed and "g-proc" not in listed and "g-short" not in listed
    anonymous = app.post(
        "/offering/recommend",
        {"profile": {"languages": ["fi"], "home": {"lat": 60.2486, "lon": 24.0652}, "interests": ["nature"]}},
        "anonymous",
    ).json()
    assert "g-pop" not in [o["group"]["id"] for o in anonymous["options"]]


def test_only_closed_groups_fitting_is_said_as_closed(app: App) -> None:
    # the late group is taken by a seat at its time; g-short has ended; the hybrid and pop-up groups aside
    engine = make_engine(app.url)
    with session_scope(engine) as session:
        client = session.get(ClientRow, "near")
        assert client is not None
        client.available = [{"day": "mon", "start": "08:00", "end": "12:00"}]
    engine.dispose()
    found = app.post("/offering/recommend", {"client_id": "near"}).json()
    assert found["options"] == []
    assert found["reasons"][0]["code"] == "closed" and "g-proc" in found["reasons"][0]["detail"]


def test_accepting_a_pending_offer_of_a_closed_group_seats_the_client(app: App) -> None:
    """The offer was made when the planner could seat the client: accepting it is not judged by `closed`."""
    engine = make_engine(app.url)
    with session_scope(engine) as session:
        offer = OfferRow(
            client_id="near",
            group_id="g-proc",
            status="pending",
            made_on=date(2027, 1, 8),
            starts_on=date(2027, 1, 11),
            reply_by=date(2027, 1, 25),
        )
        session.add(offer)
        session.flush()
        offer_id = offer.id
    engine.dispose()
    answer = app.post(f"/offers/{offer_id}/accept", {})
    assert answer.status_code == 200, answer.text
    assert [(s.group_id, s.status) for s in _seats(app, "near")] == [("g-proc", "active")]


# --- hybrid seats ----------------------------------------------------------------------------------------


def test_a_hybrid_seat_is_remote_for_a_client_too_far_who_can_join_from_home(app: App) -> None:
    answer = app.reserve("g-hyb", "far-remote")
    assert answer.status_code == 201, answer.text
    assert answer.json()["remote"] is True
    assert [(s.group_id, s.remote) for s in _seats(app, "far-remote")] == [("g-hyb", True)]
    found = app.get("/enrollments?client_id=far-remote")
    assert found.status_code == 200 and found.json()["items"][0]["remote"] is True


def test_a_hybrid_group_too_far_for_a_client_who_cannot_join_remotely_is_refused_by_travel(app: App) -> None:
    answer = app.reserve("g-hyb", "far")
    assert answer.status_code == 409, answer.text
    assert [r["code"] for r in answer.json()["reasons"]] == ["travel"]


def test_a_full_room_takes_only_remote_seats_up_to_the_size_limit(app: App) -> None:
    full = app.reserve("g-hyb", "near")  # three present fill the room (five places, two leaders)
    assert full.status_code == 409 and "room" in full.json()["detail"], full.text
    assert full.json()["waiting_list"] == "/groups/g-hyb/waitlist"
    remote = app.reserve("g-hyb", "near-remote")
    assert remote.status_code == 201 and remote.json()["remote"] is True, remote.text
    assert remote.json()["free_seats"] >= 0


def test_a_published_plan_offers_remote_seats_and_the_accepted_seat_keeps_remote(app: App) -> None:
    engine = make_engine(app.url)

    def planned(problem: Problem) -> Plan:
        groups = []
        for g in problem.groups:
            if g.id == "g-hyb":
                g = g.model_copy(
                    update={"participants": [*g.participants, "far-remote"], "remote_participants": ["far-remote"]}
                )
            groups.append(g)
        metrics = PlanMetrics(placed=13, unassigned=0, groups_new=0, groups_total=len(groups))
        return Plan(status="feasible", groups=groups, metrics=metrics)

    with session_scope(engine) as session:
        plan_run(session, planned, actor="test", allow_moves=True)
    with session_scope(engine) as session:
        publish_run(session, resolve_run(session, "latest"), actor="test", today=TODAY)
    with session_scope(engine) as session:
        offer = session.scalars(select(OfferRow).where(OfferRow.client_id == "far-remote")).one()
        assert offer.remote is True and offer.group_id == "g-hyb"
        offer_id = offer.id
    engine.dispose()
    shown = app.get(f"/offers/{offer_id}", "counsellor")
    assert shown.json()["remote"] is True
    accepted = app.post(f"/offers/{offer_id}/accept", {})
    assert accepted.status_code == 200, accepted.text
    assert [(s.group_id, s.remote) for s in _seats(app, "far-remote")] == [("g-hyb", True)]


# --- resources and settings ------------------------------------------------------------------------------


def _model(ident: str, **more: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "name": {"fi": ident, "sv": ident},
        "kind": "process",
        "theme": "nature",
        "audience": "all",
        "modality": "in_person",
        "duration_minutes": 180,
        "min_size": 3,
        "max_size": 8,
        "languages": ["fi"],
        **more,
    }


def test_group_models_take_admission_closing_and_sessions(app: App) -> None:
    made = app.post("/group-models", _model("m-proc", closes_after=3, sessions=10), "coordinator")
    assert made.status_code == 201, made.text
    assert (made.json()["admission"], made.json()["closes_after"], made.json()["sessions"]) == ("closed", 3, 10)
    popup = app.post("/group-models", _model("m-pop", kind="popup"), "coordinator")
    assert popup.json()["admission"] == "open"
    hybrid = app.post("/group-models", _model("m-hyb", kind="theme", modality="hybrid"), "coordinator")
    assert (hybrid.json()["admission"], hybrid.json()["modality"]) == ("rolling", "hybrid")
    bad = app.post("/group-models", _model("m-bad", admission="sometimes", closes_after=0), "coordinator")
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["admission", "closes_after"]
    changed = app.client.patch(
        "/group-models/m-proc", json={"admission": "rolling"}, headers=app.headers["coordinator"]
    )
    assert changed.status_code == 200 and changed.json()["admission"] == "rolling"


def test_a_peer_instructor_is_never_the_qualified_professional(app: App) -> None:
    staff = {
        "id": "vertainen",
        "qualified": True,
        "peer": True,
        "languages": ["fi"],
        "base_hub": "lohja",
        "max_weekly_minutes": 600,
    }
    refused = app.post("/staff", staff, "coordinator")
    assert refused.status_code == 422 and [e["field"] for e in refused.json()["errors"]] == ["peer"], refused.text
    made = app.post("/staff", {**staff, "qualified": False}, "coordinator")
    assert made.status_code == 201 and made.json()["peer"] is True
    patched = app.client.patch("/staff/vertainen", json={"qualified": True}, headers=app.headers["coordinator"])
    assert patched.status_code == 422 and [e["field"] for e in patched.json()["errors"]] == ["peer"], patched.text


def test_a_group_takes_its_own_term_within_the_season_on_its_day(app: App) -> None:
    group = {
        "id": "g-new",
        "template_id": "hybrid",
        "modality": "hybrid",
        "hub_id": "lohja",
        "room_id": "lohja/pieni",
        "language": "fi",
        "day": "fri",
        "start": "09:00",
        "end": "12:00",
        "leaders": ["sanna", "mikko"],
    }
    wrong_day = app.post("/groups", {**group, "start_date": "2027-02-03"}, "coordinator")
    assert wrong_day.status_code == 422 and "start_date" in wrong_day.text, wrong_day.text
    too_long = app.post("/groups", {**group, "start_date": "2027-04-02", "sessions": 10}, "coordinator")
    assert too_long.status_code == 422 and "sessions" in too_long.text, too_long.text
    made = app.post("/groups", {**group, "start_date": "2027-02-05", "sessions": 8}, "coordinator")
    assert made.status_code == 201, made.text
    assert (made.json()["start_date"], made.json()["sessions"], made.json()["modality"]) == ("2027-02-05", 8, "hybrid")
    assert app.get("/groups/g-new").json()["start_date"] == "2027-02-05"


def test_a_coordinator_sets_the_pop_up_slots_a_week(app: App) -> None:
    assert app.get("/planning/settings").json() == {"popup_slots": 0}
    changed = app.put("/planning/settings", {"popup_slots": 3})
    assert changed.status_code == 200 and changed.json() == {"popup_slots": 3}
    assert app.get("/planning/settings").json() == {"popup_slots": 3}
    assert app.put("/planning/settings", {"popup_slots": -1}).status_code == 422
    assert app.put("/planning/settings", {"popup_slots": 3}, "counsellor").status_code == 403
    exported = app.get("/planning/settings", "counsellor")
    assert exported.status_code == 403


# --- pop-up head counts ----------------------------------------------------------------------------------


def test_a_leader_records_a_pop_up_head_count_and_reads_it_back(app: App) -> None:
    before = app.get(HEAD_COUNT.format(day=POPUP_DAY), "aino")
    assert before.status_code == 200, before.text
    assert before.json()["head_count"] is None and before.json()["limit"] == 11
    saved = app.put(HEAD_COUNT.format(day=POPUP_DAY), {"head_count": 7}, "aino")
    assert saved.status_code == 200 and saved.json()["head_count"] == 7 and saved.json()["marked_by"] == "staff:aino"
    again = app.put(HEAD_COUNT.format(day=POPUP_DAY), {"head_count": 8}, "coordinator")
    assert again.json()["head_count"] == 8
    assert app.get(HEAD_COUNT.format(day=POPUP_DAY), "aino").json()["head_count"] == 8
    engine = make_engine(app.url)
    with session_scope(engine) as session:
        assert [r.head_count for r in session.scalars(select(HeadCount))] == [8]
        audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "head_count")).all()
        assert [a.detail["head_count"] for a in audited] == [7, 8]
    engine.dispose()


def test_head_counts_are_for_the_sessions_leaders_on_held_pop_up_sessions(app: App) -> None:
    assert app.put(HEAD_COUNT.format(day=POPUP_DAY), {"head_count": 3}, "sanna").status_code == 403
    assert app.put(HEAD_COUNT.format(day=POPUP_DAY), {"head_count": 3}, "counsellor").status_code == 403
    future = app.put(HEAD_COUNT.format(day=POPUP_NEXT), {"head_count": 3}, "aino")
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "day", future.text
    too_many = app.put(HEAD_COUNT.format(day=POPUP_DAY), {"head_count": 12}, "aino")
    assert too_many.status_code == 422 and "head_count" in too_many.text
    negative = app.put(HEAD_COUNT.format(day=POPUP_DAY), {"head_count": -1}, "aino")
    assert negative.status_code == 422 and "head_count" in negative.text
    rostered = app.put("/groups/g-proc/sessions/2027-01-18/head-count", {"head_count": 3}, "aino")
    assert rostered.status_code == 422 and "attendance" in rostered.json()["detail"], rostered.text


def test_attendance_on_a_pop_up_points_to_the_head_count(app: App) -> None:
    answer = app.put(
        f"/groups/g-pop/sessions/{POPUP_DAY}/attendance", [{"client_id": "near", "status": "present"}], "aino"
    )
    assert answer.status_code == 422, answer.text
    assert "head count" in answer.json()["detail"] and answer.json()["errors"][0]["field"] == "group_id"


def test_the_leaders_page_of_a_pop_up_saves_a_head_count_and_says_what_to_fix(app: App) -> None:
    app.client.cookies.clear()
    sign_in(app.client, app.headers["aino"]["Authorization"].removeprefix("Bearer "))
    page = app.client.get(f"/my/sessions/g-pop/{POPUP_DAY}?lang=en", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'name="head_count"' in page.text and "fieldset" not in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    path = f"/my/sessions/g-pop/{POPUP_DAY}"
    for given in ("12", "many", ""):
        refused = app.client.post(path, data={"csrf": csrf.group(1), "head_count": given}, follow_redirects=False)
        assert refused.status_code == 422 and "at most the room&#39;s places" in refused.text, given
    saved = app.client.post(path, data={"csrf": csrf.group(1), "head_count": "5"}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("?saved=true")
    assert app.get(HEAD_COUNT.format(day=POPUP_DAY), "aino").json()["head_count"] == 5


def test_the_find_page_offers_a_hybrid_group_from_home_and_never_a_pop_up(app: App) -> None:
    app.client.cookies.clear()
    sign_in(app.client, app.headers["counsellor"]["Authorization"].removeprefix("Bearer "))
    page = app.client.get("/find?client=far-remote&lang=en", headers={"Accept": "text/html"})
    assert page.status_code == 200, page.text
    assert "the client joins from home" in page.text and "g-hyb" in page.text
    assert "g-pop" not in page.text
    api = app.post("/offering/recommend", {"client_id": "far-remote"}).json()
    assert [(o["group"]["id"], o["from_home"]) for o in api["options"]] == [("g-hyb", True)]


def test_a_hybrid_group_with_a_full_room_is_recommended_from_home_or_as_full(app: App) -> None:
    remote = app.post("/offering/recommend", {"client_id": "near-remote", "limit": 50}).json()
    assert ("g-hyb", True) in [(o["group"]["id"], o["from_home"]) for o in remote["options"]]
    present = app.post("/offering/recommend", {"client_id": "near", "limit": 50}).json()
    assert "g-hyb" not in [o["group"]["id"] for o in present["options"]]
    assert "g-hyb" in present["waiting_lists"]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_two_reservations_for_a_hybrid_rooms_last_place_take_turns(kind: str, tmp_path: Path) -> None:
    """The room has one place left; two clients who cannot join from home reserve it at once: one gets it,
    the other is told the room is full, and the room never holds more than its places."""
    from tests.api.live import at_once

    for app in _app(kind, tmp_path):
        engine = make_engine(app.url)
        with session_scope(engine) as session:
            leaving = session.scalars(select(EnrollmentRow).where(EnrollmentRow.client_id == "hyb-1")).one()
            leaving.status, leaving.to_date = "completed", TODAY
            near = session.get(ClientRow, "near")
            assert near is not None
            session.add(
                ClientRow(
                    **{
                        column.name: getattr(near, column.name)
                        for column in ClientRow.__table__.columns
                        if column.name != "id"
                    },
                    id="near-b",
                )
            )
        engine.dispose()

        headers = app.headers["counsellor"]

        def reserving(client: str, headers: dict[str, str]) -> Callable[[httpx.Client], httpx.Response]:
            return lambda http: http.post("/groups/g-hyb/enrollments", json={"client_id": client}, headers=headers)

        requests = [reserving("near", headers), reserving("near-b", headers)]
        answers = at_once(app.url, requests, clock=FixedClock.on(TODAY))
        assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
        engine = make_engine(app.url)
        with session_scope(engine) as session:
            present = session.scalars(
                select(EnrollmentRow).where(
                    EnrollmentRow.group_id == "g-hyb", EnrollmentRow.status == "active", EnrollmentRow.remote.is_(False)
                )
            ).all()
            assert len(present) == 3
        engine.dispose()


def test_a_trial_visit_booked_on_a_coming_session_holds_a_place_in_a_hybrid_room(app: App) -> None:
    engine = make_engine(app.url)
    with session_scope(engine) as session:
        leaving = session.scalars(select(EnrollmentRow).where(EnrollmentRow.client_id == "hyb-1")).one()
        leaving.status, leaving.to_date = "completed", TODAY
        session.add(TrialVisit(client_id="far", group_id="g-hyb", day=date(2027, 1, 21), booked_by="test"))
    engine.dispose()
    full = app.reserve("g-hyb", "near")  # the freed place is the trial visitor's on Thursday
    assert full.status_code == 409 and "room" in full.json()["detail"], full.text
    remote = app.reserve("g-hyb", "near-remote")
    assert remote.status_code == 201 and remote.json()["remote"] is True, remote.text
