"""Rules about pinned groups (H9): a running group is kept as it is.

A pinned group's candidate is the group itself, opened by force (`pinned_group_kept`,
solver/variables.py) at its own template, language, day, start, hub and room
(solver/candidates.py); here it keeps its leaders and participants.
"""

from __future__ import annotations

from solver.variables import Vars

__all__ = ["pinned_group_unchanged", "pinned_participants_stay"]


def pinned_group_unchanged(v: Vars, g: int) -> None:
    """A pinned group keeps every leader it has."""
    if v.cand(g).pinned:
        for s in v.leaders[g]:
            v.model.add(v.lead[s, g] == 1)


def pinned_participants_stay(v: Vars) -> None:
    """A pinned group keeps every participant it has."""
    for g in v.candidates:
        group = v.cand(g).group
        if group is not None and group.pinned:
            for client_id in group.participants:
                v.model.add(v.join[v.inst.client_index[client_id], g] == 1)
