"""What-if plans: plan the clients left out again with changes made, every group of the plan kept.

`fixed_problem` pins every group of the plan it starts from (running and new alike:
leaders, room, time and participants stay), so a re-plan can only seat the clients
left out, in those groups' free seats or in groups it opens. `plan_whatif` plans that
problem with the changes made (`scheduler.contract.whatif.apply_changes`), and
`compare` says what the changes brought against the same re-plan without them: the
same solver, time limit and seed on the same fixed groups, so the difference is the
change's, not the search's luck in starting over.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import solver
from scheduler.contract import Group, Plan, Problem, minutes
from scheduler.contract.advice import PlacedCount, WhatIfDiff
from scheduler.contract.whatif import Change, apply_changes
from scheduler.services.advice.places import Municipalities

__all__ = ["compare", "fixed_problem", "plan_whatif", "placed_ids", "staff_minutes", "staff_minutes_by_leader"]


def fixed_problem(problem: Problem, plan: Plan) -> Problem:
    """The problem with every group of the plan pinned as it is (its running groups replaced by the plan's).

    Pop-ups are left out (they seat nobody) and none are planned: advice is about seats."""
    popups = {t.id for t in problem.templates if t.popup}
    groups = [g.model_copy(update={"pinned": True}) for g in plan.groups if g.template not in popups]
    return problem.model_copy(update={"groups": groups, "popup_slots": 0})


def plan_whatif(fixed: Problem, changes: Sequence[Change], params: solver.SolveParams) -> Plan:
    """The re-plan of a fixed problem (`fixed_problem`) with the changes made."""
    return solver.solve(apply_changes(fixed, changes), params)


def placed_ids(plan: Plan) -> set[str]:
    return {c for g in plan.groups for c in g.participants}


def staff_minutes(plan: Plan) -> int:
    """Minutes the leaders lead in the plan's week (a two-leader group counts twice)."""
    return sum((minutes(g.end) - minutes(g.start)) * len(g.leaders) for g in plan.groups)


def staff_minutes_by_leader(plan: Plan) -> dict[str, int]:
    """Minutes each leader leads in the plan's week."""
    led: Counter[str] = Counter()
    for g in plan.groups:
        for leader in g.leaders:
            led[leader] += minutes(g.end) - minutes(g.start)
    return dict(led)


def _key(group: Group) -> tuple[object, ...]:
    return (group.template, group.hub, group.room, group.language, group.day, group.start, tuple(sorted(group.leaders)))


def compare(problem: Problem, before: Plan, after: Plan) -> WhatIfDiff:
    """What `after` (the what-if plan) brings against `before` (the re-plan without the changes)."""
    was, now = placed_ids(before), placed_ids(after)
    gained = sorted(now - was)
    language = {c: g.language for g in after.groups for c in g.participants}
    places = Municipalities(problem)
    by_place = Counter((places.of_client(c), language[c]) for c in gained)
    old = {_key(g) for g in before.groups}
    new = {_key(g) for g in after.groups}
    return WhatIfDiff(
        placed_before=len(was),
        placed_after=len(now),
        placed_gain=len(now) - len(was),
        placed=gained,
        unplaced=sorted(was - now),
        by_place=[PlacedCount(municipality=m, language=lang, clients=n) for (m, lang), n in sorted(by_place.items())],
        groups_opened=[g for g in after.groups if _key(g) not in old],
        groups_dropped=[g for g in before.groups if _key(g) not in new],
        staff_minutes_before=staff_minutes(before),
        staff_minutes_after=staff_minutes(after),
        driving_minutes_before=before.metrics.staff_travel_minutes or 0,
        driving_minutes_after=after.metrics.staff_travel_minutes or 0,
    )
