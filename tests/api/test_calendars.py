"""The feed endpoints over HTTP: content type, ETag and 304, Cache-Control, 404s and 422s, staff
feed tokens, session changes reaching the feed, and no client id in any feed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.api.conftest import Service
from tests.feeds_app import PUBLIC, FeedService, feed_service
from tests.feeds_data import republish


@pytest.fixture
def feeds(tmp_path: Path) -> Iterator[FeedService]:
    yield from feed_service("sqlite", tmp_path)


@pytest.fixture
def pg_feeds(tmp_path: Path) -> Iterator[FeedService]:
    yield from feed_service("postgresql", tmp_path)


def events(body: bytes) -> list[dict[str, str]]:
    calendar = Calendar.from_ical(body)
    return [{k: str(v) for k, v in e.items() if not hasattr(v, "dts")} | {"_": e} for e in calendar.walk("VEVENT")]


def test_a_feed_is_text_calendar_with_validators_and_cache_control(feeds: FeedService) -> None:
    answer = feeds.client.get("/calendars/offering.ics")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    assert answer.headers["etag"].startswith('"') and answer.headers["last-modified"].endswith("GMT")
    assert "max-age=3600" in answer.headers["cache-control"] and "public" in answer.headers["cache-control"]
    assert answer.content.startswith(b"BEGIN:VCALENDAR\r\n") and b"METHOD:PUBLISH" in answer.content
    again = feeds.client.get("/calendars/offering.ics")
    assert again.content == answer.content and again.headers["etag"] == answer.headers["etag"]


def test_if_none_match_answers_304_until_the_data_changes(feeds: FeedService) -> None:
    first = feeds.client.get("/calendars/groups/g-mon.ics")
    tag = first.headers["etag"]
    unchanged = feeds.client.get("/calendars/groups/g-mon.ics", headers={"If-None-Match": tag})
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["etag"] == tag
    since = feeds.client.get(
        "/calendars/groups/g-mon.ics", headers={"If-Modified-Since": first.headers["last-modified"]}
    )
    assert since.status_code == 304
    moved = feeds.client.patch(
        "/groups/g-mon/sessions/2027-01-11", json={"start": "10:00", "end": "13:00"}, headers=feeds.coordinator
    )
    assert moved.status_code == 200, moved.text
    changed = feeds.client.get("/calendars/groups/g-mon.ics", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    override = [e for e in events(changed.content) if "RECURRENCE-ID" in e["_"]]
    assert len(override) == 1 and override[0]["SEQUENCE"] == "1"
    assert override[0]["_"].decoded("dtstart").hour == 10


def test_unknown_hub_or_group_is_404_and_bad_lang_or_filter_is_422(feeds: FeedService) -> None:
    hub = feeds.client.get("/calendars/hubs/nowhere.ics")
    assert hub.status_code == 404 and "nowhere" in hub.json()["detail"]
    assert feeds.client.get("/calendars/groups/nothing.ics").status_code == 404
    lang = feeds.client.get("/calendars/offering.ics", params={"lang": "de"})
    assert lang.status_code == 422 and lang.json()["errors"][0]["field"] == "lang"
    misspelt = feeds.client.get("/calendars/offering.ics", params={"langauge": "fi"})
    assert misspelt.status_code == 422 and misspelt.json()["errors"][0]["field"] == "langauge"
    language = feeds.client.get("/calendars/offering.ics", params={"language": "xx"})
    assert language.status_code == 422 and language.json()["errors"][0]["field"] == "language"


def test_filters_and_language_choose_what_the_offering_feed_shows(feeds: FeedService) -> None:
    vihti = feeds.client.get("/calendars/offering.ics", params={"municipality": "Vihti"})
    assert vihti.status_code == 200 and not events(vihti.content)
    lohja = events(feeds.client.get("/calendars/offering.ics", params={"hub": "lohja"}).content)
    assert {e["UID"] for e in lohja} == {f"g-{d}-2027-01-04@tarjotin" for d in ("mon", "wed", "fri")}
    swedish = feeds.client.get("/calendars/hubs/lohja.ics", params={"lang": "sv"}).content
    assert b"SUMMARY:Naturgrupp" in swedish and b"Trettondag" in swedish.replace(b"\r\n ", b"")
    english = feeds.client.get("/calendars/groups/g-wed.ics", params={"lang": "en"}).content
    assert b"X-WR-CALNAME:Nature group" in english and b"Epiphany" in english.replace(b"\r\n ", b"")


def _renew(feeds: FeedService, staff: str) -> str:
    made = feeds.client.post(f"/calendars/staff/{staff}/token", headers=feeds.coordinator)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["webcal"] == body["url"].replace("https://", "webcal://", 1)
    return body["url"].removeprefix(PUBLIC)


def test_a_staff_feed_has_only_their_sessions_and_dies_when_renewed_or_revoked(feeds: FeedService) -> None:
    path = _renew(feeds, "aino")
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token.removeprefix("tjf_")) >= 43  # 256 bits in URL-safe base64
    answer = feeds.client.get(path)
    assert answer.status_code == 200 and "private" in answer.headers["cache-control"]
    assert {e["UID"] for e in events(answer.content)} == {"g-mon-2027-01-04@tarjotin", "g-wed-2027-01-04@tarjotin"}
    assert b"X-WR-CALNAME:Ohjattavat ryhm" in answer.content
    newer = _renew(feeds, "aino")
    assert feeds.client.get(path).status_code == 404 and feeds.client.get(newer).status_code == 200
    assert feeds.client.delete("/calendars/staff/aino/token", headers=feeds.coordinator).status_code == 204
    gone = feeds.client.get(newer)
    assert gone.status_code == 404 and "revoked" in gone.json()["detail"]
    assert feeds.client.post("/calendars/staff/aino/token").status_code == 401
    assert feeds.client.post("/calendars/staff/nobody/token", headers=feeds.coordinator).status_code == 404


def test_a_substitute_sees_the_session_and_the_replaced_leader_does_not(feeds: FeedService) -> None:
    day = "2027-01-18"
    given = feeds.client.patch(
        f"/groups/g-mon/sessions/{day}", json={"leaders": ["sanna", "mikko"]}, headers=feeds.coordinator
    )
    assert given.status_code == 200 and given.json()[2]["status"] == "substitute"
    aino = events(feeds.client.get(_renew(feeds, "aino")).content)
    monday = next(e for e in aino if e["UID"].startswith("g-mon"))
    assert any(
        d.dt.date().isoformat() == day
        for ex in [monday["_"]["EXDATE"]]
        for d in (ex if isinstance(ex, list) else [ex])[0].dts
    )
    sanna = events(feeds.client.get(_renew(feeds, "sanna")).content)
    alone = [e for e in sanna if e["UID"] == "g-mon-2027-01-04-20270118@tarjotin"]
    assert len(alone) == 1 and alone[0]["_"].decoded("dtstart").date().isoformat() == day


def test_session_changes_answer_plain_errors(feeds: FeedService) -> None:
    client, coordinator = feeds.client, feeds.coordinator
    holiday = client.post("/groups/g-wed/sessions/2027-01-06/cancel", json={}, headers=coordinator)
    assert holiday.status_code == 422 and holiday.json()["errors"][0]["field"] == "day"
    room = client.patch("/groups/g-mon/sessions/2027-01-11", json={"hub_id": "nummela"}, headers=coordinator)
    assert room.status_code == 422 and room.json()["errors"][0]["field"] == "room_id"
    empty = client.patch("/groups/g-mon/sessions/2027-01-11", json={"reason": "x"}, headers=coordinator)
    assert empty.status_code == 422
    clash = client.patch(
        "/groups/g-mon/sessions/2027-01-11",
        json={"moved_to": "2027-01-13", "start": "13:00", "end": "16:00", "room_id": "lohja/pieni"},
        headers=coordinator,
    )  # g-wed's room and time that Wednesday
    assert clash.status_code == 422 and clash.json()["errors"][0]["field"] == "room_id"
    assert "g-wed" in clash.json()["errors"][0]["message"]
    assert client.delete("/groups/g-mon/sessions/2027-01-11", headers=coordinator).status_code == 404
    assert client.post("/groups/nope/sessions/2027-01-11/cancel", json={}, headers=coordinator).status_code == 404
    assert client.post("/groups/g-mon/sessions/2027-01-11/cancel", json={}).status_code == 401


def test_a_cancelled_group_stays_in_the_feed_cancelled_with_a_higher_sequence(pg_feeds: FeedService) -> None:
    client = pg_feeds.client
    before = next(e for e in events(client.get("/calendars/offering.ics").content) if e["UID"].startswith("g-fri"))
    answer = client.post(
        "/groups/g-fri/cancel",
        json={"on": "2027-01-04", "reason": "liian vähän osallistujia"},
        headers=pg_feeds.coordinator,
    )
    assert answer.status_code == 200, answer.text
    after = next(e for e in events(client.get("/calendars/offering.ics").content) if e["UID"].startswith("g-fri"))
    assert after["STATUS"] == "CANCELLED" and before["STATUS"] == "CONFIRMED"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after["SUMMARY"].startswith("PERUTTU") and "liian vähän" in after["DESCRIPTION"]
    assert client.get("/offering/g-fri").status_code == 404
    assert client.get("/calendars/groups/g-fri.ics").status_code == 200


def test_patching_a_groups_time_raises_its_sequence(feeds: FeedService) -> None:
    changed = feeds.client.patch("/groups/g-wed", json={"start": "12:00", "end": "15:00"}, headers=feeds.coordinator)
    assert changed.status_code == 200, changed.text
    wed = events(feeds.client.get("/calendars/groups/g-wed.ics").content)[0]
    assert wed["SEQUENCE"] == "1" and wed["_"].decoded("dtstart").hour == 12


def test_the_offering_json_links_each_groups_feed(service: Service) -> None:
    group = service.client.get("/offering").json()["items"][0]
    assert group["feeds"]["ics"].endswith(f"/calendars/groups/{group['id']}.ics")
    assert group["feeds"]["webcal"].startswith("webcal://")


def unfolded(body: bytes) -> str:
    return body.decode("utf-8").replace("\r\n ", "")


def test_no_feed_carries_a_client_id(service: Service) -> None:
    client = service.client
    coordinator = service.as_("coordinator")
    paths = ["/calendars/offering.ics"] + [f"/calendars/hubs/{h.id}.ics" for h in service.problem.hubs]
    paths += [f"/calendars/groups/{g.id}.ics" for g in service.plan.groups]
    for leader in sorted({s for g in service.plan.groups for s in g.leaders})[:5]:
        url = client.post(f"/calendars/staff/{leader}/token", headers=coordinator).json()["url"]
        paths.append(url.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    ids = re.compile("|".join(rf"(?<![\w-]){re.escape(c.id)}(?![\w-])" for c in service.problem.clients))
    for path in paths:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert ids.search(unfolded(answer.content)) is None, path
        assert b"ATTENDEE" not in answer.content


def test_republishing_an_unchanged_plan_gives_the_same_bytes_and_a_move_a_higher_sequence(
    pg_feeds: FeedService,
) -> None:
    before = pg_feeds.client.get("/calendars/offering.ics")
    republish(pg_feeds.engine, {})
    same = pg_feeds.client.get("/calendars/offering.ics")
    assert same.content == before.content
    republish(pg_feeds.engine, {"g-wed": {"start": "09:00", "end": "12:00"}})
    moved = {e["UID"]: e for e in events(pg_feeds.client.get("/calendars/offering.ics").content)}
    old = {e["UID"]: e for e in events(before.content)}
    assert moved["g-wed-2027-01-04@tarjotin"]["SEQUENCE"] == "1"
    assert all(moved[uid]["SEQUENCE"] == old[uid]["SEQUENCE"] for uid in old if not uid.startswith("g-wed"))


def test_a_cancelled_session_leaves_the_offerings_next_sessions(feeds: FeedService) -> None:
    before = feeds.client.get("/offering/g-wed").json()["next_sessions"]
    assert before[:2] == ["2027-01-13", "2027-01-20"]
    feeds.client.post("/groups/g-wed/sessions/2027-01-13/cancel", json={}, headers=feeds.coordinator)
    after = feeds.client.get("/offering/g-wed").json()["next_sessions"]
    assert "2027-01-13" not in after and after[0] == "2027-01-20"
