"""Attendance over HTTP: who may mark and read a session (its leaders, a substitute on that day, a
coordinator), what each sees (a leader: seats and aliases; a coordinator: client ids), the counsellor's
view of their own clients, and how a seat ends (reason and next step) through the API.

The data is the feed offering (`tests.feeds_data`): g-mon meets on Mondays, led by aino and mikko, with
asiakas-01..03 from 4 January 2027; g-fri is mikko's and sanna's. Today is Monday 1 February 2027.
asiakas-01 is counsellor riikka's client (alias Maija); the others are in the shared queue.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from scheduler.services.clock import FixedClock
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import ClientRow, CounsellorRow, EnrollmentRow, NoticeRow
from scheduler.storage.tokens import create_token
from tests.api.sign_in import sign_in
from tests.conftest import migrated
from tests.feeds_data import load_feed_data

TODAY = date(2027, 2, 1)
FIRST, SECOND, THIRD, NEXT = "2027-01-04", "2027-01-11", "2027-01-18", "2027-02-08"
SESSION = "/groups/g-mon/sessions/{day}/attendance"
OWN = "asiakas-01"


@dataclass
class App:
    client: TestClient
    url: str
    headers: dict[str, dict[str, str]]

    def get(self, path: str, who: str) -> httpx.Response:
        return self.client.get(path, headers=self.headers[who])

    def put(self, day: str, who: str, body: object) -> httpx.Response:
        return self.client.put(SESSION.format(day=day), json=body, headers=self.headers[who])


def _app(kind: str, tmp_path: Path) -> Iterator[App]:
    url = migrated(kind, tmp_path)
    engine = make_engine(url)
    load_feed_data(engine)
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    with session_scope(engine) as session:
        session.add_all([CounsellorRow(id="riikka", name="Riikka"), CounsellorRow(id="olli", name="Olli")])
        session.flush()
        own = session.get(ClientRow, OWN)
        assert own is not None
        own.counsellor_id, own.alias = "riikka", "Maija"
        for who, role, staff, counsellor in (
            ("coordinator", "coordinator", None, None),
            ("aino", "staff", "aino", None),
            ("sanna", "staff", "sanna", None),
            ("riikka", "counsellor", None, "riikka"),
            ("olli", "counsellor", None, "olli"),
        ):
            _, token = create_token(session, role, who, staff_id=staff, counsellor_id=counsellor)
            headers[who] = {"Authorization": f"Bearer {token}"}
    app = create_app(Settings(database_url=url), clock=FixedClock.on(TODAY))
    with TestClient(app, base_url="http://tarjotin.test") as client:
        yield App(client, url, headers)
    app.state.engine.dispose()
    engine.dispose()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    yield from _app("sqlite", tmp_path)


@pytest.fixture
def pg_app(tmp_path: Path) -> Iterator[App]:
    yield from _app("postgresql", tmp_path)


def _seats(app: App) -> dict[str, int]:
    """Each participant's seat number, as the leader sees it (alias or 'participant N')."""
    answer = app.get(SESSION.format(day=FIRST), "aino")
    return {p["name"]: p["seat"] for p in answer.json()["participants"]}


def _leader_marks_and_reads_back_by_alias(app: App) -> None:
    seats = _seats(app)
    assert list(seats) == ["Maija", "participant 2", "participant 3"]
    answer = app.put(FIRST, "aino", [{"seat": seats["Maija"], "status": "present"}])
    assert answer.status_code == 200, answer.text
    shown = answer.json()
    assert [(p["name"], p["status"], p["client_id"]) for p in shown["participants"]] == [
        ("Maija", "present", None),
        ("participant 2", None, None),
        ("participant 3", None, None),
    ]
    assert OWN not in answer.text
    coordinator = app.get(SESSION.format(day=FIRST), "coordinator").json()
    assert [(p["client_id"], p["name"], p["status"]) for p in coordinator["participants"]][0] == (OWN, None, "present")


def test_a_leader_marks_by_seat_and_reads_back_aliases_never_ids(app: App) -> None:
    _leader_marks_and_reads_back_by_alias(app)


def test_a_leader_marks_by_seat_and_reads_back_aliases_never_ids_on_postgresql(pg_app: App) -> None:
    _leader_marks_and_reads_back_by_alias(pg_app)


def test_only_the_sessions_leaders_and_coordinators_may_mark(app: App) -> None:
    body = [{"client_id": OWN, "status": "present"}]
    assert app.put(FIRST, "anonymous", body).status_code == 401
    for who in ("sanna", "riikka"):
        refused = app.put(FIRST, who, body)
        assert refused.status_code == 403, who
        assert refused.headers["content-type"] == "application/problem+json"
        assert app.get(SESSION.format(day=FIRST), who).status_code == 403
    assert app.put(FIRST, "coordinator", body).status_code == 200


def test_a_substitute_leader_may_mark_on_their_day_only(app: App) -> None:
    changed = app.client.patch(
        "/groups/g-mon/sessions/2027-01-11", json={"leaders": ["sanna", "mikko"]}, headers=app.headers["coordinator"]
    )
    assert changed.status_code == 200, changed.text
    body = [{"client_id": OWN, "status": "excused"}]
    assert app.put(SECOND, "sanna", body).status_code == 200
    assert app.put(THIRD, "sanna", body).status_code == 403


def test_faults_are_named_a_line_a_future_day_and_a_day_without_a_session(app: App) -> None:
    seats = _seats(app)
    wrong = app.put(FIRST, "aino", [{"seat": seats["Maija"], "status": "present"}, {"seat": 99999, "status": "late"}])
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["errors"]] == ["body[1].status"]
    stranger = app.put(FIRST, "aino", [{"seat": 99999, "status": "absent"}])
    assert [e["field"] for e in stranger.json()["errors"]] == ["body[0].seat"]
    assert "has no seat in group 'g-mon' on 2027-01-04" in stranger.json()["detail"]
    twice = app.put(FIRST, "coordinator", [{"client_id": OWN, "status": "present"}] * 2)
    assert [e["field"] for e in twice.json()["errors"]] == ["body[1].client_id"]
    for day, words in ((NEXT, "mark its attendance on that day or later"), ("2027-01-05", "has no session on")):
        refused = app.put(day, "aino", [{"seat": seats["Maija"], "status": "present"}])
        assert refused.status_code == 422, day
        fault = refused.json()["errors"][0]
        assert (fault["field"], fault["loc"][0]) == ("day", "path") and words in fault["message"]
    unmarked = app.get(SESSION.format(day=NEXT), "aino").json()
    assert [p["status"] for p in unmarked["participants"]] == [None, None, None]  # a coming session reads


def test_absences_in_a_row_reach_the_counsellor_and_only_they_read_the_clients_attendance(app: App) -> None:
    for day in (FIRST, SECOND):
        assert app.put(day, "aino", [{"seat": _seats(app)["Maija"], "status": "absent"}]).status_code == 200
    with session_scope(make_engine(app.url)) as session:
        notices = [(n.kind, n.counsellor_id, n.args) for n in session.scalars(select(NoticeRow))]
    assert notices == [("absences", "riikka", {"count": 2})]
    mine = app.get(f"/clients/{OWN}/attendance", "riikka")
    assert mine.status_code == 200
    assert mine.json()["absences_in_a_row"] == 2
    assert [s["day"] for s in mine.json()["sessions"]] == [FIRST, SECOND]
    assert app.get(f"/clients/{OWN}/attendance", "olli").status_code == 403
    assert app.get(f"/clients/{OWN}/attendance", "aino").status_code == 403
    assert app.get("/clients/nobody/attendance", "coordinator").status_code == 404
    caseload = app.get("/me/clients", "riikka").json()
    client = next(c for c in caseload["clients"] if c["id"] == OWN)
    assert "absences" in client["attention"] and client["absences"] == {"g-mon": 2}


def test_a_seat_ends_with_a_reason_and_next_step_through_the_api(app: App) -> None:
    with session_scope(make_engine(app.url)) as session:
        seat = session.scalars(select(EnrollmentRow).where(EnrollmentRow.client_id == "asiakas-02")).one().id
    path, coordinator = f"/enrollments/{seat}", app.headers["coordinator"]
    bad = app.client.patch(path, json={"status": "interrupted", "end_reason": "bored"}, headers=coordinator)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "end_reason"
    odd = app.client.patch(path, json={"status": "completed", "end_reason": "health"}, headers=coordinator)
    assert odd.status_code == 422 and odd.json()["errors"][0]["field"] == "end_reason"
    ended = app.client.patch(
        path,
        json={"status": "interrupted", "to_date": "2027-01-25", "end_reason": "work", "next_step": "work_trial"},
        headers=coordinator,
    )
    assert ended.status_code == 200, ended.text
    listed = app.client.get("/enrollments?client_id=asiakas-02", headers=coordinator).json()["items"]
    assert [(s["status"], s["end_reason"], s["next_step"]) for s in listed] == [("interrupted", "work", "work_trial")]

    refused = app.client.delete(
        f"/groups/g-mon/enrollments/{OWN}?end_reason=moved&next_step=none", headers=app.headers["riikka"]
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "end_reason"
    assert (
        app.client.delete(f"/groups/g-mon/enrollments/{OWN}?end_reason=health", headers=app.headers["olli"]).status_code
        == 403
    )
    given_up = app.client.delete(
        f"/groups/g-mon/enrollments/{OWN}?end_reason=health&next_step=health_services&leave_service=true",
        headers=app.headers["riikka"],
    )
    assert given_up.status_code == 200, given_up.text
    own = app.client.get(f"/enrollments?client_id={OWN}", headers=app.headers["riikka"]).json()["items"]
    assert [(s["status"], s["end_reason"], s["next_step"]) for s in own] == [
        ("interrupted", "health", "health_services")
    ]
    client = app.client.get(f"/clients/{OWN}", headers=app.headers["riikka"]).json()
    assert client["in_service"] is False


def _signed_in(app: App, who: str) -> TestClient:
    app.client.cookies.clear()
    sign_in(app.client, app.headers[who]["Authorization"].removeprefix("Bearer "))
    app.client.headers["Accept"] = "text/html"
    return app.client


def test_the_leaders_pages_are_for_staff_and_their_own_sessions(app: App) -> None:
    counsellor = _signed_in(app, "riikka")
    assert counsellor.get("/my/sessions").status_code == 403
    leader = _signed_in(app, "sanna")
    listed = leader.get("/my/sessions?lang=en")
    assert listed.status_code == 200 and 'id="group-g-fri"' in listed.text and 'id="group-g-mon"' not in listed.text
    assert 'href="/group/g-fri/feedback"' in listed.text  # the group's feedback form, from the leader's list
    assert leader.get("/group/g-fri/feedback?lang=en").status_code == 200
    assert leader.get(f"/my/sessions/g-mon/{FIRST}").status_code == 403
    assert leader.get("/my/sessions/g-fri/2027-01-09").status_code == 404  # a Saturday
    aino = _signed_in(app, "aino")
    page = aino.get(f"/my/sessions/g-mon/{FIRST}?lang=en")
    assert "Maija" in page.text and OWN not in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    forged = aino.post(
        f"/my/sessions/g-mon/{FIRST}", data={"csrf": csrf.group(1), "seat-99999": "present"}, follow_redirects=False
    )
    assert forged.status_code == 422 and "no seat in this session any more" in forged.text


def test_a_counsellor_ends_their_clients_seat_from_their_page_with_a_reason(app: App) -> None:
    riikka = _signed_in(app, "riikka")
    page = riikka.get("/my/clients?lang=en")
    assert "End the seat in g-mon" in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    path = f"/my/clients/{OWN}/seats/g-mon/end"
    missing = riikka.post(path, data={"csrf": csrf.group(1), "end_reason": ""}, follow_redirects=False)
    assert missing.status_code == 422 and "Choose why the seat ends." in missing.text
    ended = riikka.post(
        path,
        data={"csrf": csrf.group(1), "end_reason": "education", "next_step": "education"},
        follow_redirects=False,
    )
    assert ended.status_code == 303, ended.text
    shown = riikka.get(ended.headers["location"].split("#")[0] + "&lang=en")
    assert (
        "The seat has ended." in shown.text
        and "Education" in shown.text
        and "next: Education or training" in shown.text
    )
    olli = _signed_in(app, "olli")
    form = olli.get("/my/clients")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    theirs = olli.post(
        f"/my/clients/{OWN}/seats/g-mon/end",
        data={"csrf": token.group(1), "end_reason": "health"},
        follow_redirects=False,
    )
    assert theirs.status_code == 403


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_leaders_marking_one_session_at_once_take_turns(kind: str, tmp_path: Path) -> None:
    """Eight markings of one session at once (two leaders, each status): every one is answered 200 and the
    session ends with one mark per participant, the last marking's, never a database error."""
    from tests.api.live import at_once

    for app in _app(kind, tmp_path):
        seats = _seats(app)
        statuses = ["present", "excused", "absent", "present", "absent", "excused", "present", "absent"]

        def marking(body: list[dict[str, object]], headers: dict[str, str]) -> Callable[[httpx.Client], httpx.Response]:
            return lambda http: http.put(SESSION.format(day=FIRST), json=body, headers=headers)

        requests = [
            marking(
                [{"seat": seat, "status": status} for seat in seats.values()],
                app.headers[("aino", "coordinator")[n % 2]],
            )
            for n, status in enumerate(statuses)
        ]
        answers = at_once(app.url, requests, clock=FixedClock.on(TODAY))
        assert [a.status_code for a in answers] == [200] * len(statuses), [a.text for a in answers]
        final = app.get(SESSION.format(day=FIRST), "coordinator").json()["participants"]
        assert len(final) == len(seats) and len({p["status"] for p in final}) == 1  # one marking's, whole
        assert final[0]["status"] in statuses
