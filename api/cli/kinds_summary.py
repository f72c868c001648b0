"""The plan's groups by how they run (issue 17): pop-ups and the waiting clients within their reach,
closed process groups and when they close, hybrid groups and who joins from home, peer instructors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rich.table import Table

from scheduler.contract import Plan, Problem
from scheduler.contract.term import group_weeks

__all__ = ["kinds_fields", "kinds_table"]


def kinds_fields(problem: Problem, plan: Plan) -> dict[str, Any]:
    """Pop-ups (count, slots, reach of each), closed groups (count, closing dates), hybrid groups (count,
    participants from home), own terms and groups with a peer instructor."""
    models = {t.id: t for t in problem.templates}
    peers = {s.id for s in problem.staff if s.peer}
    popups = [g for g in plan.groups if g.template in models and models[g.template].popup]
    closed = [g for g in plan.groups if g.template in models and models[g.template].admission == "closed"]
    hybrid = [g for g in plan.groups if g.modality == "hybrid"]
    closes = []
    for group in closed:
        first, _ = group_weeks(group.day, problem.term.start, problem.term.weeks, group.start_date, group.sessions)
        closes.append((first + timedelta(weeks=models[group.template].closes_after - 1)).isoformat())
    return {
        "popups": len(popups),
        "popup_slots": problem.popup_slots,
        "popup_reach": sorted((g.reach or 0 for g in popups), reverse=True),
        "closed_groups": len(closed),
        "closed_groups_close_on": sorted(set(closes)),
        "own_terms": sum(g.sessions is not None for g in plan.groups),
        "hybrid_groups": len(hybrid),
        "from_home": sum(len(g.remote_participants) for g in hybrid),
        "in_the_room": sum(len(g.present) for g in hybrid),
        "peer_led": sum(bool(peers & set(g.leaders)) for g in plan.groups),
    }


def kinds_table(problem: Problem, plan: Plan) -> Table | None:
    """The figures of `kinds_fields` as a table; None for a plan with none of them (a problem/1 plan)."""
    f = kinds_fields(problem, plan)
    if not (f["popups"] or f["popup_slots"] or f["closed_groups"] or f["hybrid_groups"] or f["peer_led"]):
        return None
    table = Table(title="Groups by how they run", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    reach = ", ".join(str(r) for r in f["popup_reach"]) or "–"
    table.add_row("pop-ups (just come) of the slots", f"{f['popups']} of {f['popup_slots']}")
    table.add_row("waiting clients within each pop-up's reach", reach)
    table.add_row("closed (process) groups", str(f["closed_groups"]))
    if f["closed_groups_close_on"]:
        table.add_row("they take no joiners after", ", ".join(f["closed_groups_close_on"][:3]))
    table.add_row("groups with their own term", str(f["own_terms"]))
    table.add_row(
        "hybrid groups: in the room / from home", f"{f['hybrid_groups']}: {f['in_the_room']} / {f['from_home']}"
    )
    table.add_row("groups with a peer instructor", str(f["peer_led"]))
    return table
