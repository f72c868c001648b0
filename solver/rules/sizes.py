"""Rules about group size (H3): an open group has its template's number of participants.

The largest size (never above LARGEST_GROUP, nor the room's places less a leader) is
the candidate's capacity, set when the candidates are generated.
"""

from __future__ import annotations

from scheduler.contract.rules import SMALLEST_GROUP
from solver.variables import Vars

__all__ = ["group_not_too_large", "group_not_too_small"]


def group_not_too_large(v: Vars, g: int) -> None:
    """An open group has at most its capacity of participants; a closed group has none."""
    v.model.add(v.size(g) <= v.cand(g).capacity * v.open[g])


def group_not_too_small(v: Vars, g: int) -> None:
    """An open group has at least min_size participants (a pinned group may run below it)."""
    cand = v.cand(g)
    if not cand.pinned:
        v.model.add(v.size(g) >= max(SMALLEST_GROUP, cand.template.min_size) * v.open[g])
