"""The decision variables, keyed by domain indices: open[group], join[client, group], lead[staff, group]."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.candidates import Candidate, Instance

__all__ = ["Vars"]


class Vars:
    """CP-SAT variables of one area's model with helpers to walk them by person or group."""

    def __init__(self, inst: Instance, candidates: list[int]) -> None:
        self.inst = inst
        self.model = cp_model.CpModel()
        self.candidates = candidates
        self.open: dict[int, cp_model.IntVar] = {}
        self.join: dict[tuple[int, int], cp_model.IntVar] = {}
        self.lead: dict[tuple[int, int], cp_model.IntVar] = {}
        self.first: dict[tuple[int, int], cp_model.IntVar] = {}
        self.placed: dict[int, cp_model.IntVar] = {}
        self.large: list[tuple[cp_model.IntVar, int, int]] = []
        """The policy's 'group g has at least n participants' flags (`solver.objective`): (flag, g, n)."""
        self.groups_of_client: dict[int, list[int]] = defaultdict(list)
        self.groups_of_leader: dict[int, list[int]] = defaultdict(list)
        self.members: dict[int, list[int]] = defaultdict(list)
        self.leaders: dict[int, list[int]] = defaultdict(list)
        for g in candidates:
            self._add_group(g, inst.candidates[g])

    def _add_group(self, g: int, cand: Candidate) -> None:
        model = self.model
        self.open[g] = model.new_bool_var(f"open[{cand.key}]")
        if cand.pinned:  # pinned_group_kept
            model.add(self.open[g] == 1)
        for c in self.inst.members(cand.clients):
            self.join[c, g] = model.new_bool_var(f"join[{self.inst.clients[c].id},{cand.key}]")
            self.groups_of_client[c].append(g)
            self.members[g].append(c)
        for s in self.inst.members(cand.leaders):
            self.lead[s, g] = model.new_bool_var(f"lead[{self.inst.staff[s].id},{cand.key}]")
            self.groups_of_leader[s].append(g)
            self.leaders[g].append(s)

    def size(self, g: int) -> cp_model.LinearExpr | int:
        """Number of participants of a group."""
        return sum(self.join[c, g] for c in self.members[g])

    def leader_count(self, g: int) -> cp_model.LinearExpr | int:
        """Number of leaders of a group."""
        return sum(self.lead[s, g] for s in self.leaders[g])

    def cand(self, g: int) -> Candidate:
        return self.inst.candidates[g]

    def by_day(self, groups: list[int]) -> dict[str, list[int]]:
        """These candidates grouped by weekday (overlaps and travel only matter within a day)."""
        days: dict[str, list[int]] = {}
        for g in groups:
            days.setdefault(self.cand(g).day, []).append(g)
        return days
