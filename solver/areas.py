"""Split the candidates into areas that share no client, leader or room.

Travel limits keep clients near home and leaders near their base, so a county often
falls apart into areas that can be solved one by one without losing the optimum.
"""

from __future__ import annotations

from solver.candidates import Instance

__all__ = ["areas"]


def areas(inst: Instance, active: list[int]) -> list[list[int]]:
    """Groups of candidate indices connected through a shared client, leader or room."""
    parent = {g: g for g in active}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, int | str], int] = {}
    for g in active:
        cand = inst.candidates[g]
        keys: list[tuple[str, int | str]] = [("c", c) for c in inst.members(cand.clients)]
        keys += [("s", s) for s in inst.members(cand.leaders)]
        keys += [("r", room) for room in cand.rooms]
        for key in keys:
            if key in owner:
                a, b = find(owner[key]), find(g)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[key] = g
    found: dict[int, list[int]] = {}
    for g in active:
        found.setdefault(find(g), []).append(g)
    return sorted(found.values(), key=lambda area: area[0])
