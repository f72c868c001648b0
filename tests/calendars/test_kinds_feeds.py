"""The feeds read group kinds (docs/group-kinds.md), checked with parsers nobody here wrote: a group's own
term is its RRULE and EXDATE (python-recurring-ical-events and Mozilla's ical.js expand exactly its
sessions), and the descriptions say "just come" for a pop-up, remote joining for a hybrid group, a
closed group's last day for joiners and how many wait, in Finnish, Swedish and English."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.calendars.parsers import expected, ical_js, recurring
from tests.kinds_app import kinds_client, kinds_database
from tests.kinds_data import CLOSURE, PROCESS_SESSIONS, TERM_START, WEEKS, kinds_problem

END = TERM_START + timedelta(weeks=WEEKS)
NEW_YEAR = date(2027, 1, 1)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield kinds_database(request.param, tmp_path)[0]


def feed(url: str, path: str, lang: str = "fi", on: date = NEW_YEAR) -> bytes:
    with kinds_client(url, on) as client:
        answer = client.get(f"/calendars/{path}", params={"lang": lang})
    assert answer.status_code == 200, answer.text
    return answer.content


def event(body: bytes, group: str) -> dict[str, object]:
    """The group's series (its VEVENT without a RECURRENCE-ID), parsed by icalendar."""
    found = [
        e
        for e in Calendar.from_ical(body).walk("VEVENT")
        if str(e["UID"]).startswith(f"{group}-") and "RECURRENCE-ID" not in e
    ]
    assert len(found) == 1
    return dict(found[0].items()) | {"_": found[0]}


def description(body: bytes, group: str) -> str:
    return str(event(body, group)["DESCRIPTION"])


def test_a_groups_own_term_is_its_rrule_and_exdate(url: str) -> None:
    body = feed(url, "groups/g-process.ics")
    series = event(body, "g-process")["_"]
    assert series.decoded("DTSTART").date() == PROCESS_SESSIONS[0]  # type: ignore[attr-defined]
    rule = series["RRULE"]  # type: ignore[index]
    assert rule["FREQ"] == ["WEEKLY"] and rule["UNTIL"][0].date() == date(2027, 2, 28)
    assert [d.dt.date() for d in series["EXDATE"].dts] == [CLOSURE]  # type: ignore[index]
    starts = [f"{d.isoformat()}T11:00" for d in PROCESS_SESSIONS]  # 13:00 in Helsinki, winter time
    wanted = [("g-process", start, "CONFIRMED") for start in starts]
    assert recurring(body, TERM_START, END) == wanted
    name, occurrences = ical_js(body, END)
    assert name == "Prosessiryhmä" and occurrences == wanted


def test_the_offering_feed_holds_every_groups_own_sessions(url: str) -> None:
    body = feed(url, "offering.ics")
    data = kinds_problem()
    whole_season = [g for g in data["groups"] if g["id"] != "g-process"]
    wanted = sorted(
        expected(whole_season, TERM_START, WEEKS, [CLOSURE])
        + [("g-process", f"{d.isoformat()}T11:00", "CONFIRMED") for d in PROCESS_SESSIONS]
    )
    assert recurring(body, TERM_START, END) == wanted
    assert ical_js(body, END)[1] == wanted


@pytest.mark.parametrize(
    ("lang", "just_come", "limit", "join"),
    [
        ("fi", "Tule sellaisenaan: ilman ilmoittautumista", "Tilaa enintään: 8", "Mukaan pääset"),
        ("sv", "Kom som du är: utan anmälan", "Rymmer högst: 8", None),
        ("en", "Just come: no sign-up, no referral needed.", "Room for at most: 8", "To join, ask"),
    ],
)
def test_a_pop_up_says_just_come_and_its_limit_not_free_seats(
    url: str, lang: str, just_come: str, limit: str, join: str | None
) -> None:
    body = feed(url, "groups/g-popup.ics", lang)
    text = description(body, "g-popup")
    assert just_come in text and limit in text
    assert "/8" not in text  # no free-seat count
    rolling = description(feed(url, "groups/g-roll.ics", lang), "g-roll")
    assert just_come not in rolling and "/10" in rolling
    if join is not None:  # nobody reserves a seat in a pop-up
        assert join not in text and join in rolling


def test_a_hybrid_group_has_its_place_and_says_one_may_join_from_home(url: str) -> None:
    for lang, words in (("fi", "Voit osallistua myös etänä kotoa"), ("sv", "delta på distans hemifrån")):
        series = event(feed(url, "groups/g-hybrid.ics", lang), "g-hybrid")
        assert "Nummela" in str(series["LOCATION"]) and "GEO" in series
        assert words in str(series["DESCRIPTION"])
    english = description(feed(url, "groups/g-hybrid.ics", "en"), "g-hybrid")
    assert "You can also join remotely from home" in english and "Of them in the room: 1" in english
    assert "remotely" not in description(feed(url, "groups/g-roll.ics", "en"), "g-roll")


def test_a_closed_group_says_until_when_it_takes_joiners(url: str) -> None:
    before = description(feed(url, "groups/g-process.ics", "fi"), "g-process")
    assert "Uusia osallistujia otetaan 17.2.2027 asti" in before and "Vapaat paikat: 7/10" in before
    assert "Alkaa: 3.2.2027" in before and "Kertoja jäljellä: 3" in before
    after = description(feed(url, "groups/g-process.ics", "en", date(2027, 2, 18)), "g-process")
    assert "The group is closed: it takes no new joiners." in after and "Free seats: 0/10" in after
    assert "Sessions left: 1" in after
    rolling = description(feed(url, "groups/g-roll.ics", "sv"), "g-roll")
    assert "Nya deltagare är välkomna under hela terminen." in rolling


def test_a_full_group_says_how_many_wait_and_names_nobody(url: str) -> None:
    body = feed(url, "offering.ics", "sv")
    assert "Kö: 3" in description(body, "g-full") and "Kö: 2" in description(body, "g-roll")
    assert "Kö:" not in description(body, "g-process")
    assert b"asiakas-" not in body
