"""A plan's reasons in the reader's language: one message per reason code and case, filled from the reason's args.

The solver writes each unplaced client's reasons as a code, an English `detail` and `args`
(the detail's parts as data: `case` names the wording, then language, day and theme codes,
minutes, place names, ISO dates). Here a reason is said again in Finnish, Swedish or English from the
catalogues: codes become words (languages by CLDR, weekdays by Babel, a run of three or more
days as "tiistai–torstai", themes and audiences by `labels`), lists are joined as the
language joins them. A reason without args (a plan written before them, the greedy
baseline) or with a case this table does not know is shown by its English detail.

A bottom layer: this module takes the reason's parts, not the contract's record, so the
contract and the catalogues stay independent of each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from babel.lists import format_list

from scheduler.i18n import DAYS, N_, Lang
from scheduler.i18n.labels import AUDIENCES, THEMES

__all__ = ["MESSAGES", "Said", "reason_text"]

MESSAGES: dict[tuple[str, str | None], str] = {
    ("decision", "ended"): N_("No decision is in force from %(first)s: the last one ended on %(date)s."),
    ("decision", "cap"): N_("The service reached its 18-month limit on %(date)s."),
    ("decision", "after_term"): N_("The next decision starts on %(date)s, after the term."),
    ("decision", "no_session"): N_("No session this term falls within the decision in force (%(start)s to %(end)s)."),
    ("interest", None): N_("No group model has a theme among the client's interests (%(interests)s)."),
    ("audience", None): N_("The group models on the client's interests are meant for other audiences (%(audiences)s)."),
    ("language", None): N_("The groups on the client's interests run in %(offered)s; the client speaks %(spoken)s."),
    ("remote", None): N_("Groups on %(themes)s run only remotely, and the client cannot take part remotely."),
    ("travel", None): N_("No hub is within %(limit)d min %(mode)s (the nearest: %(nearest)s, %(minutes)d min)."),
    ("travel", "no_hubs"): N_("There are no hubs."),
    ("accessibility", None): N_("The hubs the client reaches have no accessible room (%(places)s)."),
    ("availability", "rooms"): N_(
        "No room at the hubs the client reaches is free for groups on %(themes)s when the client can come."
    ),
    ("availability", "remote"): N_("The client has no free time long enough for the remote groups on %(themes)s."),
    ("closed", "after"): N_("The group is closed: it took new joiners up to its session no. %(count)d on %(date)s."),
    ("closed", "ended"): N_("The group's last session was on %(date)s: it takes no one any more."),
    ("leaders", "language"): N_("No leader speaks the group's language (%(languages)s)."),
    ("leaders", "reach"): N_("No leader who speaks %(languages)s lives within %(minutes)d min of %(places)s."),
    ("leaders", "availability"): N_("No leader who speaks %(languages)s is free when the client can come (%(days)s)."),
    ("leaders", "availability_near"): N_(
        "No leader who speaks %(languages)s and lives within %(minutes)d min of %(places)s is free"
        " when the client can come (%(days)s)."
    ),
    ("leaders", "qualified"): N_(
        "No qualified leader who speaks %(languages)s is free when the client can come (%(days)s)."
    ),
    ("leaders", "qualified_near"): N_(
        "No qualified leader who speaks %(languages)s and lives within %(minutes)d min of %(places)s is free"
        " when the client can come (%(days)s)."
    ),
    ("leaders", "skills"): N_(
        "No team of leaders who speak %(languages)s and are free when the client can come (%(days)s)"
        " has the skills %(skills)s."
    ),
    ("leaders", "skills_near"): N_(
        "No team of leaders who speak %(languages)s, live within %(minutes)d min of %(places)s and are free"
        " when the client can come (%(days)s) has the skills %(skills)s."
    ),
    ("capacity", "options"): N_(
        "Suitable group options: %(count)d (among them %(options)s); none opened with a free seat for the client."
    ),
    ("capacity", "few_clients"): N_(
        "Too few other clients can come to groups on %(themes)s at the client's times (a leader team could lead one)."
    ),
    ("capacity", "none"): N_("No group could open for the client."),
}
"""Each reason's wording by (code, the `case` of its args; None when it has one wording)."""

MODES = {"car": N_("by car"), "transit": N_("by public transport")}
_CODE_LISTS = {"interests": THEMES, "themes": THEMES, "audiences": AUDIENCES}
_LANGUAGE_LISTS = ("languages", "offered", "spoken")
_DATES = ("date", "first", "start", "end")


@dataclass(frozen=True)
class Said:
    """A reason in words, and the language the words are in (`en` when the English detail is shown)."""

    text: str
    lang: str


def reason_text(lang: str | Lang, code: str, args: Mapping[str, object] | None, detail: str) -> Said:
    """The reason in the language from its code and args; its English detail when they cannot say it."""
    t = lang if isinstance(lang, Lang) else Lang(lang)
    if not args:
        return Said(detail, "en")
    case = args.get("case")
    message = MESSAGES.get((code, case if isinstance(case, str) else None))
    if message is None:
        return Said(detail, "en")
    try:
        values = {name: _value(t, name, value) for name, value in args.items() if name != "case"}
        return Said(t.gettext(message, **values), t.code)
    except (KeyError, TypeError, ValueError):  # args that do not fill the message: say what the planner said
        return Said(detail, "en")


def _value(t: Lang, name: str, value: object) -> object:
    """One arg in words: codes named, lists joined as the language joins them; numbers kept for %d."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if name == "mode" and isinstance(value, str):
        return t.gettext(MODES[value]) if value in MODES else value
    if name in _DATES and isinstance(value, str):
        return t.short_date(dt.date.fromisoformat(value))  # a faulty date: ValueError, the English detail is shown
    items = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    if name == "days":
        return _days(t, items)
    if name in _LANGUAGE_LISTS:
        return _join(t, [t.language_name(code) for code in items], "or" if name != "spoken" else "standard")
    if name in _CODE_LISTS:
        table = _CODE_LISTS[name]
        return _join(t, [t.gettext(table[code]) if code in table else code for code in items], "standard")
    return _join(t, items, "or" if name == "places" else "standard")


def _join(t: Lang, items: Iterable[str], style: Literal["standard", "or"]) -> str:
    words = list(items)
    return format_list(words, style=style, locale=t.code) if words else "–"


def _days(t: Lang, days: list[str]) -> str:
    """Weekdays as a label names them: a run of three or more as "tiistai–torstai", else listed."""
    known = sorted((d for d in set(days) if d in DAYS), key=DAYS.index)
    index = [DAYS.index(d) for d in known]
    names = [t.weekday(d, alone=True) for d in known]
    if len(index) >= 3 and index == list(range(index[0], index[0] + len(index))):
        return f"{names[0]}–{names[-1]}"
    return _join(t, names, "standard")
