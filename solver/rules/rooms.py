"""Rules about rooms (H4): one room holds one session at a time.

A candidate books a room of a room type (alike rooms of one hub); at any moment a
type's sessions number at most its rooms, and rooms are numbered out after solving.
"""

from __future__ import annotations

from solver.variables import Vars

__all__ = ["add"]


def add(v: Vars) -> None:
    one_session_per_room(v)


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
