"""Pinned groups must be kept as they are: say clearly which one cannot be, and why."""

from __future__ import annotations

from collections.abc import Mapping

from scheduler.contract import Client, Group, Problem, Staff, Window, minutes
from solver.params import PlanningError

__all__ = ["check_pinned"]


def check_pinned(problem: Problem) -> None:
    """Raise PlanningError naming every pinned group that can no longer run as published."""
    faults = []
    for group in problem.groups:
        if group.pinned:
            faults += [f"pinned group {group.id!r} cannot be kept: {why}" for why in _faults(problem, group)]
    if faults:
        raise PlanningError("\n".join(faults))


def _covers(windows: list[Window], day: str, start: int, end: int) -> bool:
    return any(w.day == day and minutes(w.start) <= start and end <= minutes(w.end) for w in windows)


def _faults(problem: Problem, group: Group) -> list[str]:
    template = next(t for t in problem.templates if t.id == group.template)
    start, end = minutes(group.start), minutes(group.end)
    when = f"{group.day} {group.start}-{group.end}"
    faults = []
    if group.modality != template.modality:
        faults.append(f"group model {template.id!r} is now {template.modality}")
    if group.language not in template.languages:
        faults.append(f"group model {template.id!r} no longer runs in {group.language!r}")
    if end - start != template.duration_minutes:
        faults.append(f"group model {template.id!r} now lasts {template.duration_minutes} min")
    if not group.leaders:
        faults.append("it has no leader")
    people: list[tuple[str, Mapping[str, Staff | Client], list[str]]] = [
        ("leader", {s.id: s for s in problem.staff}, group.leaders),
        ("participant", {c.id: c for c in problem.clients}, group.participants),
    ]
    for role, known, ids in people:
        for person_id in ids:
            person = known[person_id]
            if not _covers(person.available, group.day, start, end):
                faults.append(f"{role} {person_id!r} is not available {when}")
            if group.language not in person.languages:
                faults.append(f"{role} {person_id!r} does not speak {group.language!r}")
    if group.hub is not None and group.room is not None:
        hub = next(h for h in problem.hubs if h.id == group.hub)
        room = next(r for r in hub.rooms if r.id == group.room)
        if not _covers(room.available, group.day, start, end):
            faults.append(f"room {room.id!r} is not available {when}")
        if len(group.participants) + len(group.leaders) > room.capacity:
            faults.append(f"room {room.id!r} holds only {room.capacity}")
    return faults
