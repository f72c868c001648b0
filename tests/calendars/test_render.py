"""Pure rendering: plain values in, bytes out. The calendar's properties, one VEVENT per group and
term, overrides, the RRULE-form VTIMEZONE, and text that cannot break out of its property."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from calendars import Feed, Occurrence, Organizer, Place, Series, Skip, render

HELSINKI = ZoneInfo("Europe/Helsinki")
CHANGED = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
TEAM = Organizer("Länsi-Uudenmaan tiimi", "tiimi@example.fi")
LIBRARY = Place("Lohjan kirjasto", "Karstuntie 3, 08100 Lohja", "Lohja", 60.2486, 24.0652, "Sali")
HOSTILE = (
    "Ryhmä;1, \\ osa: 2\r\nEND:VEVENT\r\nBEGIN:VEVENT\nATTENDEE:mailto:evil@x\rX-INJECT:1 "
    "Åbo–Turun ääkköset öö 🌲🎨 " * 4
)
NATURE = Series(
    uid="g1-2027-01-04@tarjotin",
    titles={"fi": "Luontoryhmä", "sv": "Naturgrupp", "en": "Nature group"},
    theme="nature",
    audience="all",
    language="fi",
    kind="theme",
    first=date(2027, 1, 6),
    start=time(13),
    end=time(16),
    until=date(2027, 4, 25),
    place=LIBRARY,
    leaders=("Aino", "Mikko"),
    capacity=8,
    free_seats=3,
    url="https://tarjotin.example/group/g1?lang=fi",
    sequence=2,
    updated_at=CHANGED,
    skips=(Skip(date(2027, 1, 6), "Loppiainen"), Skip(date(2027, 2, 10), "koulutuspäivä")),
)
MOVED = Occurrence(
    date(2027, 1, 13),
    date(2027, 1, 14),
    time(10),
    time(13),
    LIBRARY,
    ("Sanna",),
    datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
    moved=True,
    substitute=True,
    note="sali remontissa",
)


def feed(*series: Series, lang: str = "fi") -> Feed:
    return Feed("offering", "Länsi-Uusimaa", lang, TEAM, series, "https://tarjotin.example/calendars/offering.ics")


def lines(body: bytes) -> list[bytes]:
    return body.split(b"\r\n")


def test_the_calendar_says_what_it_is_and_how_often_to_fetch_it() -> None:
    body = render(feed(NATURE))
    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["METHOD"] == "PUBLISH"
    assert str(calendar["PRODID"]).startswith("-//Tarjotin//")
    assert calendar["NAME"] == calendar["X-WR-CALNAME"] == "Ryhmätarjotin"
    assert calendar["X-WR-TIMEZONE"] == "Europe/Helsinki"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body and b"X-PUBLISHED-TTL:PT1H\r\n" in body
    assert b"ATTENDEE" not in body


def test_one_weekly_event_per_group_and_term_up_to_the_terms_end() -> None:
    event = Calendar.from_ical(render(feed(NATURE))).walk("VEVENT")[0]
    assert event["UID"] == "g1-2027-01-04@tarjotin" and event["SEQUENCE"] == 2
    assert event.decoded("dtstart") == datetime(2027, 1, 6, 13, tzinfo=HELSINKI)
    assert event["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert event.decoded("dtend") == datetime(2027, 1, 6, 16, tzinfo=HELSINKI)
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["UNTIL"][0] == datetime(2027, 4, 25, 20, 59, 59, tzinfo=UTC)
    assert b"RRULE:FREQ=WEEKLY;UNTIL=20270425T205959Z" in render(feed(NATURE))
    assert [d.dt.date() for d in event["EXDATE"].dts] == [date(2027, 1, 6), date(2027, 2, 10)]
    assert event.decoded("dtstamp") == event.decoded("last-modified") == CHANGED
    assert event["STATUS"] == "CONFIRMED" and str(event["ORGANIZER"]) == "mailto:tiimi@example.fi"
    assert event["ORGANIZER"].params["CN"] == "Länsi-Uudenmaan tiimi"
    assert event["GEO"].latitude == pytest.approx(60.2486) and str(event["URL"]).endswith("/group/g1?lang=fi")
    assert "Karstuntie 3, 08100 Lohja" in event["LOCATION"]
    description = str(event["DESCRIPTION"])
    assert "Vapaat paikat: 3/8" in description and "Loppiainen" in description and "omatyöntekijä" in description
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Luonto", "Teemaryhmä"]


def test_a_moved_session_is_an_override_with_its_own_time_and_note() -> None:
    calendar = Calendar.from_ical(render(feed(replace(NATURE, changes=(MOVED,)))))
    master, override = calendar.walk("VEVENT")
    assert override["UID"] == master["UID"] and "RECURRENCE-ID" not in master
    assert override.decoded("recurrence-id") == datetime(2027, 1, 13, 13, tzinfo=HELSINKI)
    assert override.decoded("dtstart") == datetime(2027, 1, 14, 10, tzinfo=HELSINKI)
    assert override.decoded("last-modified") == MOVED.changed_at and override["SEQUENCE"] == 2
    assert "Sanna" in override["DESCRIPTION"] and "sali remontissa" in override["DESCRIPTION"]


def test_a_substitutes_session_in_another_group_is_an_event_of_its_own() -> None:
    events = Calendar.from_ical(render(feed(replace(NATURE, changes=(MOVED,), only_changes=True)))).walk("VEVENT")
    assert len(events) == 1 and events[0]["UID"] == "g1-2027-01-04-20270113@tarjotin"
    assert "RRULE" not in events[0] and "RECURRENCE-ID" not in events[0]


def test_a_cancelled_group_says_so_in_every_language() -> None:
    cancelled = replace(NATURE, cancelled=True, cancel_reason="liian vähän osallistujia", sequence=3)
    for lang, word in (("fi", "PERUTTU"), ("sv", "INSTÄLLD"), ("en", "CANCELLED")):
        event = Calendar.from_ical(render(feed(cancelled, lang=lang))).walk("VEVENT")[0]
        assert event["STATUS"] == "CANCELLED" and event["SUMMARY"].startswith(word)
        assert event["SEQUENCE"] == 3 and "liian vähän" in event["DESCRIPTION"]


def test_titles_and_descriptions_follow_the_language() -> None:
    swedish = Calendar.from_ical(render(feed(NATURE, lang="sv")))
    english = Calendar.from_ical(render(feed(NATURE, lang="en")))
    assert swedish.walk("VEVENT")[0]["SUMMARY"] == "Naturgrupp" and swedish["X-WR-CALNAME"] == "Gruppbricka"
    assert "Lediga platser: 3/8" in swedish.walk("VEVENT")[0]["DESCRIPTION"]
    assert english.walk("VEVENT")[0]["SUMMARY"] == "Nature group"
    assert "Free seats: 3/8" in english.walk("VEVENT")[0]["DESCRIPTION"]


def test_the_timezone_is_the_rrule_form() -> None:
    body = render(feed(NATURE)).decode()
    zone = body[body.index("BEGIN:VTIMEZONE") : body.index("END:VTIMEZONE") + len("END:VTIMEZONE")]
    golden = Path(__file__).with_name("helsinki.ics").read_text(encoding="utf-8").strip().replace("\n", "\r\n")
    assert zone == golden and "RDATE" not in body


def test_the_same_data_gives_the_same_bytes() -> None:
    assert render(feed(NATURE, replace(NATURE, uid="g0-2027-01-04@tarjotin"))) == render(
        feed(replace(NATURE, uid="g0-2027-01-04@tarjotin"), NATURE)
    )


def test_lines_are_folded_at_75_octets_between_characters() -> None:
    body = render(feed(replace(NATURE, titles={"fi": HOSTILE, "sv": HOSTILE})))
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    for line in lines(body):
        assert len(line) <= 75
        line.decode("utf-8")  # a fold never splits a character


def test_hostile_text_stays_inside_its_property() -> None:
    place = replace(LIBRARY, name="Talo\r\nATTENDEE:mailto:x@y", address="Katu 1;2,3\\4\nBEGIN:VALARM")
    body = render(
        feed(replace(NATURE, titles={"fi": HOSTILE, "sv": HOSTILE}, place=place, leaders=("Anna\nDTSTART:19990101",)))
    )
    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 1 and not calendar.walk("VALARM") and "ATTENDEE" not in events[0]
    assert "X-INJECT" not in events[0] and events[0].decoded("dtstart").year == 2027
    assert events[0]["SUMMARY"] == HOSTILE.replace("\r\n", "\n").replace("\r", "\n")
    assert events[0]["LOCATION"].startswith("Talo\nATTENDEE:mailto:x@y, Katu 1;2,3\\4\nBEGIN:VALARM")
    unfolded = body.replace(b"\r\n ", b"")
    assert all(not line.startswith((b"ATTENDEE", b"X-INJECT", b"BEGIN:VALARM")) for line in lines(unfolded))
    assert sum(line == b"BEGIN:VEVENT" for line in lines(unfolded)) == 1


@pytest.mark.parametrize(
    "text", ["🌲" * 60, "ä" * 100, "a" * 74 + "ö" * 10, "x" * 73 + "\\," * 40, "\\\\" * 80, "y" * 74 + "\\n" + "z" * 80]
)
def test_folding_keeps_characters_and_escapes_whole(text: str) -> None:
    from calendars.fold import fold

    folded = fold(f"DESCRIPTION:{text}")
    parts = folded.removesuffix(b"\r\n").split(b"\r\n ")
    assert all(len(part) + (i > 0) <= 75 for i, part in enumerate(parts))
    assert b"".join(parts).decode("utf-8") == f"DESCRIPTION:{text}"
    for part in parts[:-1]:
        trailing = len(part) - len(part.rstrip(b"\\"))
        assert trailing % 2 == 0, part  # never a lone backslash at a fold

    def read(line: bytes) -> str:
        body = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" + line + b"END:VEVENT\r\nEND:VCALENDAR\r\n"
        return str(Calendar.from_ical(body).walk("VEVENT")[0]["DESCRIPTION"])

    assert read(folded) == read(f"DESCRIPTION:{text}\r\n".encode())


def test_an_unchanged_group_is_not_written_again_but_a_changed_one_is() -> None:
    first = render(feed(NATURE))
    assert render(feed(replace(NATURE, free_seats=2))) != first and render(feed(NATURE)) == first
    assert b"Vapaat paikat: 2/8" in render(feed(replace(NATURE, free_seats=2))).replace(b"\r\n ", b"")
