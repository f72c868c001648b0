"""Candidate changes: drawn from the unplaced clients' reasons and from where capacity is short.

From a client's own reason:

- `language`: each group model on their interests and audience also run in a language they speak;
- `remote`: the client consents to take part remotely;
- `travel`: the client's travel limit raised to reach the nearest hub with a group model for them.

From where capacity is short: the unplaced clients whose reason is a resource (`capacity`,
`leaders`, `availability`, `accessibility`) are gathered into *wishes*: the group model, hub,
weekday and language of a session they could come to on their own account (their interests,
audience, language, travel limit, accessibility need and weekly windows; not the rooms or
leaders). A new group needs its model's minimum of clients, so a wish fewer share gives
nothing; the wishes most clients share (`CLUSTERS` of them) each give:

- a new qualified leader speaking the language, with the model's skills, based at the hub,
  free that day;
- an existing qualified leader speaking it, nearest the hub, free that day too (and for one
  session more a week, if their week is full);
- each room at the hub opened that day, if it is closed then; and a new room there that day.

Clients whose reason is `decision`, `interest`, `audience` or `closed` are out of reach of
any of these changes and give none. The candidates are unique and in a fixed order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from scheduler.contract import Client, Plan, Problem, Template, Window, hhmm
from scheduler.contract.rules import ONE_LEADER_UP_TO
from scheduler.contract.whatif import (
    Change,
    ClientRemote,
    ClientTravel,
    NewLeader,
    NewRoom,
    RoomOpened,
    StaffAvailability,
    TemplateLanguage,
)
from scheduler.services.advice.whatif import staff_minutes_by_leader
from solver.travel import TravelTimes

__all__ = ["ADDRESSABLE", "CLUSTERS", "Wish", "addressable", "candidate_changes", "wishes"]

ADDRESSABLE = frozenset({"capacity", "leaders", "availability", "accessibility", "language", "remote", "travel"})
"""Reason codes a change of resources (or of the client's own terms) can reach."""
RESOURCE = frozenset({"capacity", "leaders", "availability", "accessibility"})
CLUSTERS = 8
"""How many of the most shared wishes give resource changes (each gives up to five)."""
TRAVEL_STEP = 5
"""A raised travel limit is rounded up to this many minutes."""


@dataclass(frozen=True, order=True)
class Wish:
    """A group model, hub, weekday and language an unplaced client could meet in, on their own account."""

    hub: str
    day: str
    language: str
    template: str


def _codes(plan: Plan) -> dict[str, set[str]]:
    return {u.client: {r.code for r in u.reasons} for u in plan.unassigned}


def _fits(client: Client, template: Template) -> bool:
    return (
        template.theme in client.interests
        and not template.popup
        and (template.audience == "all" or template.audience in client.audiences)
    )


def wishes(problem: Problem, clients: Iterable[Client]) -> dict[Wish, dict[str, tuple[int, int]]]:
    """Each wish and, per client sharing it, the span (start, end minutes) of their window that day."""
    travel = TravelTimes(problem)
    found: dict[Wish, dict[str, tuple[int, int]]] = defaultdict(dict)
    for client in clients:
        templates = [t for t in problem.templates if _fits(client, t) and t.modality != "remote"]
        for hub in problem.hubs:
            if travel.client(client, hub.id) > client.max_travel_minutes:
                continue
            for t in templates:
                for language in sorted(set(t.languages) & set(client.languages)):
                    for w in client.available:
                        if w.end_min - w.start_min >= t.duration_minutes:
                            wish = Wish(hub.id, w.day, language, t.id)
                            span = found[wish].get(client.id, (w.start_min, w.end_min))
                            found[wish][client.id] = (
                                min(span[0], w.start_min),
                                max(span[1], w.end_min),
                            )
    return found


def _window(day: str, start: int, end: int) -> Window:
    return Window.model_validate({"day": day, "start": hhmm(start), "end": hhmm(end)})


class _Propose:
    def __init__(self, problem: Problem, plan: Plan) -> None:
        self.problem = problem
        self.plan = plan
        self.travel = TravelTimes(problem)
        self.clients = {c.id: c for c in problem.clients}
        self.templates = {t.id: t for t in problem.templates}
        self.led = staff_minutes_by_leader(plan)
        self.found: dict[str, Change] = {}
        self.spans: dict[Wish, dict[str, tuple[int, int]]] = {}

    def add(self, change: Change) -> None:
        self.found.setdefault(change.model_dump_json(), change)

    def own(self, client: Client, codes: set[str]) -> None:
        """The changes a client's own reason asks for."""
        fitting = [t for t in self.problem.templates if _fits(client, t)]
        if "language" in codes:
            for t in fitting:
                for language in client.languages:
                    if language not in t.languages:
                        self.add(TemplateLanguage(template=t.id, language=language))
        if "remote" in codes:
            self.add(ClientRemote(client=client.id))
        if "travel" in codes:
            in_person = [t for t in fitting if t.modality != "remote" and set(t.languages) & set(client.languages)]
            if in_person and self.problem.hubs:
                nearest = min(self.travel.client(client, h.id) for h in self.problem.hubs)
                limit = -(-nearest // TRAVEL_STEP) * TRAVEL_STEP
                if limit > client.max_travel_minutes:
                    self.add(ClientTravel(client=client.id, max_travel_minutes=min(limit, 600)))

    def sessions(self, wish: Wish, spans: dict[str, tuple[int, int]]) -> Window | None:
        """The day's span of a wish that enough clients share for a group of its model (else None)."""
        template = self.templates[wish.template]
        start = min(s for s, _ in spans.values())
        end = max(e for _, e in spans.values())
        if end - start < template.duration_minutes or len(spans) < template.min_size:
            return None
        return _window(wish.day, start, end)

    def shortage(self, wishes: list[tuple[Wish, Window, int]]) -> None:
        """The resource changes the wishes of one hub, weekday and language ask for (each: its span, its clients)."""
        first = wishes[0][0]
        templates = [self.templates[w.template] for w, _, _ in wishes]
        start = min(day.start_min for _, day, _ in wishes)
        end = max(day.end_min for _, day, _ in wishes)
        span = _window(first.day, start, end)
        # a session of each model; two leaders lead a group of more than ONE_LEADER_UP_TO, so the new one may be second
        minutes = sum(
            t.duration_minutes * (2 if n > ONE_LEADER_UP_TO else 1)
            for t, (_, _, n) in zip(templates, wishes, strict=True)
        )
        longest = max(t.duration_minutes for t in templates)
        self.add(
            NewLeader(
                languages=[first.language],
                qualified=True,
                skills=sorted({k for t in templates for k in t.required_skills}),
                base_hub=first.hub,
                available=[span],
                max_weekly_minutes=min(minutes, 40 * 60),
            )
        )
        self._existing_leader(first, span, longest)
        hub = next(h for h in self.problem.hubs if h.id == first.hub)
        accessible = any(self.clients[c].needs_accessible for wish, _, _ in wishes for c in self.spans[wish])
        for room in hub.rooms:
            if accessible and not room.accessible:
                continue
            if not any(w.day == span.day and w.start_min <= start and end <= w.end_min for w in room.available):
                self.add(RoomOpened(hub=hub.id, room=room.id, add=[span]))
        size = max(t.max_size for t in templates)
        self.add(NewRoom(hub=hub.id, capacity=size, accessible=accessible, available=[span]))

    def _existing_leader(self, wish: Wish, day: Window, longest: int) -> None:
        """The nearest qualified leader speaking the language who is not free all that span: free then too."""
        reach = self.problem.policy.leader_reach_minutes
        speakers = [
            s
            for s in self.problem.staff
            if s.qualified
            and wish.language in s.languages
            and (reach is None or self.travel.hub(s.base_hub, wish.hub) <= reach)
            and not any(
                w.day == day.day and w.start_min <= day.start_min and day.end_min <= w.end_min for w in s.available
            )
        ]
        if not speakers:
            return
        member = min(speakers, key=lambda s: (self.travel.hub(s.base_hub, wish.hub), s.id))
        full = self.led.get(member.id, 0) + longest > member.max_weekly_minutes
        self.add(StaffAvailability(staff=member.id, add=[day], extra_minutes=longest if full else 0))


def candidate_changes(problem: Problem, plan: Plan, clusters: int = CLUSTERS) -> list[Change]:
    """The candidate single changes for the clients the plan leaves out (see the module's doc)."""
    propose = _Propose(problem, plan)
    codes = _codes(plan)
    waiting = [propose.clients[c] for c in sorted(codes) if c in propose.clients and codes[c] & ADDRESSABLE]
    for client in waiting:
        propose.own(client, codes[client.id])
    propose.spans = wishes(problem, [c for c in waiting if codes[c.id] & RESOURCE])
    places: dict[tuple[str, str, str], list[tuple[Wish, Window, int]]] = {}
    for wish, spans in sorted(propose.spans.items(), key=lambda item: (-len(item[1]), item[0])):
        day = propose.sessions(wish, spans)
        if day is not None:
            places.setdefault((wish.hub, wish.day, wish.language), []).append((wish, day, len(spans)))
    for shared in list(places.values())[:clusters]:
        propose.shortage(shared)
    return list(propose.found.values())


def addressable(plan: Plan) -> list[str]:
    """The clients left out for a reason some change could reach."""
    return sorted(c for c, found in _codes(plan).items() if found & ADDRESSABLE)
