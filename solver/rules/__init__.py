"""One module per rule family; each function adds one rule part's constraints to the model.

A function is named by the key of the rule part it holds (`scheduler.contract.rules`):
sizes (H3), rooms (H4), leaders (H5, and H6 the leaders' week), travel (H6 between
hubs), clients (H7), pinned (H9). The parts a client's or leader's fit decides
(languages, interests, audience, travel, access, availability, remote, the start grid
and duration) are settled when the candidates are generated (solver/candidates.py);
H1 and H10 hold by construction of the plan. The order below is the model's
constraint order: keep it, it steers the search.
"""

from __future__ import annotations

from solver.rules import clients, leaders, pinned, rooms, sizes, travel
from solver.variables import Vars

__all__ = ["add_all"]


def add_all(v: Vars) -> None:
    """Every hard constraint of the contract (H2–H9; H1 and H10 hold by construction)."""
    clients.add(v)
    pinned.pinned_participants_stay(v)
    for g in v.candidates:
        sizes.group_not_too_large(v, g)
        sizes.group_not_too_small(v, g)
        leaders.five_need_two_leaders(v, g)
        rooms.room_fits_everyone(v, g)
    for g in v.candidates:
        leaders.leads_only_open_groups(v, g)
        leaders.has_a_leader(v, g)
        leaders.at_most_two_leaders(v, g)
        leaders.one_qualified_leader(v, g)
        leaders.skills_covered(v, g)
        pinned.pinned_group_unchanged(v, g)
    for s in v.groups_of_leader:
        leaders.leader_weekly_minutes(v, s)
        leaders.leader_one_session_at_a_time(v, s)
    rooms.one_session_per_room(v)
    for s in v.groups_of_leader:
        travel.leader_travel_time(v, s)
