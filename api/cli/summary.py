"""A plan summarised for a coordinator: placed, unplaced by reason, the policy it was planned under and
the shape of its groups (two leaders, sizes, groups at their minimum), groups by area and language;
as rich tables, or as the fields of one JSON object (`--json`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Group as Stack
from rich.table import Table

from api.cli.kinds_summary import kinds_fields, kinds_table
from scheduler.contract import Plan, PlanShape, Problem, Reason, plan_shape
from scheduler.i18n.reasons import reason_text

__all__ = ["histogram", "shape_change", "shape_of", "summary", "summary_fields"]

BAR = "█"
BAR_WIDTH = 30


def summary(problem: Problem, plan: Plan, lang: str = "en") -> Stack:
    """Rich tables that print the plan's headline figures and shape; each reason's example in `lang` (fi, sv or en)."""
    kinds = kinds_table(problem, plan)
    parts = (_headline(problem, plan), _shape(problem, plan), *([kinds] if kinds else []), _reasons(plan, lang))
    return Stack(*parts, _groups(problem, plan))


def shape_of(problem: Problem, plan: Plan) -> PlanShape:
    """The plan's shape: what its metrics carry, else counted from its groups."""
    return plan.metrics.shape or plan_shape(plan.groups, problem.templates)


def policy_fields(problem: Problem, plan: Plan) -> dict[str, Any]:
    """The policy the plan was made under: its preset, the weights in force and the leader reach."""
    policy = problem.policy
    return {
        "preset": plan.metrics.policy or policy.preset,
        "weights": policy.weights().model_dump(),
        "leader_reach_minutes": policy.leader_reach_minutes,
    }


def shape_change(before: PlanShape | None, after: PlanShape | None) -> str | None:
    """The shape before → after in one line (None unless both are known)."""
    if before is None or after is None:
        return None
    return (
        f"groups with two leaders {100 * before.two_leader_share:.0f} % → {100 * after.two_leader_share:.0f} %, "
        f"mean size {before.mean_size:.1f} → {after.mean_size:.1f}, "
        f"at their minimum {before.at_minimum} → {after.at_minimum}"
    )


def histogram(sizes: dict[int, int], width: int = BAR_WIDTH) -> list[tuple[int, str, int]]:
    """Per group size: the size, a bar as long as its share of the largest count allows, and the count."""
    most = max(sizes.values(), default=0)
    return [(size, BAR * max(1, round(width * count / most)), count) for size, count in sorted(sizes.items()) if count]


def summary_fields(problem: Problem, plan: Plan) -> dict[str, Any]:
    """The summary's figures by name: what the tables show, for scripts."""
    m = plan.metrics
    return {
        "region": problem.region,
        "term_start": problem.term.start.isoformat(),
        "status": plan.status,
        "clients": len(problem.clients),
        "placed": m.placed,
        "unplaced": m.unassigned,
        "groups": m.groups_total,
        "groups_new": m.groups_new,
        "preference_rank_mean": m.preference_rank_mean,
        "client_travel_minutes_mean": round(m.client_travel_minutes / m.placed, 1)
        if m.client_travel_minutes is not None and m.placed
        else None,
        "staff_travel_minutes": m.staff_travel_minutes,
        "gap": m.gap,
        "solve_seconds": m.solve_seconds,
        "policy": policy_fields(problem, plan),
        "shape": shape_of(problem, plan).model_dump(mode="json"),
        "search": m.status_detail,
        "unplaced_by_reason": dict(sorted(_reason_counts(plan).items())),
        "groups_by_municipality": _municipalities(problem, plan),
        "kinds": kinds_fields(problem, plan),
    }


def _headline(problem: Problem, plan: Plan) -> Table:
    m = plan.metrics
    table = Table(title=f"Plan for {problem.region or 'the region'}, term from {problem.term.start}", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    total = len(problem.clients)
    table.add_row("status", plan.status)
    table.add_row("clients placed", f"{m.placed} of {total} ({100 * m.placed / total:.1f} %)" if total else "0")
    table.add_row("clients unplaced", str(m.unassigned))
    table.add_row("groups (new)", f"{m.groups_total} ({m.groups_new})")
    if m.preference_rank_mean is not None:
        table.add_row("mean theme rank (0 = first choice)", f"{m.preference_rank_mean:.2f}")
    if m.client_travel_minutes is not None and m.placed:
        table.add_row("mean client trip, one way", f"{m.client_travel_minutes / m.placed:.0f} min")
    if m.staff_travel_minutes is not None:
        table.add_row("staff driving per week", f"{m.staff_travel_minutes / 60:.1f} h")
    if m.gap is not None:
        table.add_row("gap to the bound", f"{100 * m.gap:.2f} %")
    if m.solve_seconds is not None:
        table.add_row("solve time", f"{m.solve_seconds:.1f} s")
    if m.status_detail:
        table.add_row("search", m.status_detail)
    policy = policy_fields(problem, plan)
    reach = policy["leader_reach_minutes"]
    table.add_row("policy", f"{policy['preset']}, leader reach {'anywhere' if reach is None else f'{reach} min'}")
    shape = shape_of(problem, plan)
    table.add_row(
        "groups with two leaders", f"{shape.two_leaders} of {shape.groups} ({100 * shape.two_leader_share:.0f} %)"
    )
    table.add_row("mean group size", f"{shape.mean_size:.1f}")
    table.add_row("groups at their minimum size", str(shape.at_minimum))
    return table


def _shape(problem: Problem, plan: Plan) -> Table:
    """The group sizes as a histogram: a bar per size."""
    table = Table(title="Groups by size (participants)")
    table.add_column("size", justify="right")
    table.add_column("groups")
    table.add_column("", justify="right")
    rows = histogram(shape_of(problem, plan).sizes)
    for size, bar, count in rows:
        table.add_row(str(size), bar, str(count))
    if not rows:
        table.add_row("–", "(no groups)", "0")
    return table


def _reasons(plan: Plan, lang: str) -> Table:
    table = Table(title="Unplaced clients by reason", caption="a client may have more than one reason")
    table.add_column("reason")
    table.add_column("clients", justify="right")
    table.add_column("for example")
    counts = _reason_counts(plan)
    examples = _examples(plan)
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        client, reason = examples[code]
        said = reason_text(lang, reason.code, reason.args, reason.detail)
        table.add_row(code, str(count), f"{client}: {said.text}")
    if not counts:
        table.add_row("(none)", "0", "")
    return table


def _examples(plan: Plan) -> dict[str, tuple[str, Reason]]:
    """The first unplaced client of each reason code, with that reason."""
    found: dict[str, tuple[str, Reason]] = {}
    for u in plan.unassigned:
        for r in u.reasons:
            found.setdefault(r.code, (u.client, r))
    return found


def _reason_counts(plan: Plan) -> Counter[str]:
    """Unplaced clients per reason code (a client with two reasons counts under both)."""
    return Counter(r.code for u in plan.unassigned for r in {r.code: r for r in u.reasons}.values())


def _municipalities(problem: Problem, plan: Plan) -> dict[str, dict[str, int]]:
    """Per municipality (or `remote`): groups per language and the participants."""
    hubs = {h.id: h.municipality for h in problem.hubs}
    places: dict[str, dict[str, int]] = {}
    for g in plan.groups:
        place = places.setdefault(hubs.get(g.hub or "", "remote"), {"participants": 0})
        place[g.language] = place.get(g.language, 0) + 1
        place["participants"] += len(g.participants)
    return dict(sorted(places.items()))


def _groups(problem: Problem, plan: Plan) -> Table:
    hubs = {h.id: h.municipality for h in problem.hubs}
    languages = sorted({g.language for g in plan.groups})
    counts = Counter((hubs.get(g.hub or "", "remote"), g.language) for g in plan.groups)
    seats = Counter(hubs.get(g.hub or "", "remote") for g in plan.groups for _ in g.participants)
    table = Table(title="Groups per municipality and language")
    table.add_column("municipality")
    for language in languages:
        table.add_column(language, justify="right")
    table.add_column("participants", justify="right")
    for place in sorted({place for place, _ in counts}):
        table.add_row(place, *(str(counts[place, lang]) for lang in languages), str(seats[place]))
    return table
