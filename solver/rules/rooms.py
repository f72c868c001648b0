"""Rules about rooms (H4): everyone fits in the room, one room holds one session at a time.

A candidate books a room of a room type (alike rooms of one hub); at any moment a
type's sessions number at most its rooms, and rooms are numbered out after solving.
Which rooms a candidate may book at all (`room_available`, `accessibility`) is settled
when the candidates are generated.
"""

from __future__ import annotations

from scheduler.contract.rules import MAX_LEADERS
from solver.variables import Vars

__all__ = ["one_session_per_room", "room_fits_everyone"]


def room_fits_everyone(v: Vars, g: int) -> None:
    """Participants and leaders fit in the room.

    A hybrid group's room counts those present only: a client who may join from home
    (`remote_ok`) takes no place in it, whether they reach the room or not, since the plan
    seats those who reach it in the room only while it has places (`solver.plan`); the
    others must come, so they and the leaders fit in the room.
    """
    cand = v.cand(g)
    if cand.home:
        coming = [v.join[c, g] for c in v.members[g] if not cand.home >> c & 1]
        if cand.room_capacity < len(coming) + MAX_LEADERS:
            v.model.add(sum(coming) + v.leader_count(g) <= cand.room_capacity)
    elif cand.rooms and cand.room_capacity < cand.capacity + MAX_LEADERS:
        v.model.add(v.size(g) + v.leader_count(g) <= cand.room_capacity)


def one_session_per_room(v: Vars) -> None:
    """One room holds one session at a time (checked at every start point)."""
    by_type_day: dict[tuple[tuple[str, ...], str], list[int]] = {}
    for g in v.candidates:
        cand = v.cand(g)
        if cand.rooms:
            by_type_day.setdefault((cand.rooms, cand.day), []).append(g)
    for (rooms, _), groups in by_type_day.items():
        for point in sorted({v.cand(g).start for g in groups}):
            at = [v.open[g] for g in groups if v.cand(g).start <= point < v.cand(g).end]
            if len(at) > len(rooms):
                if len(rooms) == 1:
                    v.model.add_at_most_one(at)
                else:
                    v.model.add(sum(at) <= len(rooms))
