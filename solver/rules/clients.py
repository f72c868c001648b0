"""Rules about clients (H7): how many groups a week, never two at once, only open groups.

Who may join which candidate at all (language, theme, audience, travel, access,
availability, remote) is settled when the candidates are generated.
"""

from __future__ import annotations

from solver.variables import Vars

__all__ = ["add"]


def add(v: Vars) -> None:
    joins_only_open_groups(v)
    groups_per_week(v)
    pinned_participants_stay(v)


def joins_only_open_groups(v: Vars) -> None:
    """A client joins only a group that opens."""
    for (c, g), join in v.join.items():
        v.model.add(join <= v.open[g])


def groups_per_week(v: Vars) -> None:
    """A client is in at most max_groups_per_week groups, never two at overlapping times."""
    for c, groups in v.groups_of_client.items():
        limit = v.inst.clients[c].max_groups_per_week
        v.model.add(sum(v.join[c, g] for g in groups) <= limit)
        if limit > 1:
            for day_groups in v.by_day(groups).values():
                for point in {v.cand(g).start for g in day_groups}:
                    at = [v.join[c, g] for g in day_groups if v.cand(g).start <= point < v.cand(g).end]
                    if len(at) > 1:
                        v.model.add_at_most_one(at)


def pinned_participants_stay(v: Vars) -> None:
    """A pinned group keeps every participant it has."""
    for g in v.candidates:
        group = v.cand(g).group
        if group is not None and group.pinned:
            for client_id in group.participants:
                v.model.add(v.join[v.inst.client_index[client_id], g] == 1)

