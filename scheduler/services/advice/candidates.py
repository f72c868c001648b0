"""Candidate changes: drawn from the unplaced clients' reasons and from where capacity is short.

From a client's own reason:

- `language`: each group model on their interests and audience also run in a language they speak;
- `remote`: the client consents to take part remotely;
- `travel`: the client's travel limit raised to reach the nearest hub with a group model for them.

From where capacity is short: the unplaced clients whose reason is a resource (`capacity`,
`leaders`, `availability`, `accessibility`) are gathered into *wishes*: the hub, weekday and
language of a session they could come to on their own account (their interests, audience,
language, travel limit, accessibility need and weekly windows; not the rooms or leaders).
The wishes most clients share (`CLUSTERS` of them) each give:

- a new qualified leader speaking the language, based at the hub, free that day;
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
    """A hub (None: remote), weekday and language an unplaced client could meet in, on their own account."""

    hub: str
    day: str
    language: str


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
                            span = found[Wish(hub.id, w.day, language)].get(client.id, (w.start_min, w.end_min))
                            found[Wish(hub.id, w.day, language)][client.id] = (
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
        self.led = staff_minutes_by_leader(plan)
        self.found: dict[str, Change] = {}

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

    def shortage(self, wish: Wish, spans: dict[str, tuple[int, int]]) -> None:
        """The resource changes a wish shared by several clients asks for."""
        clients = [self.clients[c] for c in sorted(spans)]
        templates = [
            t for t in self.problem.templates if any(_fits(c, t) for c in clients) and wish.language in t.languages
        ]
        if not templates:
            return
        start = min(s for s, _ in spans.values())
        end = max(e for _, e in spans.values())
        longest = max(t.duration_minutes for t in templates)
        if end - start < longest:
            return
        day = _window(wish.day, start, end)
        skills = sorted({k for t in templates for k in t.required_skills})
        size = max(t.max_size for t in templates)
        accessible = any(c.needs_accessible for c in clients)
        # two leaders lead a group of more than ONE_LEADER_UP_TO: the new leader may need to be the second
        sessions = 2 if len(clients) > ONE_LEADER_UP_TO else 1
        self.add(
            NewLeader(
                languages=[wish.language],
                qualified=True,
                skills=skills,
                base_hub=wish.hub,
                available=[day],
                max_weekly_minutes=sessions * longest,
            )
        )
        self._existing_leader(wish, day, longest)
        hub = next(h for h in self.problem.hubs if h.id == wish.hub)
        for room in hub.rooms:
            if accessible and not room.accessible:
                continue
            if not any(w.day == wish.day and w.start_min <= start and end <= w.end_min for w in room.available):
                self.add(RoomOpened(hub=hub.id, room=room.id, add=[day]))
        self.add(NewRoom(hub=hub.id, capacity=size, accessible=accessible, available=[day]))

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
    short = wishes(problem, [c for c in waiting if codes[c.id] & RESOURCE])
    shared = sorted(short.items(), key=lambda item: (-len(item[1]), item[0]))
    for wish, spans in shared[:clusters]:
        propose.shortage(wish, spans)
    return list(propose.found.values())


def addressable(plan: Plan) -> list[str]:
    """The clients left out for a reason some change could reach."""
    return sorted(c for c, found in _codes(plan).items() if found & ADDRESSABLE)
