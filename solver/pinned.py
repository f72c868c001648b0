"""Pinned groups must be kept as they are: say clearly which one cannot be, and why.

A pinned group keeps its leaders (H9), so its leaders must still meet the leader rule
(H5) and their own time (H6) as the problem now stands: a leader who left the staff, lost
their qualification or the group's language, a group of five or more left with one
leader, a skill the group model now requires that nobody covers. Each fault names the
group, says why in words and ends with the rule's key (`scheduler.contract.rules`). A
pinned group is exempt from the county's leader reach (`leader_within_reach`).
"""

from __future__ import annotations

from collections.abc import Mapping

from scheduler.contract import Client, Group, Problem, Staff, Template, Window, minutes
from scheduler.contract.rules import MAX_LEADERS, ONE_LEADER_UP_TO
from solver.params import PlanningError

__all__ = ["check_pinned", "pinned_faults"]


def check_pinned(problem: Problem) -> None:
    """Raise PlanningError naming every pinned group that can no longer run as published."""
    faults = pinned_faults(problem)
    if faults:
        raise PlanningError("\n".join(faults))


def pinned_faults(problem: Problem) -> list[str]:
    """Every reason a pinned group cannot be kept, a sentence each ending with the rule's key."""
    return [
        f"pinned group {group.id!r} cannot be kept: {why} (rule {key})"
        for group in problem.groups
        if group.pinned
        for key, why in _faults(problem, group)
    ]


def _covers(windows: list[Window], day: str, start: int, end: int) -> bool:
    return any(w.day == day and minutes(w.start) <= start and end <= minutes(w.end) for w in windows)


def _names(ids: list[str]) -> str:
    return ", ".join(repr(i) for i in ids)


def _faults(problem: Problem, group: Group) -> list[tuple[str, str]]:
    """(rule key, why) for each way the group breaks a rule it must keep."""
    template = next(t for t in problem.templates if t.id == group.template)
    start, end = minutes(group.start), minutes(group.end)
    when = f"{group.day} {group.start}-{group.end}"
    faults = []
    if group.modality != template.modality:
        faults.append(("modality_matches_template", f"group model {template.id!r} is now {template.modality}"))
    if group.language not in template.languages:
        faults.append(("template_offers_language", f"group model {template.id!r} no longer runs in {group.language!r}"))
    if end - start != template.duration_minutes:
        faults.append(("template_duration", f"group model {template.id!r} now lasts {template.duration_minutes} min"))
    faults += _leader_rule(problem, group, template)
    staff, clients = {s.id: s for s in problem.staff}, {c.id: c for c in problem.clients}
    people: list[tuple[str, Mapping[str, Staff | Client], list[str], tuple[str, str, str]]] = [
        ("leader", staff, group.leaders, ("leader_exists", "leader_available", "leader_speaks_language")),
        ("participant", clients, group.participants, ("client_exists", "availability", "language")),
    ]
    for role, known, ids, (exists, available, speaks) in people:
        for person_id in ids:
            person = known.get(person_id)
            if person is None:
                gone = "is no longer on the staff" if role == "leader" else "is no longer a client"
                faults.append((exists, f"{role} {person_id!r} {gone}"))
                continue
            if not _covers(person.available, group.day, start, end):
                faults.append((available, f"{role} {person_id!r} is not available {when}"))
            if group.language not in person.languages:
                faults.append((speaks, f"{role} {person_id!r} does not speak {group.language!r}"))
    if group.hub is not None and group.room is not None:
        hub = next(h for h in problem.hubs if h.id == group.hub)
        room = next(r for r in hub.rooms if r.id == group.room)
        if not _covers(room.available, group.day, start, end):
            faults.append(("room_available", f"room {room.id!r} is not available {when}"))
        if len(group.present) + len(group.leaders) > room.capacity:  # a hybrid group's remote ones stay home
            faults.append(("room_fits_everyone", f"room {room.id!r} holds only {room.capacity}"))
    return faults


def _leader_rule(problem: Problem, group: Group, template: Template) -> list[tuple[str, str]]:
    """H5 on the group's leaders as the staff now are: a leader, at most two, two for five or more,
    a qualified one, the group model's skills covered (leaders who left are named elsewhere)."""
    faults = []
    size, count = len(set(group.participants)), len(set(group.leaders))
    if not group.leaders:
        faults.append(("has_a_leader", "it has no leader"))
    elif count > MAX_LEADERS:
        faults.append(
            ("at_most_two_leaders", f"it has {count} leaders ({_names(group.leaders)}); a group has one or two")
        )
    if group.leaders and size > ONE_LEADER_UP_TO and count < MAX_LEADERS:
        faults.append(
            (
                "five_need_two_leaders",
                f"it has {size} participants and only one leader ({_names(group.leaders)}); "
                f"a group of more than {ONE_LEADER_UP_TO} needs two",
            )
        )
    staff = {s.id: s for s in problem.staff}
    team = [staff[i] for i in group.leaders if i in staff]
    if not team:
        return faults
    if not any(s.qualified for s in team):
        faults.append(
            (
                "one_qualified_leader",
                f"none of its leaders ({_names([s.id for s in team])}) is a qualified social welfare professional",
            )
        )
    covered = {skill for s in team for skill in s.skills}
    missing = [skill for skill in template.required_skills if skill not in covered]
    if missing:
        faults.append(
            (
                "skills_covered",
                f"its leaders ({_names([s.id for s in team])}) lack {_names(missing)}, "
                f"required by group model {template.id!r}",
            )
        )
    return faults
