"""Number out the rooms of a room type to the sessions that booked one of its rooms."""

from __future__ import annotations

from solver.candidates import Instance

__all__ = ["number_rooms"]


def number_rooms(inst: Instance, opened: list[int]) -> dict[int, str]:
    """A room for each open in-person candidate; earliest start takes the first free room.

    A type's sessions on one day are intervals never more than its rooms at once, so
    this greedy colouring always finds a room.
    """
    by_type: dict[tuple[tuple[str, ...], str], list[int]] = {}
    for g in opened:
        cand = inst.candidates[g]
        if cand.rooms:
            by_type.setdefault((cand.rooms, cand.day), []).append(g)
    assigned: dict[int, str] = {}
    for (rooms, _), groups in by_type.items():
        free_at = {room: 0 for room in rooms}
        for g in sorted(groups, key=lambda g: (inst.candidates[g].start, g)):
            cand = inst.candidates[g]
            room = next(r for r in rooms if free_at[r] <= cand.start)
            free_at[room] = cand.end
            assigned[g] = room
    return assigned
