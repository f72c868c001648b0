"""Every word a feed shows, from the product's gettext catalogues (`scheduler.i18n`), in Finnish, Swedish and English.

The feeds' sentences are msgids here; the codes the application uses (themes, audiences,
group kinds) are named by the very msgids the pages use (`scheduler.i18n.labels`) and languages
by CLDR, so a page and a feed say the same. An unknown code is shown as it is.
"""

from __future__ import annotations

from datetime import date

from calendars.model import Lang
from scheduler.i18n import N_, NC_, Message, gettext, language_name
from scheduler.i18n import short_date as _short_date
from scheduler.i18n.labels import FAMILIES
from scheduler.i18n.labels import label as _label

__all__ = ["TEXTS", "feed_name", "label", "short_date", "text"]

TEXTS: dict[str, Message] = {
    "offering": NC_("calendar name", "Group offering"),
    "hub": N_("Groups: %(subject)s"),
    "staff": N_("Groups led by %(subject)s"),
    "calendar_about": N_("Social rehabilitation groups"),
    "theme": N_("Theme"),
    "language": N_("Language"),
    "audience": N_("For whom"),
    "free_seats": N_("Free seats"),
    "leaders": N_("Leaders"),
    "no_session": N_("No session"),
    "join": N_("To join, ask your social counsellor, who reserves a seat for you."),
    "more": N_("More information"),
    "cancelled": N_("CANCELLED"),
    "cancelled_group": N_("The group is cancelled."),
    "moved": N_("This session has been moved."),
    "substitute": N_("This time a substitute leads"),
    "remote": N_("Remote (link from your counsellor)"),
    "room": N_("room"),
    "closed": N_("closed"),
    "just_come": N_("Just come: no sign-up, no referral needed."),
    "room_limit": N_("Room for at most"),
    "hybrid": N_("You can also join remotely from home (link from your counsellor)."),
    "joins_until": N_("New joiners until %(date)s; after that the group is closed."),
    "no_joiners": N_("The group is closed: it takes no new joiners."),
    "joiners_welcome": N_("New joiners are welcome throughout the term."),
    "waiting": N_("Waiting list"),
    "free_in_room": N_("Of them in the room"),
    "starts_on": N_("Starts on"),
    "sessions_left": N_("Sessions left"),
}
"""The feeds' words by key; the offering's calendar name has a context of its own (it is a name, "Ryhmätarjotin")."""


def text(key: str, lang: Lang, **values: str) -> str:
    """A sentence or word of the feeds in the language, with its `%(name)s` blanks filled."""
    return gettext(lang, TEXTS[key], **values)


def label(family: str, code: str, lang: Lang) -> str:
    """A theme, audience, language or group kind in words; the code itself when it is not known."""
    if family == "language":
        return language_name(code, lang)
    return _label(FAMILIES[family], code, lang) if family in FAMILIES else code


def feed_name(kind: str, subject: str, lang: Lang) -> str:
    """The calendar's name as a calendar program lists it (a group's feed is named by the group)."""
    return subject if kind == "group" else text(kind, lang, subject=subject)


def short_date(day: date, lang: Lang) -> str:
    """6.1.2027 in Finnish and Swedish, 2027-01-06 in English (CLDR, through Babel)."""
    return _short_date(day, lang)
