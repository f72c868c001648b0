"""Rules about staff travel (H6): two sessions of a leader on one day leave the car time between hubs.

For a later session at hub B starting at t, every earlier session at another hub A
that ends less than travel(A, B) before t conflicts with it. Those earlier sessions
end within two hours of each other and last at least two hours (SHORTEST_SESSION), so
they overlap one another: the whole set, with the sessions at B starting at t, is a
clique and takes one at-most-one constraint instead of a constraint per pair. Pairs
further apart than two hours (travel over two hours) get one constraint each.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.contract.rules import SHORTEST_SESSION
from solver.variables import Vars

__all__ = ["leader_travel_time"]

CLIQUE_MINUTES = SHORTEST_SESSION


def leader_travel_time(v: Vars, s: int) -> None:
    """A leader has the car travel time between the hubs of two sessions on the same day."""
    hub_minutes = v.inst.travel.hub
    for groups in v.by_day(v.groups_of_leader[s]).values():
        where = {g: v.inst.leader_hub(s, v.cand(g)) for g in groups}
        if len(set(where.values())) < 2:
            continue
        later: dict[tuple[str, int], list[int]] = defaultdict(list)
        for g in groups:
            later[where[g], v.cand(g).start].append(g)
        for (hub, begin), starting in sorted(later.items()):
            near: list[int] = []
            far: list[int] = []
            for g in groups:
                gap = begin - v.cand(g).end
                if where[g] != hub and 0 <= gap < hub_minutes(where[g], hub):
                    (near if gap < CLIQUE_MINUTES else far).append(g)
            if near:
                v.model.add_at_most_one([v.lead[s, g] for g in starting + near])
            for g in far:
                for h in starting:
                    v.model.add_bool_or([v.lead[s, g].negated(), v.lead[s, h].negated()])
