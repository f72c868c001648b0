"""Every feed, read by two parsers nobody here wrote, holds exactly the plan's sessions: each group's
weekday over a term spanning Epiphany and Easter 2027, less the public holidays and the closure, with
one session moved, one cancelled and one led by a substitute."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.api.conftest import Service, published, scenario, service  # noqa: F401 - fixtures
from tests.calendars.parsers import Occurrence, expected, ical_js, ical_js_raw, recurring
from tests.feeds_app import FeedService, feed_service
from tests.feeds_data import CLOSURE, EASTER_MONDAY, EPIPHANY, GOOD_FRIDAY, TERM_START, WEEKS, feed_problem

END = TERM_START + timedelta(weeks=WEEKS)
MOVED, CANCELLED, SUBSTITUTED = date(2027, 1, 11), date(2027, 1, 20), date(2027, 1, 15)


@pytest.fixture
def changed(tmp_path: Path) -> Iterator[FeedService]:
    """The feed offering with a Monday session moved an hour later, a Wednesday cancelled, a Friday substituted."""
    for feeds in feed_service("sqlite", tmp_path):
        client, coordinator = feeds.client, feeds.coordinator
        assert (
            client.patch(
                f"/groups/g-mon/sessions/{MOVED}", json={"start": "10:00", "end": "13:00"}, headers=coordinator
            ).status_code
            == 200
        )
        assert (
            client.post(
                f"/groups/g-wed/sessions/{CANCELLED}/cancel", json={"reason": "ohjaaja sairas"}, headers=coordinator
            ).status_code
            == 200
        )
        assert (
            client.patch(
                f"/groups/g-fri/sessions/{SUBSTITUTED}", json={"leaders": ["sanna"]}, headers=coordinator
            ).status_code
            == 200
        )
        yield feeds


def unchanged(*groups: str) -> list[Occurrence]:
    """The sessions worked out from the problem alone, with no session changed."""
    data = feed_problem()
    chosen = [g for g in data["groups"] if g["id"] in groups]
    return sorted(expected(chosen, TERM_START, WEEKS, [date.fromisoformat(d) for d in data["closures"]]))


def planned(*groups: str, leader: str | None = None) -> list[Occurrence]:
    """The sessions worked out from the problem alone, with the three changes made."""
    sessions = unchanged(*groups)
    changes = {
        ("g-mon", "2027-01-11T07:00"): ("g-mon", "2027-01-11T08:00", "CONFIRMED"),
        ("g-wed", "2027-01-20T11:00"): None,
    }
    if leader == "mikko":
        changes[("g-fri", "2027-01-15T08:00")] = None
    result = [changes.get(o[:2], o) for o in sessions]
    return sorted(o for o in result if o is not None)


FEEDS = {
    "offering.ics": ("g-mon", "g-wed", "g-fri", "g-remote"),
    "hubs/lohja.ics": ("g-mon", "g-wed", "g-fri"),
    "hubs/nummela.ics": (),
    "groups/g-mon.ics": ("g-mon",),
    "groups/g-wed.ics": ("g-wed",),
    "groups/g-fri.ics": ("g-fri",),
    "groups/g-remote.ics": ("g-remote",),
}
STAFF = {"aino": ("g-mon", "g-wed"), "mikko": ("g-mon", "g-fri"), "sanna": ("g-fri", "g-remote")}


def _staff_path(feeds: FeedService, member: str) -> str:
    answer = feeds.client.post(f"/calendars/staff/{member}/token", headers=feeds.coordinator)
    return answer.json()["url"].split("/calendars/", 1)[1]


def _every_feed(feeds: FeedService) -> Iterator[tuple[str, bytes, list[Occurrence]]]:
    for path, groups in FEEDS.items():
        yield path, feeds.client.get(f"/calendars/{path}").content, planned(*groups)
    for member, groups in STAFF.items():
        path = _staff_path(feeds, member)
        yield member, feeds.client.get(f"/calendars/{path}").content, planned(*groups, leader=member)


def test_recurring_ical_events_expands_every_feed_to_the_planned_sessions(changed: FeedService) -> None:
    for path, body, want in _every_feed(changed):
        assert recurring(body, TERM_START, END) == want, path


def test_ical_js_expands_every_feed_to_the_planned_sessions(changed: FeedService) -> None:
    for path, body, want in _every_feed(changed):
        _, found = ical_js(body, END)
        assert found == want, path


def test_holidays_and_the_closure_are_left_out_and_the_rest_kept(changed: FeedService) -> None:
    body = changed.client.get("/calendars/offering.ics").content
    starts = {(g, s[:10]) for g, s, _ in recurring(body, TERM_START, END)}
    assert ("g-wed", EPIPHANY.isoformat()) not in starts and ("g-wed", CLOSURE.isoformat()) not in starts
    assert ("g-fri", GOOD_FRIDAY.isoformat()) not in starts and ("g-mon", EASTER_MONDAY.isoformat()) not in starts
    counts = {g: sum(1 for s in starts if s[0] == g) for g in ("g-mon", "g-wed", "g-fri", "g-remote")}
    assert counts == {"g-mon": WEEKS - 1, "g-wed": WEEKS - 3, "g-fri": WEEKS - 1, "g-remote": WEEKS}


def test_ical_js_sees_the_override_with_its_higher_sequence_and_the_hostile_title_whole(changed: FeedService) -> None:
    data = ical_js_raw(changed.client.get("/calendars/groups/g-mon.ics").content, END)
    moved = [o for o in data["occurrences"] if o["start"].startswith("2027-01-11")]
    assert len(moved) == 1 and moved[0]["start"] == "2027-01-11T08:00:00.000Z" and moved[0]["sequence"] >= 1
    assert moved[0]["end"] == "2027-01-11T11:00:00.000Z"
    title = feed_problem()["templates"][0]["name"]["fi"].replace("\r\n", "\n").strip()
    assert {o["summary"] for o in data["occurrences"]} == {title}


def test_the_scenario_offering_expands_to_the_plan_in_both_parsers(service: Service) -> None:  # noqa: F811
    problem, plan = service.problem, service.plan
    body = service.client.get("/calendars/offering.ics").content
    start = problem.term.start
    end = start + timedelta(weeks=problem.term.weeks)
    groups = [{"id": g.id, "day": g.day, "start": g.start} for g in plan.groups]
    want = expected(groups, start, problem.term.weeks, problem.closures)
    assert len(want) > 10 * len(groups) // 2
    assert recurring(body, start, end) == want
    assert ical_js(body, end)[1] == want


def test_a_session_moved_to_another_hub_leaves_its_hubs_feed_for_the_new_ones(tmp_path: Path) -> None:
    day = date(2027, 1, 13)  # a Wednesday of g-wed (13:00-16:00 at Lohja)
    for feeds in feed_service("sqlite", tmp_path):
        moved = feeds.client.patch(
            f"/groups/g-wed/sessions/{day}",
            json={"hub_id": "nummela", "room_id": "nummela/sali"},
            headers=feeds.coordinator,
        )
        assert moved.status_code == 200, moved.text
        lohja = feeds.client.get("/calendars/hubs/lohja.ics").content
        nummela = feeds.client.get("/calendars/hubs/nummela.ics").content
        there = [o for o in unchanged("g-wed") if o[1].startswith(day.isoformat())]
        assert len(there) == 1
        at_lohja = sorted(set(unchanged("g-mon", "g-wed", "g-fri")) - set(there))
        assert recurring(lohja, TERM_START, END) == at_lohja and ical_js(lohja, END)[1] == at_lohja
        assert recurring(nummela, TERM_START, END) == there and ical_js(nummela, END)[1] == there
        (event,) = Calendar.from_ical(nummela).walk("VEVENT")
        assert str(event["LOCATION"]).startswith("Nummela") and str(event["UID"]).startswith("g-wed-")
        offering = feeds.client.get("/calendars/offering.ics").content
        assert recurring(offering, TERM_START, END) == unchanged("g-mon", "g-wed", "g-fri", "g-remote")
