"""Rules about clients (H7): how many groups a week, never two at once, only open groups.

Who may join which candidate at all (`language`, `interest`, `audience`, `travel`,
`accessibility`, `availability`, `remote`) is settled when the candidates are generated.
"""

from __future__ import annotations

from solver.variables import Vars

__all__ = ["add", "client_one_session_at_a_time", "groups_per_week", "joins_only_open_groups"]


def add(v: Vars) -> None:
    joins_only_open_groups(v)
    for c in v.groups_of_client:
        groups_per_week(v, c)
        client_one_session_at_a_time(v, c)


def joins_only_open_groups(v: Vars) -> None:
    """A client joins only a group that opens."""
    for (_, g), join in v.join.items():
        v.model.add(join <= v.open[g])


def groups_per_week(v: Vars, c: int) -> None:
    """A client is in at most max_groups_per_week groups."""
    limit = v.inst.clients[c].max_groups_per_week
    v.model.add(sum(v.join[c, g] for g in v.groups_of_client[c]) <= limit)


def client_one_session_at_a_time(v: Vars, c: int) -> None:
    """A client who may take more than one group is never in two at overlapping times."""
    if v.inst.clients[c].max_groups_per_week > 1:
        for day_groups in v.by_day(v.groups_of_client[c]).values():
            for point in {v.cand(g).start for g in day_groups}:
                at = [v.join[c, g] for g in day_groups if v.cand(g).start <= point < v.cand(g).end]
                if len(at) > 1:
                    v.model.add_at_most_one(at)
