"""The project's codes (themes, audiences, kinds, reasons, languages) in words of the page's language.

Themes, audiences and kinds are `scheduler.i18n.labels`' tables, shared with the calendar feeds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import holidays

from api.pages.i18n import N_, Lang
from scheduler.i18n.labels import ATTENDANCE, AUDIENCES, END_REASONS, KINDS, NEXT_STEPS, THEMES
from scheduler.i18n.reasons import Said, reason_text
from scheduler.services.term_sessions import TermSession

__all__ = [
    "ATTENDANCE",
    "AUDIENCES",
    "END_REASONS",
    "KINDS",
    "MODALITIES",
    "NEXT_STEPS",
    "REASONS",
    "ROLES",
    "THEMES",
    "label",
    "language_name",
    "reason",
    "session_note",
]

MODALITIES = {"in_person": N_("In person"), "remote": N_("Remote"), "hybrid": N_("Hybrid")}
REASONS = {
    "decision": N_("The client has no decision in force for these groups' sessions."),
    "interest": N_("No group has a theme among the client's interests."),
    "audience": N_("The groups on these themes are meant for other audiences."),
    "language": N_("None of these groups runs in a language the client speaks."),
    "remote": N_("Only remote groups would fit, and the client cannot take part remotely."),
    "travel": N_("No suitable group meets within the client's travel limit."),
    "accessibility": N_("The groups within reach have no accessible room, and the client needs one."),
    "availability": N_("No suitable group meets at a time the client can come."),
    "closed": N_("The groups that would fit have closed to new joiners (process groups past their closing session)."),
    "leaders": N_("Sessions would fit the client, but no leader team can be formed for them."),
    "capacity": N_("Suitable groups exist, but none has a free seat."),
}
"""Why nothing fits, one sentence per rule family in the solver's order."""


def label(table: dict[str, str], code: str, lang: Lang) -> str:
    """A code's name in the language; an unknown code is shown as it is."""
    return lang.gettext(table[code]) if code in table else code


def reason(code: str, args: Mapping[str, object] | None, detail: str, lang: Lang) -> Said:
    """One client's reason in the page's language from its code and args (`scheduler.i18n.reasons`);
    the planner's English detail when it has no args."""
    return reason_text(lang, code, args, detail)


def language_name(code: str, lang: Lang) -> str:
    """A language's name in the page's language, from CLDR (`sv` is "ruotsi" in Finnish), as the feeds name it."""
    return lang.language_name(code)


ROLES = {"coordinator": N_("coordinator"), "counsellor": N_("counsellor"), "staff": N_("staff")}

CAUSES = {
    "holiday": N_("public holiday"),
    "closure": N_("closed"),
    "session": N_("this session is cancelled"),
    "group": N_("the group is cancelled"),
}
HOLIDAY_LANGUAGES = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}


def holiday_name(day: date, lang: Lang) -> str | None:
    """A Finnish public holiday's name in the page's language (the `holidays` package has all three)."""
    names = holidays.country_holidays("FI", years=day.year, language=HOLIDAY_LANGUAGES[lang.code])
    return names.get(day)


def session_note(session: TermSession, lang: Lang) -> str | None:
    """What differs about one session, in words: why it is cancelled, where it moved, or a substitute."""
    if session.status == "cancelled":
        cause = lang.gettext(CAUSES[session.cause]) if session.cause else lang.gettext(N_("cancelled"))
        if session.cause == "holiday":
            why = f"{holiday_name(session.planned, lang) or session.reason} ({cause})"
        else:
            why = session.reason or cause
        return lang.gettext(N_("Cancelled: %(reason)s"), reason=why)
    if session.status == "moved":
        return lang.gettext(
            N_("Moved to %(date)s %(start)s–%(end)s"),
            date=lang.date(session.day, "EEE d.M."),
            start=session.start,
            end=session.end,
        )
    if session.status == "substitute":
        return lang.gettext(N_("A substitute leader"))
    return None
