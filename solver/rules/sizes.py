"""Rules about group size (H3, H4, H5): 3..10 participants, two leaders from five, room capacity."""

from __future__ import annotations

from solver.variables import Vars

__all__ = ["add"]

ONE_LEADER_MAX = 4


def add(v: Vars) -> None:
    for g in v.candidates:
        group_size(v, g)
        five_need_two_leaders(v, g)
        room_capacity(v, g)


def group_size(v: Vars, g: int) -> None:
    """An open group has min_size..max_size participants (a pinned group may run below the minimum)."""
    cand = v.cand(g)
    size = v.size(g)
    v.model.add(size <= cand.capacity * v.open[g])
    if not cand.pinned:
        v.model.add(size >= max(3, cand.template.min_size) * v.open[g])


def five_need_two_leaders(v: Vars, g: int) -> None:
    """A group of five or more has two leaders."""
    cand = v.cand(g)
    extra = cand.capacity - ONE_LEADER_MAX
    if extra > 0:
        second = v.leader_count(g) - v.open[g]
        v.model.add(v.size(g) <= ONE_LEADER_MAX * v.open[g] + extra * second)


def room_capacity(v: Vars, g: int) -> None:
    """Participants and leaders fit in the room."""
    cand = v.cand(g)
    if cand.rooms and cand.room_capacity < cand.capacity + 2:
        v.model.add(v.size(g) + v.leader_count(g) <= cand.room_capacity)
