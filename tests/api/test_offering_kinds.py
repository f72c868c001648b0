"""The offering JSON reads group kinds (docs/group-kinds.md): own terms, pop-ups, closed admission, hybrid groups
and waiting list counts, over SQLite and PostgreSQL, on dates before, on and after a closed group's closing day."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from scheduler.storage.database import make_engine
from scheduler.storage.models import EnrollmentRow, GroupRow, WaitlistEntry
from tests.kinds_app import kinds_client, kinds_database
from tests.kinds_data import (
    EASTER_MONDAY,
    POPUP_REACH,
    PROCESS_CLOSES_ON,
    PROCESS_SESSIONS,
    SEASON_END,
    WAITING,
    waiting_clients,
)

NEW_YEAR = date(2027, 1, 1)


@pytest.fixture(params=["sqlite", "postgresql"])
def kinds(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """A database of each kind with the kinds offering, and a coordinator's token."""
    return kinds_database(request.param, tmp_path)


def offering(url: str, on: date, token: str | None = None, **params: Any) -> dict[str, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with kinds_client(url, on) as client:
        answer = client.get("/offering", params={"limit": 500, **params}, headers=headers)
    assert answer.status_code == 200, answer.text
    return {g["id"]: g for g in answer.json()["items"]}


def test_each_group_runs_its_own_term(kinds: tuple[str, str]) -> None:
    url, _ = kinds
    groups = offering(url, NEW_YEAR)
    process, rolling = groups["g-process"], groups["g-roll"]
    assert process["starts_on"] == "2027-02-03" and process["term_start"] == "2027-02-01"
    assert process["term_end"] == "2027-02-28"  # four weeks from 3 February, the closure inside them
    assert process["sessions"] == process["sessions_left"] == len(PROCESS_SESSIONS)
    assert process["next_sessions"] == [d.isoformat() for d in PROCESS_SESSIONS]
    assert rolling["starts_on"] == "2027-01-04" and rolling["term_end"] == SEASON_END.isoformat()
    assert rolling["sessions"] == 15 and EASTER_MONDAY.isoformat() not in rolling["next_sessions"]
    later = offering(url, date(2027, 2, 18))["g-process"]
    assert later["sessions_left"] == 1 and later["next_sessions"] == ["2027-02-24"]
    assert offering(url, date(2027, 3, 1))["g-process"]["sessions_left"] == 0


def test_a_pop_up_is_just_come_with_the_rooms_limit_and_no_free_seats(kinds: tuple[str, str]) -> None:
    url, token = kinds
    popup = offering(url, NEW_YEAR)["g-popup"]
    assert popup["kind"] == "popup" and popup["admission"] == "open" and popup["just_come"] is True
    assert popup["free_seats"] == 0 and popup["waiting"] == 0
    assert popup["capacity"] == 8  # one leader in a room of 12: 11 would fit, the model takes 8 (not four)
    assert popup["reach"] is None  # the public does not see the planner's figure
    with kinds_client(url, NEW_YEAR) as client:
        one = client.get("/offering/g-popup", headers={"Authorization": f"Bearer {token}"}).json()
        public = client.get("/offering/g-popup").json()
    assert one["reach"] == POPUP_REACH and public["reach"] is None
    assert offering(url, NEW_YEAR, token)["g-popup"]["reach"] == POPUP_REACH
    assert offering(url, NEW_YEAR, token)["g-roll"]["reach"] is None  # reach is a pop-up's only
    assert "g-popup" in offering(url, NEW_YEAR, free_only="true")  # anyone may just come


def test_a_closed_group_takes_joiners_to_its_closing_day_and_not_after(kinds: tuple[str, str]) -> None:
    url, _ = kinds
    before = offering(url, NEW_YEAR)["g-process"]
    assert before["admission"] == "closed" and before["closes_after"] == 3
    assert before["closes_on"] == PROCESS_CLOSES_ON.isoformat()  # the third week (10 Feb, closed, counts)
    assert before["admission_open"] is True and before["free_seats"] == 7
    on_the_day = offering(url, PROCESS_CLOSES_ON)["g-process"]
    assert on_the_day["admission_open"] is True and on_the_day["free_seats"] == 7
    after = offering(url, date(2027, 2, 18))
    assert after["g-process"]["admission_open"] is False and after["g-process"]["free_seats"] == 0
    assert after["g-process"]["capacity"] == 10 and after["g-process"]["taken"] == 3  # seats there, not bookable
    assert after["g-popup"]["taken"] == 0
    assert "g-process" not in offering(url, date(2027, 2, 18), free_only="true")
    rolling = after["g-roll"]
    assert rolling["admission"] == "rolling" and rolling["admission_open"] and rolling["closes_on"] is None


def test_a_hybrid_group_has_its_room_and_remote_joining(kinds: tuple[str, str]) -> None:
    url, _ = kinds
    hybrid = offering(url, NEW_YEAR)["g-hybrid"]
    assert hybrid["modality"] == "hybrid" and hybrid["remote_joining"] is True
    assert hybrid["place"]["hub_id"] == "nummela"
    assert hybrid["capacity"] == 10 and hybrid["free_seats"] == 7  # the room limits only those present
    assert hybrid["free_in_room"] == 1  # a room of 5: two leaders and two present
    assert offering(url, NEW_YEAR)["g-roll"]["free_in_room"] is None
    assert set(offering(url, NEW_YEAR, modality="hybrid")) == {"g-hybrid"}
    assert "g-hybrid" in offering(url, NEW_YEAR, modality="remote")  # one may join it from home
    assert "g-hybrid" not in offering(url, NEW_YEAR, modality="in_person")


def test_waiting_lists_are_counted_never_named(kinds: tuple[str, str]) -> None:
    url, _ = kinds
    with kinds_client(url, NEW_YEAR) as client:
        answer = client.get("/offering", params={"limit": 500})
    groups = {g["id"]: g for g in answer.json()["items"]}
    assert {g: groups[g]["waiting"] for g in WAITING} == WAITING  # the offered entry is not waiting
    assert groups["g-full"]["free_seats"] == 0 and groups["g-process"]["waiting"] == 0
    for clients in waiting_clients().values():
        assert not any(c in answer.text for c in clients)
    assert "asiakas-" not in answer.text
    with Session(make_engine(url)) as session:
        session.add(WaitlistEntry(group_id="g-full", client_id="asiakas-20"))
        session.commit()
    assert offering(url, NEW_YEAR)["g-full"]["waiting"] == WAITING["g-full"] + 1


def test_a_cancelled_session_is_not_left_and_the_closing_day_stays(kinds: tuple[str, str]) -> None:
    url, token = kinds
    with kinds_client(url, NEW_YEAR) as client:
        done = client.post(
            "/groups/g-process/sessions/2027-02-17/cancel",
            json={"reason": "ohjaaja sairastui"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert done.status_code == 200, done.text
    process = offering(url, NEW_YEAR)["g-process"]
    assert process["sessions_left"] == 2 and process["next_sessions"] == ["2027-02-03", "2027-02-24"]
    assert process["closes_on"] == PROCESS_CLOSES_ON.isoformat()  # weeks count, held or not


def test_no_group_takes_joiners_after_its_last_session(kinds: tuple[str, str]) -> None:
    url, _ = kinds
    groups = offering(url, date(2027, 3, 1))
    assert groups["g-process"]["admission_open"] is False and groups["g-process"]["sessions_left"] == 0
    assert groups["g-roll"]["admission_open"] is True


def test_a_bad_modality_is_a_422_naming_it(kinds: tuple[str, str]) -> None:
    url, _ = kinds
    with kinds_client(url, NEW_YEAR) as client:
        answer = client.get("/offering", params={"modality": "hybridi"})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "modality"


def test_the_feeds_etag_moves_with_the_waiting_list_and_the_date(kinds: tuple[str, str]) -> None:
    url, _ = kinds
    with kinds_client(url, NEW_YEAR) as client:
        first = client.get("/calendars/groups/g-full.ics").headers["etag"]
        with Session(make_engine(url)) as session:
            session.add(WaitlistEntry(group_id="g-full", client_id="asiakas-20"))
            session.commit()
        again = client.get("/calendars/groups/g-full.ics", headers={"If-None-Match": first})
        assert again.status_code == 200 and again.headers["etag"] != first
        assert "Jono: 4" in again.text.replace("\r\n ", "")
    with kinds_client(url, date(2027, 1, 2)) as client:
        assert client.get("/calendars/groups/g-full.ics").headers["etag"] != again.headers["etag"]


def test_a_remote_seat_leaves_the_room_free(kinds: tuple[str, str]) -> None:
    url, _ = kinds
    with Session(make_engine(url)) as session:
        session.add(EnrollmentRow(client_id="asiakas-20", group_id="g-hybrid", from_date=NEW_YEAR, remote=True))
        session.commit()
        assert session.get(GroupRow, "g-hybrid") is not None
    hybrid = offering(url, NEW_YEAR)["g-hybrid"]
    assert hybrid["free_seats"] == 6 and hybrid["free_in_room"] == 1
