"""What-if changes: a coordinator's hypothetical change to the resources, in the contract's terms.

A change never touches the stored data: `apply_changes` returns a new problem with the
changes made, and the what-if plan (`scheduler.services.advice.whatif`) is planned on that.
Each change has a `kind`:

| kind | what it changes |
|---|---|
| `staff_availability` | an existing staff member is free in more windows (and may work `extra_minutes` more a week) |
| `new_leader` | a hypothetical leader: languages, qualification, skills, base hub, windows, weekly minutes |
| `room_opened` | an existing room is open in more windows |
| `new_room` | a hypothetical room at an existing hub: capacity, accessibility, windows |
| `template_language` | a group model also runs in another language |
| `client_travel` | a client's travel limit (minutes) |
| `client_remote` | a client consents to take part remotely |
| `closure_lifted` | a closure day of the term is lifted |

An id a change names (staff, hub, room, group model, client, closure) must exist, and a
new leader's or room's id must not: `apply_changes` refuses otherwise with `Invalid`,
naming the field (`changes[0].staff`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from scheduler.contract.base import Contract, Id, Language, Text
from scheduler.contract.errors import FieldError, Invalid
from scheduler.contract.problem import Client, Hub, Problem, Room, Staff, Template
from scheduler.contract.times import Window, hhmm

__all__ = [
    "CHANGE_KINDS",
    "Change",
    "ClientRemote",
    "ClientTravel",
    "ClosureLifted",
    "NewLeader",
    "NewRoom",
    "RoomOpened",
    "StaffAvailability",
    "TemplateLanguage",
    "apply_changes",
    "merge_windows",
]

NEW_LEADER_ID = "whatif-leader"
NEW_ROOM_ID = "whatif-room"


class StaffAvailability(Contract):
    """An existing staff member is free in more windows, and may work `extra_minutes` more a week."""

    kind: Literal["staff_availability"] = "staff_availability"
    staff: Id
    add: list[Window] = Field(default_factory=list, description="windows added to the member's availability")
    extra_minutes: int = Field(default=0, ge=0, le=40 * 60, description="minutes added to max_weekly_minutes")


class NewLeader(Contract):
    """A hypothetical leader who does not exist yet."""

    kind: Literal["new_leader"] = "new_leader"
    id: Id = NEW_LEADER_ID
    languages: list[Language] = Field(min_length=1)
    qualified: bool = True
    skills: list[Text] = Field(default_factory=list)
    base_hub: Id
    available: list[Window] = Field(min_length=1)
    max_weekly_minutes: int = Field(ge=1, le=40 * 60)


class RoomOpened(Contract):
    """An existing room is open in more windows."""

    kind: Literal["room_opened"] = "room_opened"
    hub: Id
    room: Id
    add: list[Window] = Field(min_length=1)


class NewRoom(Contract):
    """A hypothetical room at an existing hub."""

    kind: Literal["new_room"] = "new_room"
    hub: Id
    id: Id = NEW_ROOM_ID
    capacity: int = Field(default=10, ge=1, le=500)
    accessible: bool = False
    available: list[Window] = Field(min_length=1)


class TemplateLanguage(Contract):
    """A group model also runs in another language."""

    kind: Literal["template_language"] = "template_language"
    template: Id
    language: Language


class ClientTravel(Contract):
    """A client's travel limit, in minutes each way."""

    kind: Literal["client_travel"] = "client_travel"
    client: Id
    max_travel_minutes: int = Field(ge=0, le=600)


class ClientRemote(Contract):
    """A client consents to take part remotely."""

    kind: Literal["client_remote"] = "client_remote"
    client: Id


class ClosureLifted(Contract):
    """A closure day of the term is lifted: sessions run that day."""

    kind: Literal["closure_lifted"] = "closure_lifted"
    date: date


Change = Annotated[
    StaffAvailability
    | NewLeader
    | RoomOpened
    | NewRoom
    | TemplateLanguage
    | ClientTravel
    | ClientRemote
    | ClosureLifted,
    Field(discriminator="kind"),
]
CHANGE_KINDS: tuple[str, ...] = (
    "staff_availability",
    "new_leader",
    "room_opened",
    "new_room",
    "template_language",
    "client_travel",
    "client_remote",
    "closure_lifted",
)


def merge_windows(windows: Sequence[Window], added: Sequence[Window]) -> list[Window]:
    """The windows with `added` joined in: overlapping or touching windows of a day become one."""
    by_day: dict[str, list[tuple[int, int]]] = {}
    for w in [*windows, *added]:
        by_day.setdefault(w.day, []).append((w.start_min, w.end_min))
    merged: list[Window] = []
    for day, spans in by_day.items():
        spans.sort()
        start, end = spans[0]
        for s, e in spans[1:]:
            if s <= end:
                end = max(end, e)
                continue
            merged.append(_window(day, start, end))
            start, end = s, e
        merged.append(_window(day, start, end))
    return merged


def _window(day: str, start: int, end: int) -> Window:
    return Window.model_validate({"day": day, "start": hhmm(start), "end": hhmm(end)})


class _Apply:
    """The problem's records by id, changed one change at a time; each fault named by its field."""

    def __init__(self, problem: Problem) -> None:
        self.staff: dict[str, Staff] = {s.id: s for s in problem.staff}
        self.hubs: dict[str, Hub] = {h.id: h for h in problem.hubs}
        self.templates: dict[str, Template] = {t.id: t for t in problem.templates}
        self.clients: dict[str, Client] = {c.id: c for c in problem.clients}
        self.closures = list(problem.closures)
        self.faults: list[FieldError] = []

    def fault(self, field: str, message: str) -> None:
        self.faults.append(FieldError(field, message))

    def known(self, field: str, value: str, records: dict[str, object], what: str) -> bool:
        if value in records:
            return True
        self.fault(field, f"no {what} {value!r} in the problem")
        return False

    def change(self, at: str, change: Change) -> None:
        match change:
            case StaffAvailability():
                if self.known(f"{at}.staff", change.staff, dict(self.staff), "staff member"):
                    member = self.staff[change.staff]
                    self.staff[member.id] = member.model_copy(
                        update={
                            "available": merge_windows(member.available, change.add),
                            "max_weekly_minutes": min(member.max_weekly_minutes + change.extra_minutes, 7 * 24 * 60),
                        }
                    )
            case NewLeader():
                if change.id in self.staff:
                    self.fault(f"{at}.id", f"staff member {change.id!r} exists already: give the new leader another id")
                elif self.known(f"{at}.base_hub", change.base_hub, dict(self.hubs), "hub"):
                    self.staff[change.id] = Staff(
                        id=change.id,
                        qualified=change.qualified,
                        languages=change.languages,
                        skills=change.skills,
                        base_hub=change.base_hub,
                        available=merge_windows([], change.available),
                        max_weekly_minutes=change.max_weekly_minutes,
                        county=self.hubs[change.base_hub].county,
                    )
            case RoomOpened():
                if self.known(f"{at}.hub", change.hub, dict(self.hubs), "hub"):
                    hub = self.hubs[change.hub]
                    rooms = {r.id: r for r in hub.rooms}
                    if self.known(f"{at}.room", change.room, dict(rooms), f"room at hub {hub.id!r}:"):
                        room = rooms[change.room]
                        opened = room.model_copy(update={"available": merge_windows(room.available, change.add)})
                        self._rooms(hub, [opened if r.id == room.id else r for r in hub.rooms])
            case NewRoom():
                if self.known(f"{at}.hub", change.hub, dict(self.hubs), "hub"):
                    hub = self.hubs[change.hub]
                    if any(r.id == change.id for r in hub.rooms):
                        self.fault(
                            f"{at}.id", f"hub {hub.id!r} has a room {change.id!r} already: give the new room another id"
                        )
                    else:
                        room = Room(
                            id=change.id,
                            capacity=change.capacity,
                            accessible=change.accessible,
                            available=merge_windows([], change.available),
                        )
                        self._rooms(hub, [*hub.rooms, room])
            case TemplateLanguage():
                if self.known(f"{at}.template", change.template, dict(self.templates), "group model"):
                    template = self.templates[change.template]
                    if change.language not in template.languages:
                        languages = [*template.languages, change.language]
                        self.templates[template.id] = template.model_copy(update={"languages": languages})
            case ClientTravel():
                if self.known(f"{at}.client", change.client, dict(self.clients), "client"):
                    client = self.clients[change.client]
                    self.clients[client.id] = client.model_copy(
                        update={"max_travel_minutes": change.max_travel_minutes}
                    )
            case ClientRemote():
                if self.known(f"{at}.client", change.client, dict(self.clients), "client"):
                    client = self.clients[change.client]
                    self.clients[client.id] = client.model_copy(update={"remote_ok": True})
            case ClosureLifted():
                if change.date in self.closures:
                    self.closures.remove(change.date)
                else:
                    self.fault(f"{at}.date", f"{change.date.isoformat()} is not a closure day of the term")

    def _rooms(self, hub: Hub, rooms: list[Room]) -> None:
        self.hubs[hub.id] = hub.model_copy(update={"rooms": rooms})


def apply_changes(problem: Problem, changes: Sequence[Change], field: str = "changes") -> Problem:
    """The problem with the changes made (the original untouched); `Invalid` naming every faulty change's field."""
    state = _Apply(problem)
    for index, change in enumerate(changes):
        state.change(f"{field}[{index}]", change)
    if state.faults:
        raise Invalid("; ".join(f"{f.field}: {f.message}" for f in state.faults), state.faults)
    return problem.model_copy(
        update={
            "staff": list(state.staff.values()),
            "hubs": list(state.hubs.values()),
            "templates": list(state.templates.values()),
            "clients": list(state.clients.values()),
            "closures": state.closures,
        }
    )
