"""A feed as iCalendar bytes (RFC 5545, RFC 7986 calendar properties, METHOD:PUBLISH per RFC 5546).

One VEVENT per group and term: the weekly RRULE up to the end of the group's own term (UNTIL in UTC),
EXDATEs for the dates without a session, and a RECURRENCE-ID override for each session
that moves or gets a substitute leader. Every time stamp comes from the data (when the
group last changed), never from the clock, so an unchanged feed renders to the same bytes.
The `icalendar` library escapes every text value (`;`, `,`, `\\`, line breaks) and writes the
calendar's own properties, the organizer and the timezone; lines that hold no text (times,
numbers, status) are written directly, which keeps a 2000-client offering well within a
request's time, and `calendars.fold` folds every line at 75 octets between characters. No
name or address can start a line or a property.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vCategory, vDuration, vText, vUri

from calendars.fold import fold_all
from calendars.model import Feed, Lang, Occurrence, Organizer, Place, Series
from calendars.texts import feed_name, label, short_date, text
from calendars.timezone import TZID, helsinki

__all__ = ["PRODID", "calendar_head", "render"]

PRODID = "-//Tarjotin//Calendar feeds 1.0//FI"
ZONE = ZoneInfo(TZID)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(value: str) -> str:
    """Text as one value: line breaks of any kind become the escaped newline, other control characters go."""
    return CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def render(feed: Feed) -> bytes:
    """The whole calendar, ready to serve as text/calendar."""
    name = feed_name(feed.kind, feed.subject, feed.lang)
    events = b"".join(_events(series, feed.lang, feed.organizer) for series in sorted(feed.series, key=lambda s: s.uid))
    return calendar_head(name, feed.lang, feed.refresh_minutes, feed.source) + events + b"END:VCALENDAR\r\n"


def calendar_head(name: str, lang: Lang, refresh_minutes: int, source: str | None, about: str | None = None) -> bytes:
    """The calendar's own properties and the timezone, folded: everything before the events. `about` describes
    the calendar (the groups' description without it)."""
    calendar = Calendar()
    about = clean(about or text("calendar_about", lang))
    name = clean(name)
    refresh = timedelta(minutes=refresh_minutes)
    for key, value in (
        ("prodid", PRODID),
        ("version", "2.0"),
        ("calscale", "GREGORIAN"),
        ("method", "PUBLISH"),
        ("name", name),
        ("x-wr-calname", name),
        ("x-wr-timezone", TZID),
        ("description", about),
        ("x-wr-caldesc", about),
    ):
        calendar.add(key, vText(value))
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    ttl = vDuration(refresh).to_ical()  # type: ignore[no-untyped-call]  # icalendar leaves to_ical unannotated
    calendar.add("x-published-ttl", ttl.decode("ascii"))
    if source:
        calendar.add("source", source, parameters={"VALUE": "URI"})
    head = calendar.content_lines()[:-2]  # without END:VCALENDAR and the closing blank
    return fold_all(head) + _timezone()


@lru_cache(maxsize=1)
def _timezone() -> bytes:
    return fold_all(helsinki().content_lines())


@lru_cache(maxsize=8192)
def _events(series: Series, lang: Lang, organizer: Organizer) -> bytes:
    """A series' events, folded. Remembered: a group that did not change is not written again."""
    if series.only_changes:
        events = [_session(series, change, lang, organizer, alone=True) for change in series.changes]
    else:
        events = [_master(series, lang, organizer)] + [_session(series, c, lang, organizer) for c in series.changes]
    return b"".join(fold_all(["BEGIN:VEVENT", *lines, "END:VEVENT"]) for lines in events)


def _text(name: str, value: str) -> str:
    """A text property: the value escaped by `icalendar` (`;`, `,`, `\\`, line breaks), so it stays one value."""
    return f"{name}:{vText(clean(value)).to_ical().decode('utf-8')}"


def _local(day: date, at: time) -> str:
    """A wall-clock time in Helsinki as a DATE-TIME value (the TZID parameter names the zone)."""
    return f"{day:%Y%m%d}T{at:%H%M%S}"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _stamp(moment: datetime) -> str:
    return f"{_utc(moment):%Y%m%dT%H%M%SZ}"


def _common(
    series: Series, lang: Lang, organizer: Organizer, changed: datetime, cancelled: bool, uid: str | None = None
) -> list[str]:
    """What every event of the series carries: UID, stamps, sequence, status, organizer, categories, page.

    Times, numbers and the status hold no text and are written as they are; text goes through `_text`.
    """
    categories = vCategory([clean(label("theme", series.theme, lang)), clean(label("kind", series.kind, lang))])
    stamp = _stamp(changed)
    return [
        _text("UID", uid or series.uid),
        f"CATEGORIES:{categories.to_ical().decode('utf-8')}",
        "URL;VALUE=URI:" + vUri(series.url).to_ical().decode("utf-8"),
        f"DTSTAMP:{stamp}",
        f"LAST-MODIFIED:{stamp}",
        f"SEQUENCE:{int(series.sequence)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        _organizer(organizer),
    ]


@lru_cache(maxsize=16)
def _organizer(organizer: Organizer) -> str:
    """The ORGANIZER line, its name quoted and escaped by `icalendar`."""
    address = vCalAddress(f"mailto:{organizer.email}")
    address.params["CN"] = vText(clean(organizer.name))
    event = Event()
    event.add("organizer", address)
    return str(event.content_lines()[1])


def _when(tag: str, day: date, at: time) -> str:
    return f"{tag};TZID={TZID}:{_local(day, at)}"


def _master(series: Series, lang: Lang, organizer: Organizer) -> list[str]:
    plain = _common(series, lang, organizer, series.updated_at, series.cancelled)
    until = _stamp(datetime.combine(series.until, time(23, 59, 59), tzinfo=ZONE))
    plain += [
        _text("SUMMARY", _summary(series, lang, series.cancelled)),
        _when("DTSTART", series.first, series.start),
        _when("DTEND", series.first, series.end),
        f"RRULE:FREQ=WEEKLY;UNTIL={until}",
    ]
    if series.skips:
        plain.append(f"EXDATE;TZID={TZID}:" + ",".join(_local(skip.day, series.start) for skip in series.skips))
    plain += _where(series.place, lang)
    plain.append(_text("DESCRIPTION", _description(series, lang, [])))
    return plain


def _session(series: Series, change: Occurrence, lang: Lang, organizer: Organizer, alone: bool = False) -> list[str]:
    """A session held differently: an override of the series (RECURRENCE-ID), or an event of its own."""
    local, _, host = series.uid.partition("@")
    uid = f"{local}-{change.planned:%Y%m%d}@{host}" if alone else None
    plain = _common(series, lang, organizer, max(change.changed_at, series.updated_at), series.cancelled, uid)
    if not alone:
        plain.append(_when("RECURRENCE-ID", change.planned, series.start))
    plain += [
        _text("SUMMARY", _summary(series, lang, series.cancelled)),
        _when("DTSTART", change.day, change.start),
        _when("DTEND", change.day, change.end),
    ]
    plain += _where(change.place, lang)
    notes = []
    if change.moved:
        notes.append(text("moved", lang))
    if change.substitute:
        notes.append(f"{text('substitute', lang)}: {', '.join(change.leaders)}.")
    if change.note:
        notes.append(change.note)
    plain.append(_text("DESCRIPTION", _description(series, lang, notes, change.leaders)))
    return plain


def _summary(series: Series, lang: Lang, cancelled: bool) -> str:
    title = series.titles.get(lang) or series.titles.get("fi") or series.uid
    return clean(f"{text('cancelled', lang)}: {title}" if cancelled else title)


def _where(place: Place | None, lang: Lang) -> list[str]:
    """LOCATION (text, escaped) and the GEO line."""
    if place is None:
        return [_text("LOCATION", text("remote", lang))]
    parts = [place.name, place.address or place.municipality]
    if place.room:
        parts.append(f"{text('room', lang)} {place.room}")
    return [_text("LOCATION", ", ".join(p for p in parts if p)), f"GEO:{float(place.lat):.6f};{float(place.lon):.6f}"]


def _description(series: Series, lang: Lang, notes: list[str], leaders: tuple[str, ...] | None = None) -> str:
    lines = list(notes)
    if series.cancelled:
        lines.append(text("cancelled_group", lang) + (f" {series.cancel_reason}" if series.cancel_reason else ""))
    if series.just_come:
        lines.append(text("just_come", lang))
    if series.place is not None and series.remote_joining:
        lines.append(text("hybrid", lang))
    lines += [
        f"{text('theme', lang)}: {label('theme', series.theme, lang)}",
        f"{text('language', lang)}: {label('language', series.language, lang)}",
        f"{text('audience', lang)}: {label('audience', series.audience, lang)}",
        *_admission(series, lang),
        f"{text('leaders', lang)}: {', '.join(leaders or series.leaders)}",
    ]
    if series.starts_on is not None:
        lines.append(f"{text('starts_on', lang)}: {short_date(series.starts_on, lang)}")
    if series.sessions_left is not None:
        lines.append(f"{text('sessions_left', lang)}: {series.sessions_left}")
    if series.skips:
        skipped = ", ".join(short_date(s.day, lang) + (f" ({s.reason})" if s.reason else "") for s in series.skips)
        lines.append(f"{text('no_session', lang)}: {skipped}")
    if not series.just_come:
        lines.append(text("join", lang))
    lines.append(f"{text('more', lang)}: {series.url}")
    return clean("\n".join(lines))


def _admission(series: Series, lang: Lang) -> list[str]:
    """Who may come: a pop-up's room limit, or the free seats, the waiting list and whether joiners are taken."""
    if series.just_come:
        return [f"{text('room_limit', lang)}: {series.capacity}"]
    lines = [f"{text('free_seats', lang)}: {series.free_seats}/{series.capacity}"]
    if series.free_in_room is not None:
        lines.append(f"{text('free_in_room', lang)}: {series.free_in_room}")
    if series.waiting:
        lines.append(f"{text('waiting', lang)}: {series.waiting}")
    if not series.admission_open:
        lines.append(text("no_joiners", lang))
    elif series.admission == "closed" and series.closes_on is not None:
        lines.append(text("joins_until", lang, date=short_date(series.closes_on, lang)))
    elif not series.cancelled:
        lines.append(text("joiners_welcome", lang))
    return lines
