"""A plan summarised for a coordinator: placed, unplaced by reason, groups by area and language;
as rich tables, or as the fields of one JSON object (`--json`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Group as Stack
from rich.table import Table

from scheduler.contract import Plan, Problem, Reason
from scheduler.i18n.reasons import reason_text

__all__ = ["summary", "summary_fields"]


def summary(problem: Problem, plan: Plan, lang: str = "en") -> Stack:
    """Rich tables that print the plan's headline figures; each reason's example in `lang` (fi, sv or en)."""
    return Stack(_headline(problem, plan), _reasons(plan, lang), _groups(problem, plan))


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
        "search": m.status_detail,
        "unplaced_by_reason": dict(sorted(_reason_counts(plan).items())),
        "groups_by_municipality": _municipalities(problem, plan),
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
