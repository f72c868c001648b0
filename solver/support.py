"""The LP-support search: CP-SAT over the groups the whole model's linear relaxation opens at all.

Where leaders are scarce, an area's model holds a thousand candidate groups, and few of them
are in any good plan; CP-SAT's neighbourhoods spend most of their effort on the rest. The
whole model's linear relaxation (`solver.modelbound.relax`: HiGHS's interior point, worked
out beside `focus`) opens only about a tenth of them above a trace, and an interior point
opens every group some optimal LP solution opens. So after `focus`, CP-SAT searches the
model with every other candidate closed (the warm start's open groups and the pinned ones
stay, so its hint stands) with the rest of the area's effort. Before, a search of the whole
model after it had half that effort; given it instead, the restricted search scored higher
on all five regions tried (`solver.solve`).

The same relaxation's dual values give the area's `model` bound (`solver.modelbound`).
Deterministic: HiGHS runs one thread to convergence; an LP not back by its wall-clock
window (a safety net, as the search's own) leaves the search as it was without it.
"""

from __future__ import annotations

from solver.variables import Vars

__all__ = ["SUPPORT_LEVEL", "closed_outside"]

SUPPORT_LEVEL = 1e-3
"""A candidate the relaxation opens by at least this much is in the support."""


def closed_outside(v: Vars, relaxed: list[float], values: dict[int, int]) -> dict[int, int]:
    """The open variable of every candidate outside the relaxation's support, the warm start's open
    groups and the pinned ones, set to 0 (variable index -> value)."""
    return {
        var.index: 0
        for g, var in v.open.items()
        if relaxed[var.index] < SUPPORT_LEVEL and not values.get(var.index, 0) and not v.cand(g).pinned
    }
