"""The partners' calendar read back by parsers nobody here wrote (icalendar with python-recurring-ical-events,
and Mozilla's ical.js under node): weekly occurrences on the activity's weekday from its first date to its
last, a stable UID, SEQUENCE from the record, LOCATION and DESCRIPTION in fi, sv and en, marked a partner's."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar

from calendars import Organizer
from calendars.partners import render_partners
from scheduler.contract.partner import PartnerActivityOut
from scheduler.scenario.partners import partner_activities
from scheduler.services.partner_feed import first_date, partner_events
from tests.calendars.parsers import ical_js_raw

HELSINKI = ZoneInfo("Europe/Helsinki")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SAVED = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)  # a Tuesday
ORGANIZER = Organizer("Länsi-Uudenmaan sosiaalinen kuntoutus", "ryhmat@example.fi")
PAGE = "https://tarjotin.example/partner-activities?lang=fi"


def _activities() -> list[PartnerActivityOut]:
    return [
        PartnerActivityOut(**a.model_dump(), sequence=n % 3, updated_at=SAVED)
        for n, a in enumerate(partner_activities())
    ]


def _feed(lang: str = "fi") -> bytes:
    return render_partners(partner_events(_activities(), PAGE), lang, ORGANIZER, None)  # type: ignore[arg-type]


def _local(moment: datetime) -> datetime:
    return moment.astimezone(HELSINKI)


def test_occurrences_follow_each_activity_from_its_first_date_to_its_last() -> None:
    calendar = Calendar.from_ical(_feed())
    start, end = date(2027, 1, 1), date(2027, 6, 1)
    found = recurring_ical_events.of(calendar).between(start, end)
    by_uid: dict[str, list[datetime]] = {}
    for event in found:
        by_uid.setdefault(str(event["UID"]), []).append(_local(event.decoded("DTSTART")))
    activities = {f"partner-{a.id}@tarjotin": a for a in _activities()}
    assert set(by_uid) == set(activities)
    for uid, starts in by_uid.items():
        activity = activities[uid]
        since = activity.first_date or date(2027, 1, 5)
        first = since + timedelta(days=(DAYS.index(activity.day) - since.weekday()) % 7)
        last = activity.last_date or end - timedelta(days=1)
        expected = [
            datetime.combine(first + timedelta(weeks=n), time.fromisoformat(activity.start), HELSINKI)
            for n in range((last - first).days // 7 + 1)
        ]
        assert sorted(starts) == expected, uid
        assert all(s.strftime("%a").lower()[:3] == activity.day for s in starts)
    term_only = [a for a in _activities() if a.last_date]
    assert term_only and all(len(by_uid[f"partner-{a.id}@tarjotin"]) == 12 for a in term_only)


def test_each_event_is_marked_a_partners_with_its_place_contact_and_sequence() -> None:
    activities = {a.id: a for a in _activities()}
    for lang, marker, run_by in (
        ("fi", "Kumppanin toiminta", "ei kunnan"),
        ("sv", "Partneraktivitet", "inte av"),
        ("en", "Partner activity", "not by the county"),
    ):
        calendar = Calendar.from_ical(_feed(lang))
        events = calendar.walk("VEVENT")
        assert len(events) == len(activities)
        for event in events:
            activity = activities[str(event["UID"]).removeprefix("partner-").removesuffix("@tarjotin")]
            assert int(event["SEQUENCE"]) == activity.sequence
            assert str(event["LOCATION"]) == f"{activity.place}, {activity.municipality}"
            assert activity.organisation in str(event["SUMMARY"])
            assert str(event["X-TARJOTIN-PARTNER"]) == "TRUE"
            assert marker in [str(c) for c in event["CATEGORIES"].cats], lang
            description = str(event["DESCRIPTION"])
            assert activity.organisation in description and run_by in description, (lang, description)
            assert activity.contact in description
            assert event.decoded("DTSTAMP") == SAVED
            if activity.last_date:
                assert "UNTIL" in event["RRULE"]
            else:
                assert "UNTIL" not in event["RRULE"]


def test_the_same_activities_render_the_same_bytes_and_ical_js_reads_them() -> None:
    body = _feed("en")
    assert body == _feed("en")
    read = ical_js_raw(body, date(2027, 4, 30))
    assert read["name"] == "Partner activities"
    by_uid: dict[str, int] = {}
    for occurrence in read["occurrences"]:
        by_uid[occurrence["uid"]] = by_uid.get(occurrence["uid"], 0) + 1
        assert occurrence["status"] == "CONFIRMED"
    reading = next(a for a in _activities() if a.id.startswith("lukupiiri"))
    assert by_uid[f"partner-{reading.id}@tarjotin"] == 12
    assert len(by_uid) == len(_activities())


def test_without_a_first_date_the_rhythm_starts_on_its_weekday_after_it_was_saved() -> None:
    walk = next(a for a in _activities() if a.id.startswith("kavelyryhma"))  # mondays, open-ended
    assert walk.first_date is None
    assert first_date(walk) == date(2027, 1, 11)
    saved_monday = walk.model_copy(update={"updated_at": datetime(2027, 1, 11, 6, 0, tzinfo=UTC)})
    assert first_date(saved_monday) == date(2027, 1, 11)
    late_sunday = walk.model_copy(update={"day": "sun", "updated_at": datetime(2027, 1, 10, 22, 30, tzinfo=UTC)})
    assert first_date(late_sunday) == date(2027, 1, 17)  # saved on Monday in Helsinki (still Sunday in UTC)
    circle = next(a for a in _activities() if a.id.startswith("lukupiiri"))  # fridays from Monday 2027-01-11
    assert circle.first_date == date(2027, 1, 11) and first_date(circle) == date(2027, 1, 15)
