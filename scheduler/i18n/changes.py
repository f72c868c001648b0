"""What-if changes and advice in the reader's language, said as a coordinator says them.

A change (`scheduler.contract.whatif`) is a kind and ids: a staff member, a hub and its room, a
group model, a client, a closure day, weekly windows. Here it becomes a phrase in Finnish,
Swedish or English from the catalogues: "a new Swedish-speaking qualified leader on Tuesdays
09:00–15:00 based at Ekenäs bibliotek, Raasepori"; ids become the names `ChangeNames` holds
(hub names and municipalities, room and staff names, group models' names in each language),
weekdays are said as a weekly habit ("on Tuesdays", "tiistaisin", "på tisdagar"), languages as
the speakers' ("Swedish-speaking") or the group's ("in Swedish"). Client ids stay ids: the words
are for coordinator pages, as the unplaced list is.

A bottom layer beside the contract, so it does not import it: a change is read through its
`model_dump` (or as the mapping it dumps to), and names through the problem's attributes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from babel.lists import format_list

from scheduler.i18n import DAYS, N_, Lang
from scheduler.i18n.labels import THEMES

__all__ = [
    "IN_LANGUAGE",
    "SPEAKING",
    "WEEKLY",
    "ChangeNames",
    "advice_sentence",
    "describe_change",
    "in_language",
    "speaking",
    "weekly",
]

WEEKLY = {
    "mon": N_("on Mondays"),
    "tue": N_("on Tuesdays"),
    "wed": N_("on Wednesdays"),
    "thu": N_("on Thursdays"),
    "fri": N_("on Fridays"),
    "sat": N_("on Saturdays"),
    "sun": N_("on Sundays"),
}
"""A weekday as a weekly habit ("tiistaisin"), by the contract's day code."""

SPEAKING = {
    "fi": N_("Finnish-speaking"),
    "sv": N_("Swedish-speaking"),
    "en": N_("English-speaking"),
    "et": N_("Estonian-speaking"),
    "ru": N_("Russian-speaking"),
    "uk": N_("Ukrainian-speaking"),
    "ar": N_("Arabic-speaking"),
    "so": N_("Somali-speaking"),
    "ku": N_("Kurdish-speaking"),
    "fa": N_("Persian-speaking"),
    "zh": N_("Chinese-speaking"),
    "vi": N_("Vietnamese-speaking"),
}
"""A person's language as an adjective, by language code; other codes by `SPEAKING_OTHER` and CLDR's name."""
SPEAKING_OTHER = N_("%(language)s-speaking")

IN_LANGUAGE = {
    "fi": N_("in Finnish"),
    "sv": N_("in Swedish"),
    "en": N_("in English"),
    "et": N_("in Estonian"),
    "ru": N_("in Russian"),
    "uk": N_("in Ukrainian"),
    "ar": N_("in Arabic"),
    "so": N_("in Somali"),
    "ku": N_("in Kurdish"),
    "fa": N_("in Persian"),
    "zh": N_("in Chinese"),
    "vi": N_("in Vietnamese"),
}
"""What a group runs in ("ruotsiksi"), by language code; other codes by `IN_OTHER` and CLDR's name."""
IN_OTHER = N_("in the language %(language)s")

MESSAGES = {
    "staff_availability": N_("%(staff)s free %(when)s too"),
    "staff_availability+minutes": N_("%(staff)s free %(when)s too (and %(minutes)d min more a week)"),
    "staff_minutes": N_("%(staff)s working %(minutes)d min more a week"),
    "new_leader": N_("a new %(speaking)s qualified leader %(when)s based at %(hub)s"),
    "new_leader-unqualified": N_("a new %(speaking)s leader (not qualified) %(when)s based at %(hub)s"),
    "skills": N_("%(leader)s (skills: %(skills)s)"),
    "room_opened": N_("room %(room)s (%(hub)s) open %(when)s"),
    "new_room": N_("a new room for %(capacity)d people (%(hub)s) open %(when)s"),
    "new_room+accessible": N_("a new accessible room for %(capacity)d people (%(hub)s) open %(when)s"),
    "template_language": N_("%(template)s run %(language)s too"),
    "client_travel": N_("the travel limit of client %(client)s raised to %(minutes)d min"),
    "client_remote": N_("client %(client)s agreeing to take part remotely"),
    "closure_lifted": N_("the closure on %(date)s lifted"),
}
"""Each change's wording, by its kind (and the case, after + or -)."""


class _Dumps(Protocol):
    def model_dump(self, *, mode: Literal["json"]) -> dict[str, Any]: ...


ChangeLike = _Dumps | Mapping[str, Any]
"""A change: the contract's record, or the mapping it dumps to (as stored)."""


class _Item(Protocol):
    @property
    def change(self) -> Any: ...
    @property
    def placed_gain(self) -> int: ...


class _Room(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str | None: ...


class _Hub(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def municipality(self) -> str: ...
    @property
    def rooms(self) -> Sequence[_Room]: ...


class _Staff(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str | None: ...


class _TemplateName(Protocol):
    @property
    def fi(self) -> str: ...
    @property
    def sv(self) -> str: ...
    @property
    def en(self) -> str | None: ...


class _Template(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> _TemplateName: ...


class _Client(Protocol):
    @property
    def id(self) -> str: ...


class _Problem(Protocol):
    @property
    def hubs(self) -> Sequence[_Hub]: ...
    @property
    def staff(self) -> Sequence[_Staff]: ...
    @property
    def templates(self) -> Sequence[_Template]: ...
    @property
    def clients(self) -> Sequence[_Client]: ...


@dataclass(frozen=True)
class ChangeNames:
    """The names a change's ids are said with: hubs (name, municipality), rooms, staff, group models."""

    hubs: dict[str, tuple[str, str]] = field(default_factory=dict)
    rooms: dict[tuple[str, str], str] = field(default_factory=dict)
    staff: dict[str, str] = field(default_factory=dict)
    templates: dict[str, dict[str, str]] = field(default_factory=dict)
    """A group model's name by language (fi, sv, and en where it has one)."""
    clients: frozenset[str] = frozenset()

    @classmethod
    def of(cls, problem: _Problem) -> ChangeNames:
        """The names in a problem (`scheduler.contract.Problem`)."""
        return cls(
            hubs={h.id: (h.name, h.municipality) for h in problem.hubs},
            rooms={(h.id, r.id): r.name for h in problem.hubs for r in h.rooms if r.name},
            staff={s.id: s.name for s in problem.staff if s.name},
            templates={
                t.id: {"fi": t.name.fi, "sv": t.name.sv, **({"en": t.name.en} if t.name.en else {})}
                for t in problem.templates
            },
            clients=frozenset(c.id for c in problem.clients),
        )

    def hub(self, hub_id: str) -> str:
        """A hub by its name, and its municipality when the name does not say it ("Ekenäs bibliotek, Raasepori")."""
        if hub_id not in self.hubs:
            return hub_id
        name, municipality = self.hubs[hub_id]
        stem = municipality[:-1] if len(municipality) > 4 else municipality  # Lohja in "Lohjan sote-keskus"
        return name if stem.lower() in name.lower() else f"{name}, {municipality}"

    def room(self, hub_id: str, room_id: str) -> str:
        return self.rooms.get((hub_id, room_id), room_id.rsplit("/", 1)[-1])

    def template(self, template_id: str, lang: str) -> str:
        names = self.templates.get(template_id)
        if not names:
            return template_id
        return names.get(lang) or names["fi"]


def weekly(t: Lang, day: str) -> str:
    """A weekday as a weekly habit: "on Tuesdays", "tiistaisin", "på tisdagar"."""
    return t.gettext(WEEKLY[day]) if day in WEEKLY else day


def speaking(t: Lang, code: str) -> str:
    """A language as the adjective for its speakers: "Swedish-speaking", "ruotsinkielinen", "svenskspråkig"."""
    if code in SPEAKING:
        return t.gettext(SPEAKING[code])
    return t.gettext(SPEAKING_OTHER, language=t.language_name(code))


def in_language(t: Lang, code: str) -> str:
    """What a group runs in: "in Swedish", "ruotsiksi", "på svenska"."""
    if code in IN_LANGUAGE:
        return t.gettext(IN_LANGUAGE[code])
    return t.gettext(IN_OTHER, language=t.language_name(code))


def clock(t: Lang, hhmm: str) -> str:
    """A time of day as the language writes it: 09:00 in English, 9.00 in Finnish and Swedish."""
    if t.code == "en":
        return hhmm
    hours, _, minutes = hhmm.partition(":")
    return f"{int(hours)}.{minutes}"


def _join(t: Lang, words: Sequence[str]) -> str:
    return format_list(list(words), locale=t.code) if words else "–"


def when(t: Lang, windows: Sequence[Mapping[str, Any]]) -> str:
    """Weekly windows said by day: "on Tuesdays 09:00–15:00 and on Thursdays 12:00–16:00"."""
    by_day: dict[str, list[str]] = {}
    for w in sorted(windows, key=lambda w: (DAYS.index(w["day"]) if w["day"] in DAYS else 7, w["start"])):
        by_day.setdefault(w["day"], []).append(f"{clock(t, w['start'])}–{clock(t, w['end'])}")
    return _join(t, [f"{weekly(t, day)} {_join(t, spans)}" for day, spans in by_day.items()])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fields(change: ChangeLike) -> Mapping[str, Any]:
    return change if isinstance(change, Mapping) else change.model_dump(mode="json")


def _phrase(change: ChangeLike, names: ChangeNames, t: Lang) -> str:
    c = _fields(change)
    kind = c["kind"]
    if kind == "staff_availability":
        staff = names.staff.get(c["staff"], c["staff"])
        minutes = int(c.get("extra_minutes") or 0)
        if not c.get("add"):
            return t.gettext(MESSAGES["staff_minutes"], staff=staff, minutes=minutes)
        key = "staff_availability+minutes" if minutes else "staff_availability"
        return t.gettext(MESSAGES[key], staff=staff, when=when(t, c["add"]), minutes=minutes)
    if kind == "new_leader":
        key = "new_leader" if c.get("qualified", True) else "new_leader-unqualified"
        leader = t.gettext(
            MESSAGES[key],
            speaking=_join(t, [speaking(t, code) for code in c["languages"]]),
            when=when(t, c["available"]),
            hub=names.hub(c["base_hub"]),
        )
        if c.get("skills"):
            skills = [t.gettext(THEMES[k]).lower() if k in THEMES else k for k in c["skills"]]
            return t.gettext(MESSAGES["skills"], leader=leader, skills=_join(t, skills))
        return leader
    if kind == "room_opened":
        room = names.room(c["hub"], c["room"])
        return t.gettext(MESSAGES["room_opened"], room=room, hub=names.hub(c["hub"]), when=when(t, c["add"]))
    if kind == "new_room":
        key = "new_room+accessible" if c.get("accessible") else "new_room"
        return t.gettext(
            MESSAGES[key], capacity=int(c["capacity"]), hub=names.hub(c["hub"]), when=when(t, c["available"])
        )
    if kind == "template_language":
        template = names.template(c["template"], t.code)
        return t.gettext(MESSAGES["template_language"], template=template, language=in_language(t, c["language"]))
    if kind == "client_travel":
        return t.gettext(MESSAGES["client_travel"], client=c["client"], minutes=int(c["max_travel_minutes"]))
    if kind == "client_remote":
        return t.gettext(MESSAGES["client_remote"], client=c["client"])
    if kind == "closure_lifted":
        return t.gettext(MESSAGES["closure_lifted"], date=t.short_date(dt.date.fromisoformat(str(c["date"]))))
    raise ValueError(f"unknown change kind {kind!r}")


def describe_change(change: ChangeLike, names: ChangeNames, lang: str | Lang) -> str:
    """A change as a coordinator says it, in the language, as a line of its own (capitalised)."""
    t = lang if isinstance(lang, Lang) else Lang(lang)
    return _capital(_phrase(change, names, t))


def advice_sentence(item: _Item, names: ChangeNames, lang: str | Lang) -> str:
    """An advice item as one sentence: the change and the clients it would place."""
    t = lang if isinstance(lang, Lang) else Lang(lang)
    change = _phrase(item.change, names, t)
    n = item.placed_gain
    return _capital(
        t.ngettext("%(change)s would place %(num)d client", "%(change)s would place %(num)d clients", n, change=change)
    )
