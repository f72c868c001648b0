"""Rules about rooms (H4): one room holds one session at a time."""

from __future__ import annotations

from ..variables import Vars

__all__ = ["add"]


def add(v: Vars) -> None:
    one_session_per_room(v)


def one_session_per_room(v: Vars) -> None:
    """One room holds one session at a time (a clique at every start point)."""
    by_room_day: dict[tuple[str, str], list[int]] = {}
    for g in v.candidates:
        cand = v.cand(g)
        if cand.room is not None:
            by_room_day.setdefault((cand.room, cand.day), []).append(g)
    for groups in by_room_day.values():
        for point in sorted({v.cand(g).start for g in groups}):
            at = [v.open[g] for g in groups if v.cand(g).start <= point < v.cand(g).end]
            if len(at) > 1:
                v.model.AddAtMostOne(at)
