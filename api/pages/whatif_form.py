"""The what-if form: a change kind and the fields it needs, made into a `Change`; each bad field named.

The page sends flat text fields (staff, hub, room, template, client, languages, qualified, day,
start, end, extra minutes, weekly minutes, capacity, accessible, travel minutes, date); `change_of`
builds the contract's change of the chosen kind from the ones that kind uses, and the contract
checks it. A fault, from the contract's validation or from `AdviceJobs.create_whatif` (an id not in
the run's problem: `changes[0].staff`), is said as the form's field in the page's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import TypeAdapter, ValidationError

from api.pages.i18n import N_
from scheduler.contract.whatif import CHANGE_KINDS, Change

__all__ = ["FIELDS", "KINDS", "KIND_FIELDS", "FormFault", "change_of", "fields_of_error"]

CHANGE: TypeAdapter[Change] = TypeAdapter(Change)

KINDS = {
    "staff_availability": N_("A staff member free at more times"),
    "new_leader": N_("A new leader"),
    "room_opened": N_("A room open at more times"),
    "new_room": N_("A new room at a hub"),
    "template_language": N_("A group model in another language"),
    "client_travel": N_("A client's travel limit"),
    "client_remote": N_("A client takes part remotely"),
    "closure_lifted": N_("A closure day lifted"),
}
"""Each change kind as the form's select names it (the contract's `CHANGE_KINDS`)."""
assert tuple(KINDS) == CHANGE_KINDS

KIND_FIELDS = {
    "staff_availability": ("staff", "day", "start", "end", "extra_minutes"),
    "new_leader": ("languages", "qualified", "hub", "day", "start", "end", "weekly_minutes"),
    "room_opened": ("room", "day", "start", "end"),
    "new_room": ("hub", "capacity", "accessible", "day", "start", "end"),
    "template_language": ("template", "languages"),
    "client_travel": ("client", "travel_minutes"),
    "client_remote": ("client",),
    "closure_lifted": ("date",),
}
"""The form's fields each kind uses."""

FIELDS = {
    "name": N_("Name: give the what-if a name, at most 200 characters, that no other what-if has."),
    "run": N_("Planning run: choose a run that has a plan."),
    "kind": N_("Change: choose one of the kinds listed."),
    "staff": N_("Staff member: choose one of the staff listed."),
    "hub": N_("Hub: choose one of the hubs listed."),
    "room": N_("Room: choose one of the rooms listed."),
    "template": N_("Group model: choose one of the group models listed."),
    "client": N_("Client: give the id of a client waiting in the run's plan, such as c0012."),
    "languages": N_("Languages: give language codes separated by semicolons, such as sv or fi;sv."),
    "day": N_("Weekday: choose a day."),
    "start": N_("Start: give a time such as 09:00, before the end."),
    "end": N_("End: give a time such as 15:00, after the start."),
    "extra_minutes": N_("More minutes a week: give a whole number from 0 to 2400."),
    "weekly_minutes": N_("Minutes a week: give a whole number from 1 to 2400."),
    "capacity": N_("Seats: give a whole number from 1 to 500."),
    "travel_minutes": N_("Travel limit: give whole minutes from 0 to 600."),
    "date": N_("Date: choose a closure day of the term."),
}
"""What each form field needs, said when it is wrong."""

_CONTRACT_FIELDS = {
    "staff": "staff",
    "base_hub": "hub",
    "hub": "hub",
    "room": "room",
    "template": "template",
    "client": "client",
    "languages": "languages",
    "language": "languages",
    "qualified": "qualified",
    "extra_minutes": "extra_minutes",
    "max_weekly_minutes": "weekly_minutes",
    "capacity": "capacity",
    "accessible": "accessible",
    "max_travel_minutes": "travel_minutes",
    "date": "date",
    "id": "kind",
}
"""A change's field as the form's field."""
_WINDOW_PARTS = {"day": "day", "start": "start", "end": "end"}


class FormFault(Exception):
    """The form's fields that are wrong, by the form's names."""

    def __init__(self, fields: Iterable[str]) -> None:
        self.fields = sorted(set(fields))
        super().__init__(", ".join(self.fields))


def _minutes(text: str) -> int | None:
    found = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text)
    return int(found.group(1)) * 60 + int(found.group(2)) if found else None


def _window(values: Mapping[str, str]) -> list[dict[str, str]]:
    """The form's day, start and end as one window (an empty list when none of them is given)."""
    day, start, end = (values.get(k, "").strip() for k in ("day", "start", "end"))
    if not (day or start or end):
        return []
    return [{"day": day, "start": start.replace(".", ":"), "end": end.replace(".", ":")}]


def _languages(text: str) -> list[str]:
    return [code.strip().lower() for code in re.split(r"[;,\s]+", text) if code.strip()]


def change_of(kind: str, values: Mapping[str, str]) -> Change:
    """The change of the kind from the form's text fields; `FormFault` naming the fields that are wrong."""
    if kind not in KIND_FIELDS:
        raise FormFault(["kind"])
    v = {k: str(x).strip() for k, x in values.items()}
    data: dict[str, Any] = {"kind": kind}
    window = _window(v)
    numbers = {"extra_minutes", "weekly_minutes", "capacity", "travel_minutes"}
    bad = [f for f in KIND_FIELDS[kind] if f in numbers and v.get(f) and not v[f].isdigit()]
    if bad:
        raise FormFault(bad)
    match kind:
        case "staff_availability":
            data |= {"staff": v.get("staff", ""), "add": window, "extra_minutes": int(v.get("extra_minutes") or 0)}
            if not window and not data["extra_minutes"]:
                raise FormFault(["day", "extra_minutes"])
        case "new_leader":
            weekly = v.get("weekly_minutes") or ""
            if not weekly and window:
                start, end = _minutes(window[0]["start"]), _minutes(window[0]["end"])
                weekly = str(end - start) if start is not None and end is not None and end > start else ""
            data |= {
                "languages": _languages(v.get("languages", "")),
                "qualified": v.get("qualified") == "on",
                "base_hub": v.get("hub", ""),
                "available": window,
                "max_weekly_minutes": int(weekly) if weekly else 0,
            }
        case "room_opened":
            hub, _, room = v.get("room", "").partition("|")
            data |= {"hub": hub, "room": room, "add": window}
        case "new_room":
            data |= {
                "hub": v.get("hub", ""),
                "capacity": int(v.get("capacity") or 10),
                "accessible": v.get("accessible") == "on",
                "available": window,
            }
        case "template_language":
            languages = _languages(v.get("languages", ""))
            if len(languages) != 1:
                raise FormFault(["languages"])
            data |= {"template": v.get("template", ""), "language": languages[0]}
        case "client_travel":
            data |= {"client": v.get("client", ""), "max_travel_minutes": v.get("travel_minutes") or None}
        case "client_remote":
            data |= {"client": v.get("client", "")}
        case "closure_lifted":
            data |= {"date": v.get("date") or None}
    try:
        return CHANGE.validate_python(data)
    except ValidationError as error:
        raise FormFault(_form_field(kind, [str(p) for p in e["loc"]]) for e in error.errors()) from error


def _form_field(kind: str, loc: list[str]) -> str:
    """A validation error's place (`new_leader`, `available`, `0`, `start`) as the form's field."""
    parts = [p for p in loc if p != kind and not p.isdigit()]
    if parts and parts[0] in ("add", "available"):
        return _WINDOW_PARTS.get(parts[-1], "day") if len(parts) > 1 else "day"
    return _CONTRACT_FIELDS.get(parts[0], "kind") if parts else "kind"


def fields_of_error(fields: Iterable[str]) -> list[str]:
    """The form's fields of a service's faults (`changes[0].staff`, `name`, `changes`)."""
    found = set()
    for field in fields:
        last = field.rsplit(".", 1)[-1]
        if field == "name":
            found.add("name")
        elif last in ("add", "available"):
            found.add("day")
        else:
            found.add(_CONTRACT_FIELDS.get(last, "kind"))
    return sorted(found)
