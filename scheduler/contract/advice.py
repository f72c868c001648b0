"""Advice and what-if results (schema tarjotin.advice/1): what a change would place, verified by planning.

A what-if plan keeps every group of the plan it starts from as it is (leaders, room,
time, participants) and plans the clients left out again with the changes made
(`scheduler.services.advice`). Its `WhatIfDiff` says what the changes bring against the
same re-plan without them: the clients placed (ids, and counts by municipality and
language), the groups opened, the staff minutes and driving. Advice is a ranked list of
single changes, each with its diff; `placed_gain` is the clients it places.

Ids of clients appear here as they do in a plan: the file is the coordinator's, never public.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from scheduler.contract.base import Contract, Id
from scheduler.contract.problem import Group
from scheduler.contract.whatif import Change

__all__ = ["ADVICE_SCHEMA", "NO_ADVICE", "Advice", "AdviceItem", "PlacedCount", "WhatIfDiff"]

ADVICE_SCHEMA = "tarjotin.advice/1"

NO_ADVICE: dict[str, str] = {
    "nobody_unplaced": "every client who can be planned is placed: there is nothing to gain",
    "not_addressable": "the clients left out wait for reasons no resource change reaches "
    "(no decision in force, no group model on their interests or for their audience)",
    "no_gain": "no candidate change placed anyone when planned with it",
    "stopped": "advice was stopped before any change was verified",
}
"""Why advice is empty, by code."""


class PlacedCount(Contract):
    """Clients newly placed in one municipality (that of the hub nearest their home) and language."""

    municipality: str
    language: str
    clients: int


class WhatIfDiff(Contract):
    """A what-if plan against the same re-plan without the changes."""

    placed_before: int
    placed_after: int
    placed_gain: int
    placed: list[Id] = Field(default_factory=list, description="clients placed with the changes and not without")
    unplaced: list[Id] = Field(default_factory=list, description="clients placed without the changes and not with")
    by_place: list[PlacedCount] = Field(default_factory=list)
    groups_opened: list[Group] = Field(default_factory=list, description="groups of the what-if plan not in the other")
    groups_dropped: list[Group] = Field(default_factory=list, description="groups of the other plan not in the what-if")
    staff_minutes_before: int = 0
    staff_minutes_after: int = 0
    driving_minutes_before: int = 0
    driving_minutes_after: int = 0

    @property
    def staff_minutes_gain(self) -> int:
        return self.staff_minutes_after - self.staff_minutes_before


class AdviceItem(Contract):
    """One single change and what planning with it brought."""

    change: Change
    placed_gain: int
    bound: int = Field(description="the screen's upper bound on the clients the change could place")
    cost_hours: float = Field(description="staff hours the new groups take, plus ROOM_HOURS per room opened or added")
    score: float = Field(description="placed_gain per (1 + cost_hours): the ranking")
    diff: WhatIfDiff


class Advice(Contract):
    """The best single changes found, best first, and how the search went."""

    schema_: Literal["tarjotin.advice/1"] = Field(alias="schema", default="tarjotin.advice/1")
    status: Literal["running", "complete", "stopped"] = Field(
        default="complete", description="running: the best found so far; stopped: by hand or by the time limit"
    )
    base_placed: int = Field(description="clients placed by the re-plan without any change")
    unplaced: int = Field(description="clients the plan leaves out")
    candidates: int = Field(description="candidate changes drawn from the reasons and the shortage")
    screened_out: int = Field(description="candidates whose bound showed they could place nobody (not re-planned)")
    pruned: int = Field(default=0, description="candidates whose bound could not beat the advice already found")
    replanned: int = Field(description="candidates verified by planning with them")
    items: list[AdviceItem] = Field(default_factory=list)
    none_why: str | None = Field(default=None, description="why there is no advice (a key of NO_ADVICE)")
    seconds: float = 0.0
