"""One plan for the whole problem from the plans of its independent parts (`solver.split`).

The parts' groups and unplaced clients are put together as they are; the clients in no
part (no candidate group at all) are explained against the whole problem, as `solve`
explains them; then the pop-ups are placed once, around the leaders' time left over in
every part, as `build_plan` places them. The metrics are worked out on the merged groups;
the objective, its terms and bounds are the parts' sums (each part's are its areas' sums,
so they are what one solve reports), the gap is recomputed, and `solve_seconds` is the
parts' solve times added up plus the merge's: the work the plan cost, not the wall time of
parts solved side by side.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from typing import TYPE_CHECKING

from scheduler.contract import Plan, Problem, Unassigned
from solver.candidates import Limits, build_instance
from solver.counties import counties, county_group_ids
from solver.explain import Explainer
from solver.params import SolveParams
from solver.plan import AreaResult, area_detail, plan_metrics
from solver.popups import place_popups

if TYPE_CHECKING:
    from solver.split import Part

__all__ = ["PartsOverlap", "area_counts", "merge"]

_AREAS = re.compile(r"(\d+) area\(s\): (\d+) optimal, (\d+) kept the (?:greedy )?warm start")  # earlier plans: greedy


class PartsOverlap(ValueError):
    """The plans merged are not those of independent parts: a client, leader, room or group id is in two of
    them, or (given the parts) a plan is missing or is not its part's."""


def area_counts(detail: str | None) -> tuple[int, int, int]:
    """(areas, proved optimal, kept their warm start) from a plan's `status_detail`; one area if it says none."""
    found = _AREAS.search(detail or "")
    return (int(found[1]), int(found[2]), int(found[3])) if found else (1, 0, 0)


def merge(
    problem: Problem, plans: list[Plan], params: SolveParams | None = None, parts: list[Part] | None = None
) -> Plan:
    """The whole problem's plan from the plans of every part `split` made (in any order).

    A client in none of the plans is taken for one with no candidate group and explained
    against the whole problem, so a part's plan left out would be explained wrongly: given
    the parts (in the plans' order), each plan is checked to be its part's.
    """
    began = time.perf_counter()
    params = params or SolveParams()
    if len(counties(problem)) > 1:  # each county part placed its own pop-ups (`solver.counties`)
        problem = problem.model_copy(update={"popup_slots": 0})
        plans = county_group_ids(problem, plans)
    _check_apart(problem, plans)
    if parts is not None:
        _check_parts(plans, parts)
    inst = build_instance(problem, Limits.of(problem, params), new_groups=False)
    groups = sorted((group for plan in plans for group in plan.groups), key=lambda group: group.id)
    popups = place_popups(inst, groups)  # popup_slots
    groups = sorted(groups + popups, key=lambda group: group.id) if popups else groups
    placed = {p for group in groups for p in group.participants}
    listed = {entry.client: entry for plan in plans for entry in plan.unassigned}
    options: dict[int, list[str]] = defaultdict(list)
    for cand in inst.candidates:  # the input groups only: a client in none of the parts has no other
        for c in inst.members(cand.clients):
            options[c].append(cand.key)
    explain = Explainer(inst)
    unassigned = [
        listed.get(client.id) or Unassigned(client=client.id, reasons=explain(c, options.get(c, [])))
        for c, client in enumerate(inst.clients)
        if client.id not in placed
    ]
    counts = [area_counts(plan.metrics.status_detail) for plan in plans]
    results = [_as_result(plan) for plan, (areas, _, _) in zip(plans, counts, strict=True) if areas]
    seconds = sum(plan.metrics.solve_seconds or 0.0 for plan in plans) + time.perf_counter() - began
    metrics = plan_metrics(inst, groups, results, seconds)
    detail = area_detail(*(sum(count[i] for count in counts) for i in range(3)))
    metrics.status_detail = detail + (f"; {len(plans)} parts" if len(plans) > 1 else "")
    status = "optimal" if all(plan.status == "optimal" for plan in plans) else "feasible"
    return Plan(status=status, groups=groups, unassigned=unassigned, metrics=metrics)


def _as_result(plan: Plan) -> AreaResult:
    """A part's totals as one area's result, for the metrics' sums."""
    m = plan.metrics
    return AreaResult(
        plan.status,
        {},
        {},
        objective=m.objective or 0.0,
        bound=m.bound if m.bound is not None else m.objective or 0.0,
        terms=dict(m.objective_terms or {}),
        bounds=dict(m.bounds or {}),
    )


def _check_parts(plans: list[Plan], parts: list[Part]) -> None:
    """Refuse plans that are not those of these parts, one each."""
    if len(plans) != len(parts):
        raise PartsOverlap(f"{len(plans)} plans for {len(parts)} parts: every part's plan is needed")
    for n, (plan, part) in enumerate(zip(plans, parts, strict=True), start=1):
        clients = {p for group in plan.groups for p in group.participants} | {u.client for u in plan.unassigned}
        if clients != {client.id for client in part.problem.clients}:
            raise PartsOverlap(f"plan {n} does not account for the clients of part {n}, no more, no less")


def _check_apart(problem: Problem, plans: list[Plan]) -> None:
    """Refuse plans that share a client, a leader, a room or a group id, or name a client the problem lacks."""
    known = {client.id for client in problem.clients}
    owners: dict[tuple[str, str], int] = {}
    for part, plan in enumerate(plans):
        mine = {("group", group.id) for group in plan.groups}
        mine |= {("leader", s) for group in plan.groups for s in group.leaders}
        mine |= {("room", group.room) for group in plan.groups if group.room is not None}
        clients = {p for group in plan.groups for p in group.participants} | {u.client for u in plan.unassigned}
        unknown = sorted(clients - known)
        if unknown:
            raise PartsOverlap(f"part {part + 1} has clients the problem does not: {', '.join(unknown[:5])}")
        mine |= {("client", c) for c in clients}
        for key in sorted(mine):
            other = owners.setdefault(key, part)
            if other != part:
                raise PartsOverlap(f"{key[0]} {key[1]!r} is in parts {other + 1} and {part + 1}: they are not apart")
