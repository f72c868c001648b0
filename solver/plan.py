"""From the areas' searches to the Plan: groups with rooms and ids, reasons for the unplaced, metrics.

Some rule parts hold by how the plan is written (keys of `scheduler.contract.rules`):
H1 `group_ids_unique` (a candidate's id names its template, place, language, day and
start), `template_exists`, `modality_matches_template`, `remote_has_no_place`,
`in_person_has_hub`, `hub_exists`, `in_person_has_room`, `room_exists`,
`room_in_its_hub`, `leader_exists`, `client_exists` (everything comes from the problem);
`participants_distinct`, `leaders_distinct` and `times_readable`; and H10
`client_accounted_for`, `unassigned_not_placed`, `unassigned_listed_once`,
`unassigned_has_reason` (every client not placed is listed once, with reasons).

A group carries its own term (`group_term`: a new group's from `solver.terms`, an input
group's as given). A hybrid group lists who joins from home (`remote_participants_listed`:
a subset of its participants, and only a hybrid group has any): those who cannot reach
its room, those the input listed, and those who could come but find the room full;
the metrics count travel for those present only. The pop-up phase (`solver.popups`)
adds its sessions after the rostered groups; the plan's shape counts rostered groups only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.contract import Group, Plan, PlanMetrics, Unassigned, hhmm, plan_shape
from solver.arealps import AreaLPs
from solver.candidates import Candidate, Instance
from solver.explain import Explainer
from solver.popups import place_popups
from solver.rooms import number_rooms

__all__ = ["AreaResult", "area_detail", "build_plan", "plan_metrics"]


@dataclass
class AreaResult:
    """What the search of one area gave: its groups (candidate -> clients, leaders), objective and bound."""

    status: str
    members: dict[int, list[int]]
    leaders: dict[int, list[int]]
    objective: float = 0.0
    bound: float = 0.0
    terms: dict[str, float] = field(default_factory=dict)
    warm_start_kept: bool = False
    bounds: dict[str, float] = field(default_factory=dict)
    """Each proven bound of the area by its kind (`cp_sat`, `best_case`, `model`, `seats`, `leaders`)."""
    relaxed: AreaLPs | None = None
    """The area's relaxations being worked out, kept until the bounds are in."""


def _group(inst: Instance, cand: Candidate, room: str | None, members: list[int], leaders: list[int]) -> Group:
    place = (room or "remote").replace("/", "-")
    at = hhmm(cand.start).replace(":", "")
    ident = cand.group.id if cand.group else f"g-{cand.template.id}-{place}-{cand.language}-{cand.day}-{at}"
    return Group(
        id=ident,
        template=cand.template.id,
        modality=cand.template.modality,
        hub=cand.hub,
        room=room,
        language=cand.language,
        day=cand.day,
        start=hhmm(cand.start),
        end=hhmm(cand.end),
        leaders=sorted(inst.staff[s].id for s in leaders),
        participants=sorted(inst.clients[c].id for c in members),
        new=cand.group is None,
        pinned=cand.pinned,
        start_date=cand.start_date,
        sessions=cand.sessions,
        remote_participants=sorted(inst.clients[c].id for c in _from_home(inst, cand, members, len(leaders))),
    )


def _from_home(inst: Instance, cand: Candidate, members: list[int], leaders: int) -> list[int]:
    """A hybrid group's participants who join from home: those who cannot reach the room, those the input
    group lists as remote, and, nearest last, those who could come once the room is full."""
    if not cand.home:
        return []
    listed = set(inst.client_index[p] for p in cand.group.remote_participants) if cand.group else set()
    may_stay = [c for c in members if cand.home >> c & 1]
    remote = [c for c in may_stay if not cand.present >> c & 1 or c in listed]
    places = cand.room_capacity - leaders - sum(not cand.home >> c & 1 for c in members)
    for c in sorted((c for c in may_stay if c not in remote), key=lambda c: (inst.client_minutes(c, cand), c)):
        if places > 0:
            places -= 1
        else:
            remote.append(c)
    return remote


def build_plan(inst: Instance, results: list[AreaResult], seconds: float) -> Plan:
    """The plan of every area: groups with numbered rooms, every unplaced client with reasons, the metrics."""
    groups, placed = [], set()
    for result in results:
        rooms = number_rooms(inst, list(result.members))
        for g, members in result.members.items():
            groups.append(_group(inst, inst.candidates[g], rooms.get(g), members, result.leaders[g]))
            placed.update(members)
    groups.sort(key=lambda group: group.id)
    popups = place_popups(inst, groups)  # popup_slots
    groups = sorted(groups + popups, key=lambda group: group.id) if popups else groups
    options: dict[int, list[str]] = {}
    for cand in inst.candidates:
        for c in inst.members(cand.clients):
            options.setdefault(c, []).append(cand.key)
    explain = Explainer(inst)
    unassigned = [
        Unassigned(client=client.id, reasons=explain(c, options.get(c, [])))
        for c, client in enumerate(inst.clients)
        if c not in placed
    ]
    metrics = plan_metrics(inst, groups, results, seconds)
    return Plan(status=_status(results), groups=groups, unassigned=unassigned, metrics=metrics)


def _status(results: list[AreaResult]) -> str:
    if all(r.status == "optimal" for r in results):
        return "optimal"
    return "feasible"


def plan_metrics(inst: Instance, groups: list[Group], results: list[AreaResult], seconds: float) -> PlanMetrics:
    """The plan's figures: from its groups, and the objective and bounds the results add up to."""
    ranks, client_travel, staff_travel, leader_minutes = [], 0, 0, 0
    clients = {c.id: c for c in inst.clients}
    templates = {t.id: t for t in inst.problem.templates}
    staff = {s.id: s for s in inst.staff}
    for group in groups:
        template = templates[group.template]
        duration = template.duration_minutes
        for pid in group.participants:
            ranks.append(clients[pid].interests.index(template.theme))
        for pid in group.present:  # a hybrid group's remote participants do not travel
            if group.hub is not None:
                client_travel += inst.travel.client(clients[pid], group.hub)
        for sid in group.leaders:
            leader_minutes += duration
            staff_travel += 2 * inst.travel.hub(staff[sid].base_hub, group.hub or staff[sid].base_hub)
    objective = sum(r.objective for r in results)
    bound = sum(max(r.bound, r.objective) for r in results)
    terms: dict[str, float] = {}
    for r in results:
        for name, value in r.terms.items():
            terms[name] = terms.get(name, 0.0) + value
    placed = len({p for g in groups for p in g.participants})
    kinds = set.intersection(*(set(r.bounds) for r in results)) if results else set()
    bounds = {kind: sum(max(r.bounds[kind], r.objective) for r in results) for kind in sorted(kinds)}
    return PlanMetrics(
        placed=placed,
        unassigned=len(inst.clients) - placed,
        groups_new=sum(g.new for g in groups),
        groups_total=len(groups),
        preference_rank_mean=round(sum(ranks) / len(ranks), 3) if ranks else None,
        client_travel_minutes=client_travel,
        staff_travel_minutes=staff_travel,
        leader_minutes=leader_minutes,
        objective=objective,
        bound=bound,
        gap=round((bound - objective) / abs(objective), 6) if objective else 0.0,
        solve_seconds=round(seconds, 3),
        objective_terms=terms or None,
        status_detail=_detail(results),
        policy=inst.problem.policy.preset,
        shape=plan_shape((g for g in groups if not templates[g.template].popup), inst.problem.templates),
        bounds=bounds or None,
    )


def _detail(results: list[AreaResult]) -> str:
    """How the areas went: how many, how many proved optimal, how many kept their warm start."""
    optimal = sum(r.status == "optimal" for r in results)
    kept = sum(r.warm_start_kept for r in results)
    return area_detail(len(results), optimal, kept)


def area_detail(areas: int, optimal: int, kept: int) -> str:
    """The metrics' `status_detail`: areas searched, proved optimal, kept their warm start (the greedy plan
    as the focused and LP-support searches improved it: CP-SAT's own search found nothing better)."""
    return f"{areas} area(s): {optimal} optimal, {kept} kept the warm start (greedy, focused, LP support)"
