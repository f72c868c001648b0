"""Partners' and third-sector activities as their own calendar: one weekly VEVENT per activity.

Plain values in (`PartnerEvent`), bytes out, like `calendars.render` whose calendar head, escaping,
folding and time stamps it uses. Each event is marked as a partner's activity (its summary names the
organisation, its first category says "Partner activity", `X-TARJOTIN-PARTNER:TRUE`) and its
description says the county does not run it. The UID is the activity's own (`partner-ID@tarjotin`),
SEQUENCE its stored sequence, DTSTART its first date, RRULE weekly until its last date (open-ended
without one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from icalendar import vCategory, vUri

from calendars.fold import fold_all
from calendars.model import Lang, Organizer
from calendars.render import ZONE, _organizer, _stamp, _text, _when, calendar_head, clean
from calendars.texts import label, short_date, text
from scheduler.i18n import N_, NC_, Message, gettext

__all__ = ["PartnerEvent", "partner_uid", "render_partners"]

WORDS: dict[str, Message] = {
    "calendar": NC_("calendar name", "Partner activities"),
    "about": N_("Activities of partners and third-sector organisations, offered beside the county's groups"),
    "category": N_("Partner activity"),
    "run_by": N_("A partner activity run by %(organisation)s, not by the county's social rehabilitation."),
    "contact": N_("Contact"),
    "accessible": N_("Accessible without steps"),
    "not_accessible": N_("Ask the organisation about accessibility"),
    "languages": N_("Languages"),
    "until": N_("Last time"),
    "ask": N_("To take part, contact the organisation or ask your social counsellor."),
}
"""The partner feed's own words (the groups' feed words come from `calendars.texts`)."""


def word(key: str, lang: Lang, **values: str) -> str:
    return gettext(lang, WORDS[key], **values)


@dataclass(frozen=True)
class PartnerEvent:
    """One partner activity as its calendar event shows it."""

    id: str
    organisation: str
    name: str
    description: str | None
    municipality: str
    place: str
    lat: float | None
    lon: float | None
    day: str
    start: time
    end: time
    first: date
    """DTSTART's date: the activity's first date, or the first of its weekday from when it was entered."""
    last: date | None
    languages: tuple[str, ...]
    theme: str
    audience: str
    contact: str
    url: str | None
    accessible: bool
    sequence: int
    updated_at: datetime
    page: str
    """The public page that lists it (the event's URL when the organisation has no address of its own)."""


def partner_uid(partner_id: str) -> str:
    """The activity's UID: the same on every republish, whatever changes."""
    return f"partner-{partner_id}@tarjotin"


def render_partners(
    events: list[PartnerEvent], lang: Lang, organizer: Organizer, source: str | None, refresh_minutes: int = 60
) -> bytes:
    """The partners' calendar, ready to serve as text/calendar."""
    head = calendar_head(word("calendar", lang), lang, refresh_minutes, source, word("about", lang))
    body = b"".join(_event(e, lang, organizer) for e in sorted(events, key=lambda e: e.id))
    return head + body + b"END:VCALENDAR\r\n"


def _event(event: PartnerEvent, lang: Lang, organizer: Organizer) -> bytes:
    stamp = _stamp(event.updated_at)
    categories = vCategory([clean(word("category", lang)), clean(label("theme", event.theme, lang))])
    lines = [
        "BEGIN:VEVENT",
        _text("UID", partner_uid(event.id)),
        f"CATEGORIES:{categories.to_ical().decode('utf-8')}",
        "URL;VALUE=URI:" + vUri(event.url or event.page).to_ical().decode("utf-8"),
        f"DTSTAMP:{stamp}",
        f"LAST-MODIFIED:{stamp}",
        f"SEQUENCE:{int(event.sequence)}",
        "STATUS:CONFIRMED",
        "TRANSP:TRANSPARENT",
        "X-TARJOTIN-PARTNER:TRUE",
        _organizer(organizer),
        _text("SUMMARY", f"{event.name} ({event.organisation})"),
        _when("DTSTART", event.first, event.start),
        _when("DTEND", event.first, event.end),
        "RRULE:FREQ=WEEKLY"
        + (f";UNTIL={_stamp(datetime.combine(event.last, time(23, 59, 59), tzinfo=ZONE))}" if event.last else ""),
        _text("LOCATION", f"{event.place}, {event.municipality}"),
    ]
    if event.lat is not None and event.lon is not None:
        lines.append(f"GEO:{float(event.lat):.6f};{float(event.lon):.6f}")
    lines += [_text("DESCRIPTION", _description(event, lang)), "END:VEVENT"]
    return fold_all(lines)


def _description(event: PartnerEvent, lang: Lang) -> str:
    lines = [word("run_by", lang, organisation=event.organisation)]
    if event.description:
        lines.append(event.description)
    lines += [
        f"{text('theme', lang)}: {label('theme', event.theme, lang)}",
        f"{word('languages', lang)}: {', '.join(label('language', code, lang) for code in event.languages)}",
        f"{text('audience', lang)}: {label('audience', event.audience, lang)}",
        word("accessible" if event.accessible else "not_accessible", lang),
        f"{word('contact', lang)}: {event.contact}",
    ]
    if event.last:
        lines.append(f"{word('until', lang)}: {short_date(event.last, lang)}")
    if event.url:
        lines.append(f"{text('more', lang)}: {event.url}")
    lines += [word("ask", lang), event.page]
    return clean("\n".join(lines))
