"""Split the candidates into areas that share no client, leader or room.

Travel limits keep clients near home and leaders near their base, so a county often
falls apart into areas that can be solved one by one without losing the optimum.
"""

from __future__ import annotations

from solver.candidates import Instance

__all__ = ["areas", "components"]


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


def components(inst: Instance, indices: list[int]) -> list[list[int]]:
    """The same partition as `areas`, found on the people masks directly: fast on every candidate.

    Components stay disjoint, so a candidate whose clients and leaders lie within the
    components it already met needs no further look; only a candidate that bridges
    components scans them, and each such scan ends in a merge.
    """
    found: dict[int, _Component] = {}
    room_owner: dict[str, int] = {}
    seen_clients = seen_staff = 0
    for g in indices:
        cand = inst.candidates[g]
        hits = list(dict.fromkeys(room_owner[r] for r in cand.rooms if r in room_owner))
        clients, staff = cand.clients & seen_clients, cand.leaders & seen_staff
        for h in hits:
            clients &= ~found[h].clients
            staff &= ~found[h].staff
        if clients or staff:
            for h, comp in found.items():
                if h not in hits and (comp.clients & clients or comp.staff & staff):
                    hits.append(h)
                    clients &= ~comp.clients
                    staff &= ~comp.staff
                    if not clients and not staff:
                        break
        target = max(hits, key=lambda h: len(found[h].members)) if hits else g
        comp = found.setdefault(target, _Component())
        for h in hits:
            if h != target:
                other = found.pop(h)
                comp.absorb(other)
                room_owner.update(dict.fromkeys(other.rooms, target))
        comp.absorb(_Component(cand.clients, cand.leaders, set(cand.rooms), [g]))
        room_owner.update(dict.fromkeys(cand.rooms, target))
        seen_clients |= cand.clients
        seen_staff |= cand.leaders
    return sorted((sorted(comp.members) for comp in found.values()), key=lambda area: area[0])


class _Component:
    """Candidates connected so far, with the clients, leaders and rooms they hold."""

    def __init__(
        self, clients: int = 0, staff: int = 0, rooms: set[str] | None = None, members: list[int] | None = None
    ) -> None:
        self.clients, self.staff = clients, staff
        self.rooms: set[str] = rooms or set()
        self.members: list[int] = members or []

    def absorb(self, other: _Component) -> None:
        self.clients |= other.clients
        self.staff |= other.staff
        self.rooms |= other.rooms
        self.members += other.members
