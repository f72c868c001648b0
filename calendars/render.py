"""A feed as iCalendar bytes (RFC 5545, RFC 7986 calendar properties, METHOD:PUBLISH per RFC 5546).

One VEVENT per group and term: the weekly RRULE up to the term's end (UNTIL in UTC),
EXDATEs for the dates without a session, and a RECURRENCE-ID override for each session
that moves or gets a substitute leader. Every time stamp comes from the data (when the
group last changed), never from the clock, so an unchanged feed renders to the same bytes.
The `icalendar` library escapes text (`;`, `,`, `\\`, newlines) and folds lines at 75
octets between characters, so no name or address can start a line or a property.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vDuration, vText

from .model import Feed, Lang, Occurrence, Organizer, Place, Series
from .texts import feed_name, label, short_date, text
from .timezone import TZID, helsinki

__all__ = ["PRODID", "render"]

PRODID = "-//Tarjotin//Calendar feeds 1.0//FI"
ZONE = ZoneInfo(TZID)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(value: str) -> str:
    """Text as one value: line breaks of any kind become the escaped newline, other control characters go."""
    return CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def render(feed: Feed) -> bytes:
    """The whole calendar, ready to serve as text/calendar."""
    calendar = Calendar()
    name = clean(feed_name(feed.kind, feed.subject, feed.lang))
    refresh = timedelta(minutes=feed.refresh_minutes)
    for key, value in (("prodid", PRODID), ("version", "2.0"), ("calscale", "GREGORIAN"), ("method", "PUBLISH"),
                       ("name", name), ("x-wr-calname", name), ("x-wr-timezone", TZID),
                       ("description", text("calendar_about", feed.lang)),
                       ("x-wr-caldesc", text("calendar_about", feed.lang))):
        calendar.add(key, vText(value))
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh).to_ical().decode("ascii"))
    if feed.source:
        calendar.add("source", feed.source, parameters={"VALUE": "URI"})
    calendar.add_component(helsinki())
    for series in sorted(feed.series, key=lambda s: s.uid):
        for event in _events(series, feed.lang, feed.organizer):
            calendar.add_component(event)
    return calendar.to_ical()


def _events(series: Series, lang: Lang, organizer: Organizer) -> list[Event]:
    if series.only_changes:
        return [_session(series, change, lang, organizer, alone=True) for change in series.changes]
    return [_master(series, lang, organizer)] + [_session(series, c, lang, organizer) for c in series.changes]


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZONE)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _common(event: Event, series: Series, lang: Lang, organizer: Organizer, changed: datetime) -> None:
    """What every event of the series carries: UID, stamps, sequence, organizer, categories and the group's page."""
    event.add("uid", series.uid)
    event.add("dtstamp", _utc(changed))
    event.add("last-modified", _utc(changed))
    event.add("sequence", series.sequence)
    event.add("organizer", _organizer(organizer))
    event.add("categories", [label("theme", series.theme, lang), label("kind", series.kind, lang)])
    event.add("url", series.url, parameters={"VALUE": "URI"})
    event.add("class", "PUBLIC")
    event.add("transp", "OPAQUE")


def _organizer(organizer: Organizer) -> vCalAddress:
    address = vCalAddress(f"mailto:{organizer.email}")
    address.params["CN"] = vText(clean(organizer.name))
    return address


def _master(series: Series, lang: Lang, organizer: Organizer) -> Event:
    event = Event()
    _common(event, series, lang, organizer, series.updated_at)
    event.add("summary", vText(_summary(series, lang, series.cancelled)))
    event.add("dtstart", _local(series.first, series.start))
    event.add("dtend", _local(series.first, series.end))
    until = _utc(_local(series.until, time(23, 59, 59)))
    event.add("rrule", {"freq": "weekly", "until": until})
    if series.skips:
        event.add("exdate", [_local(skip.day, series.start) for skip in series.skips])
    event.add("status", "CANCELLED" if series.cancelled else "CONFIRMED")
    _where(event, series.place, lang)
    event.add("description", vText(_description(series, lang, [])))
    return event


def _session(series: Series, change: Occurrence, lang: Lang, organizer: Organizer, alone: bool = False) -> Event:
    """A session held differently: an override of the series (RECURRENCE-ID), or an event of its own."""
    event = Event()
    _common(event, series, lang, organizer, max(change.changed_at, series.updated_at))
    if alone:
        local, _, host = series.uid.partition("@")
        event["uid"] = vText(f"{local}-{change.planned:%Y%m%d}@{host}")
    else:
        event.add("recurrence-id", _local(change.planned, series.start))
    event.add("summary", vText(_summary(series, lang, series.cancelled)))
    event.add("dtstart", _local(change.day, change.start))
    event.add("dtend", _local(change.day, change.end))
    event.add("status", "CANCELLED" if series.cancelled else "CONFIRMED")
    _where(event, change.place, lang)
    notes = []
    if change.moved:
        notes.append(text("moved", lang))
    if change.substitute:
        notes.append(f"{text('substitute', lang)}: {', '.join(change.leaders)}.")
    if change.note:
        notes.append(change.note)
    event.add("description", vText(_description(series, lang, notes, change.leaders)))
    return event


def _summary(series: Series, lang: Lang, cancelled: bool) -> str:
    title = series.titles.get(lang) or series.titles.get("fi") or series.uid
    return clean(f"{text('cancelled', lang)}: {title}" if cancelled else title)


def _where(event: Event, place: Place | None, lang: Lang) -> None:
    if place is None:
        event.add("location", vText(text("remote", lang)))
        return
    parts = [place.name, place.address or place.municipality]
    if place.room:
        parts.append(f"{text('room', lang)} {place.room}")
    event.add("location", vText(clean(", ".join(p for p in parts if p))))
    event.add("geo", (round(place.lat, 6), round(place.lon, 6)))


def _description(series: Series, lang: Lang, notes: list[str], leaders: tuple[str, ...] | None = None) -> str:
    lines = list(notes)
    if series.cancelled:
        lines.append(text("cancelled_group", lang) + (f" {series.cancel_reason}" if series.cancel_reason else ""))
    lines += [
        f"{text('theme', lang)}: {label('theme', series.theme, lang)}",
        f"{text('language', lang)}: {label('language', series.language, lang)}",
        f"{text('audience', lang)}: {label('audience', series.audience, lang)}",
        f"{text('free_seats', lang)}: {series.free_seats}/{series.capacity}",
        f"{text('leaders', lang)}: {', '.join(leaders or series.leaders)}",
    ]
    if series.skips:
        skipped = ", ".join(short_date(s.day, lang) + (f" ({s.reason})" if s.reason else "") for s in series.skips)
        lines.append(f"{text('no_session', lang)}: {skipped}")
    lines += [text("join", lang), f"{text('more', lang)}: {series.url}"]
    return clean("\n".join(lines))
