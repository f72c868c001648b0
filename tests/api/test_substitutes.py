"""The leader rules everywhere, with help: `PATCH /groups/{id}`, a substitute and a moved session are refused
(422 naming `leaders` and the rule's key) when the leaders would break H5 or their own time, and
`GET /groups/{id}/sessions/{day}/substitutes` lists who could take a session, best first.

The data is the feed offering (`tests.feeds_data`: g-mon Monday 9-12 by aino and mikko, g-wed
Wednesday 13-16 by aino, g-fri Friday 10-13 by mikko and sanna, g-remote Thursday by sanna, all at
Lohja) with staff added by hand, each failing one criterion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from scheduler.storage.database import session_scope
from scheduler.storage.models import EnrollmentRow, GroupModelRow, GroupRow, StaffRow
from tests.api.sign_in import sign_in
from tests.feeds_app import FeedService, feed_service
from tests.feeds_data import EVERY_DAY

MONDAY = "2027-01-18"  # g-mon's session, held
WEDNESDAY = "2027-01-13"  # g-wed's session, held
NUMMELA_WED = [{"day": "wed", "start": "08:00", "end": "18:00"}]


def _member(ident: str, **fields: Any) -> StaffRow:
    values: dict[str, Any] = {
        "name": ident.title(),
        "qualified": True,
        "languages": ["fi"],
        "skills": [],
        "base_hub": "lohja",
        "available": EVERY_DAY,
        "max_weekly_minutes": 960,
        **fields,
    }
    return StaffRow(id=ident, **values)


def _hand_built(feeds: FeedService) -> None:
    """Staff who each miss one criterion, and two more Wednesday groups at Nummela."""
    with session_scope(feeds.engine) as session:
        session.add_all(
            [
                _member("near", base_hub="nummela"),
                _member("unqual", qualified=False),
                _member("swede", languages=["sv"]),
                _member("away", available=[{"day": "tue", "start": "08:00", "end": "18:00"}]),
                _member("tired", max_weekly_minutes=120),
                _member("busy"),
                _member("driver"),
            ]
        )
        session.flush()
        session.add_all(
            [  # busy leads a remote group over g-wed's time; driver one at Nummela ending 15 min before it
                GroupRow(
                    id="g-busy",
                    template_id="remote",
                    modality="remote",
                    language="fi",
                    day="wed",
                    start="12:00",
                    end="14:00",
                    leaders=["busy"],
                ),
                GroupRow(
                    id="g-drive",
                    template_id="nature",
                    modality="in_person",
                    hub_id="nummela",
                    room_id="nummela/sali",
                    language="fi",
                    day="wed",
                    start="09:45",
                    end="12:45",
                    leaders=["driver"],
                ),
            ]
        )


@pytest.fixture
def feeds(tmp_path: Path) -> Iterator[FeedService]:
    for service in feed_service("sqlite", tmp_path):
        _hand_built(service)
        yield service


@pytest.fixture
def pg_feeds(tmp_path: Path) -> Iterator[FeedService]:
    for service in feed_service("postgresql", tmp_path):
        _hand_built(service)
        yield service


def _refused(answer: httpx.Response) -> set[tuple[str, str]]:
    """The (field, rule) pairs of a refusal, which must be a 422 naming each."""
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["type"].endswith("/invalid") and body["detail"]
    return {(e["field"], e["rule"]) for e in body["errors"]}


def _patch_group(feeds: FeedService, group: str, body: dict[str, Any]) -> httpx.Response:
    return feeds.client.patch(f"/groups/{group}", json=body, headers=feeds.coordinator)


def _substitute(feeds: FeedService, group: str, day: str, body: dict[str, Any]) -> httpx.Response:
    return feeds.client.patch(f"/groups/{group}/sessions/{day}", json=body, headers=feeds.coordinator)


def _seats(feeds: FeedService, group: str, clients: list[str]) -> None:
    with session_scope(feeds.engine) as session:
        for client in clients:
            session.add(EnrollmentRow(client_id=client, group_id=group, from_date=date(2027, 1, 4)))


def test_one_qualified_leader(feeds: FeedService) -> None:
    assert _refused(_patch_group(feeds, "g-wed", {"leaders": ["unqual"]})) == {("leaders", "one_qualified_leader")}
    answer = _substitute(feeds, "g-wed", WEDNESDAY, {"leaders": ["unqual"]})
    assert _refused(answer) == {("leaders", "one_qualified_leader")}
    assert "'unqual'" in answer.json()["errors"][0]["message"] and "qualified" in answer.json()["detail"]


def test_five_need_two_leaders(feeds: FeedService) -> None:
    _seats(feeds, "g-mon", ["asiakas-10", "asiakas-11"])  # three seats before: five now
    answer = _patch_group(feeds, "g-mon", {"leaders": ["aino"]})
    assert _refused(answer) == {("leaders", "five_need_two_leaders")}
    assert "5 participants" in answer.json()["errors"][0]["message"]
    assert _refused(_substitute(feeds, "g-mon", MONDAY, {"leaders": ["sanna"]})) == {
        ("leaders", "five_need_two_leaders")
    }
    assert _substitute(feeds, "g-mon", MONDAY, {"leaders": ["sanna", "mikko"]}).status_code == 200


def test_skills_covered(feeds: FeedService) -> None:
    with session_scope(feeds.engine) as session:
        session.get(GroupModelRow, "nature").required_skills = ["first_aid"]
        session.get(StaffRow, "near").skills = ["first_aid"]
    assert _refused(_patch_group(feeds, "g-wed", {"leaders": ["sanna"]})) == {("leaders", "skills_covered")}
    assert _patch_group(feeds, "g-wed", {"leaders": ["near"]}).status_code == 200


def test_leader_speaks_language(feeds: FeedService) -> None:
    answer = _substitute(feeds, "g-mon", MONDAY, {"leaders": ["aino", "swede"]})
    assert _refused(answer) == {("leaders", "leader_speaks_language")}
    assert "'swede' does not speak 'fi'" in answer.json()["errors"][0]["message"]
    assert _refused(_patch_group(feeds, "g-wed", {"language": "sv"})) == {("leaders", "leader_speaks_language")}


def test_leader_available(feeds: FeedService) -> None:
    assert _refused(_patch_group(feeds, "g-wed", {"leaders": ["away"]})) == {("leaders", "leader_available")}
    moved = _substitute(feeds, "g-mon", MONDAY, {"moved_to": "2027-01-23"})  # a Saturday: nobody's window
    assert _refused(moved) == {("leaders", "leader_available")}
    assert {e["message"] for e in moved.json()["errors"]} == {
        "'aino' is not available 2027-01-23 09:00–12:00",
        "'mikko' is not available 2027-01-23 09:00–12:00",
    }


def test_leader_one_session_at_a_time(feeds: FeedService) -> None:
    answer = _patch_group(feeds, "g-wed", {"leaders": ["busy"]})
    assert _refused(answer) == {("leaders", "leader_one_session_at_a_time")}
    assert "'busy' leads group 'g-busy' on wed 12:00–14:00" in answer.json()["errors"][0]["message"]
    assert _refused(_substitute(feeds, "g-wed", WEDNESDAY, {"leaders": ["busy"]})) == {
        ("leaders", "leader_one_session_at_a_time")
    }
    assert _refused(_patch_group(feeds, "g-fri", {"day": "mon"})) == {("leaders", "leader_one_session_at_a_time")}


def test_leader_travel_time(feeds: FeedService) -> None:
    answer = _substitute(feeds, "g-wed", WEDNESDAY, {"leaders": ["driver"]})
    assert _refused(answer) == {("leaders", "leader_travel_time")}
    message = answer.json()["errors"][0]["message"]
    assert "'g-drive'" in message and "15 min between the sessions" in message
    assert _refused(_patch_group(feeds, "g-wed", {"leaders": ["driver"]})) == {("leaders", "leader_travel_time")}
    assert _patch_group(feeds, "g-wed", {"leaders": ["driver"], "start": "14:00", "end": "17:00"}).status_code == 200


def test_leader_weekly_minutes(feeds: FeedService) -> None:
    assert _refused(_patch_group(feeds, "g-wed", {"leaders": ["tired"]})) == {("leaders", "leader_weekly_minutes")}
    answer = _substitute(feeds, "g-wed", WEDNESDAY, {"leaders": ["tired"]})
    assert _refused(answer) == {("leaders", "leader_weekly_minutes")}
    assert "the week of 2027-01-13" in answer.json()["errors"][0]["message"]


def test_a_change_that_keeps_the_rules_is_made_and_an_unrelated_one_is_not_asked(feeds: FeedService) -> None:
    assert _substitute(feeds, "g-wed", WEDNESDAY, {"leaders": ["near"]}).status_code == 200
    with session_scope(feeds.engine) as session:
        session.get(StaffRow, "aino").qualified = False  # g-wed now breaks H5 as stored
    assert _patch_group(feeds, "g-wed", {"pinned": False}).status_code == 200
    # a new time asks only the leaders' time (aino is free then), not the team
    assert _patch_group(feeds, "g-wed", {"start": "13:30", "end": "16:30"}).status_code == 200


def _listed(feeds: FeedService, group: str, day: str, **params: str) -> dict[str, Any]:
    answer = feeds.client.get(f"/groups/{group}/sessions/{day}/substitutes", params=params, headers=feeds.coordinator)
    assert answer.status_code == 200, answer.text
    return answer.json()


def ordered_as_promised(feeds: FeedService) -> None:
    with session_scope(feeds.engine) as session:
        session.get(StaffRow, "aino").qualified = False  # so mikko is the only qualified leader of g-mon
    found = _listed(feeds, "g-mon", MONDAY, replacing="mikko", limit="50")
    assert found["replacing"] == "mikko" and found["staying"] == ["aino"] and found["needs_qualified"] is True
    order = [item["staff_id"] for item in found["items"]]
    # free and fitting by drive (busy, driver and sanna based at Lohja: 0 min, by name; near at Nummela), then
    # free but not qualified (unqual) before free but not speaking Finnish (swede), then those not free
    assert order == ["busy", "driver", "sanna", "near", "unqual", "swede", "away", "tired"]
    assert found["total"] == 8 and found["fitting"] == 4
    first, near = found["items"][0], found["items"][3]
    assert first["fits"] and first["why"]["free"] and first["why"]["drive_minutes"] == 0
    assert near["why"]["drive_minutes"] > 0 and "min drive from the base hub nummela" in near["reasons"][-1]["text"]
    unqual = found["items"][4]
    assert not unqual["fits"] and unqual["why"]["free"] and not unqual["why"]["qualified_where_needed"]
    assert any(r["rule"] == "one_qualified_leader" and not r["ok"] for r in unqual["reasons"])
    away, tired = found["items"][6], found["items"][7]
    assert not away["why"]["available"] and not away["why"]["free"]
    assert not tired["why"]["within_weekly_minutes"] and tired["why"]["available"]


def test_substitutes_best_first(feeds: FeedService) -> None:
    ordered_as_promised(feeds)


def test_substitutes_best_first_on_postgresql(pg_feeds: FeedService) -> None:
    ordered_as_promised(pg_feeds)
    assert _refused(_patch_group(pg_feeds, "g-wed", {"leaders": ["unqual"]})) == {("leaders", "one_qualified_leader")}
    assert _refused(_substitute(pg_feeds, "g-wed", WEDNESDAY, {"leaders": ["driver"]})) == {
        ("leaders", "leader_travel_time")
    }


def test_substitutes_for_an_extra_leader_and_busy_or_far_staff(feeds: FeedService) -> None:
    found = _listed(feeds, "g-wed", WEDNESDAY)  # aino alone, qualified: an extra leader
    assert found["replacing"] is None and found["needs_qualified"] is False
    by_id = {item["staff_id"]: item for item in found["items"]}
    assert not by_id["busy"]["why"]["not_busy"] and by_id["busy"]["why"]["can_drive"]
    assert not by_id["driver"]["why"]["can_drive"] and by_id["driver"]["why"]["not_busy"]
    reason = next(r for r in by_id["driver"]["reasons"] if r["criterion"] == "can_drive")
    assert reason["rule"] == "leader_travel_time" and "g-drive" in reason["text"]
    assert by_id["unqual"]["fits"]  # aino stays qualified
    assert [i["fits"] for i in found["items"]] == sorted((i["fits"] for i in found["items"]), reverse=True)


def test_substitutes_answer_plain_errors(feeds: FeedService) -> None:
    client, coordinator = feeds.client, feeds.coordinator
    path = f"/groups/g-mon/sessions/{MONDAY}/substitutes"
    two = client.get(path, headers=coordinator)
    assert two.status_code == 422 and two.json()["errors"][0]["field"] == "replacing"
    stranger = client.get(path, params={"replacing": "sanna"}, headers=coordinator)
    assert stranger.status_code == 422 and "'sanna' does not lead" in stranger.json()["errors"][0]["message"]
    holiday = client.get("/groups/g-wed/sessions/2027-01-06/substitutes", headers=coordinator)
    assert holiday.status_code == 422 and holiday.json()["errors"][0]["field"] == "day"
    assert client.get("/groups/nope/sessions/2027-01-06/substitutes", headers=coordinator).status_code == 404
    assert client.get(path, params={"replacing": "mikko"}).status_code == 401
    assert client.get(path, params={"limit": 0}, headers=coordinator).status_code == 422
    assert "/groups/{group_id}/sessions/{day}/substitutes" in client.get("/openapi.json").json()["paths"]


def _page(feeds: FeedService, path: str, **params: str) -> httpx.Response:
    sign_in(feeds.client, feeds.coordinator["Authorization"].split()[1])
    return feeds.client.get(path, params=params)


@pytest.mark.parametrize(
    ("lang", "heading", "needs", "sanna_speaks", "unqual_misses"),
    [
        ("fi", "Sijaiset: g-mon", "Pätevää ohjaajaa ei jää", "puhuu kieltä: suomi", "ei pätevä"),
        ("sv", "Vikarier: g-mon", "Ingen behörig ledare stannar", "talar finska", "inte behörig"),
        ("en", "Substitutes: g-mon", "No qualified leader stays", "speaks Finnish", "not qualified"),
    ],
)
def test_the_groups_coordinator_page_lists_substitutes_in_each_language(
    feeds: FeedService, lang: str, heading: str, needs: str, sanna_speaks: str, unqual_misses: str
) -> None:
    with session_scope(feeds.engine) as session:
        session.get(StaffRow, "aino").qualified = False
    answer = _page(feeds, "/week/group/g-mon", day=MONDAY, replacing="mikko", lang=lang)
    assert answer.status_code == 200, answer.text
    html = answer.text
    assert f"<h1>{heading}</h1>" in html and needs in html
    rows = re.findall(r'<tr class="(fits|misses)">\s*<th scope="row"><a href="/week/staff/([^"]+)"', html)
    assert rows == [
        ("fits", "busy"),
        ("fits", "driver"),
        ("fits", "sanna"),
        ("fits", "near"),
        ("misses", "unqual"),
        ("misses", "swede"),
        ("misses", "away"),
        ("misses", "tired"),
    ]
    assert sanna_speaks in html and unqual_misses in html
    assert '<option value="2027-01-18" selected>' in html and '<option value="mikko" selected>' in html
    assert "<script" not in html.split("</main>")[0].split("<main")[-1]  # the page works without JavaScript


def test_the_groups_coordinator_page_defaults_and_refusals(feeds: FeedService) -> None:
    first = _page(feeds, "/week/group/g-wed")  # the first coming session, aino alone: an extra leader
    assert first.status_code == 200 and '<option value="" selected>' in first.text
    assert '<option value="2027-01-13" selected>' in first.text and 'class="fits"' in first.text
    assert 'href="/week/group/g-wed"' in feeds.client.get("/week").text
    assert _page(feeds, "/week/group/nope").status_code == 404
    two = _page(feeds, "/week/group/g-mon", day=MONDAY, replacing="", lang="en")
    assert two.status_code == 200 and "the session already has two leaders" in two.text
    feeds.client.cookies.clear()
    anonymous = feeds.client.get("/week/group/g-mon", follow_redirects=False)
    assert anonymous.status_code in (302, 303) and "/signin" in anonymous.headers["location"]
