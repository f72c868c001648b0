"""The objective in one place: DESIGN.md's tiers as named, weighted terms (maximised).

Weights (points; each tier outweighs everything the next tier can give one client):

| tier | term | points |
|---|---|---|
| 1 | `placed`: a client placed (counted once) | +30 000 |
| 1 | `waiting`: per day waited at term start, up to 180 | +60 (≤ 10 800) |
| 2 | `theme_rank`: per step down the client's interest list | −300 |
| 3 | `client_travel`: per one-way minute of the client's trip | −3 |
| 4 | `groups`: per new group opened | −policy `group_opened` (60; handbook 12 060) |
| 4 | `staff_travel`: per minute a leader drives, base hub and back | −1 |
| 5 | `keep`: per participant left where the input plan had them | +2 |
| 6 | `second_group`: per extra weekly group of a client who may take two | +1 |

The county's policy (`scheduler.contract.policy`) adds the shape of the plan, weighed
against clients placed on purpose (handbook preset in brackets, placement preset 0):

| term | points |
|---|---|
| `second_leader`: per group (not pinned) with a second leader | +policy (12 000) |
| `small_group`: per new group of fewer than five | −policy (12 000) |
| `fragile_group`: per new group at its model's minimum size | −policy (30 000) |

With the placement preset, placing one more client always beats any theme, travel or
staffing saving for another, and the longest-waiting are placed first when seats are
scarce. The handbook preset trades: a group of three with one leader (at its minimum) is
worth 54 000 points less than a group of five with two, and since a group opened costs its
second leader's worth and 60 more, a group is never opened for the bonus alone.

The model also states a redundant cap: the objective is at most what every client
would score in their best option with nothing spent on staff, and every group it could
fill having a second leader. It changes no plan.
CP-SAT's presolved relaxation does not keep its strength (its bound can stay above the
cap), so `solve` also reports the cap, `Objective.best_case`, as a bound of its own,
beside the relaxation bounds (`solver.lpbound`, `solver.leaderbound`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.contract.policy import PolicyWeights
from scheduler.contract.rules import ONE_LEADER_UP_TO, SMALLEST_GROUP
from solver.candidates import Candidate, Instance
from solver.variables import Vars

__all__ = [
    "SHAPE_TERMS",
    "WEIGHTS",
    "Objective",
    "build_objective",
    "seat_value",
    "shape_value",
    "two_leader_rows",
    "waiting_days",
    "weights",
]

WEIGHTS: dict[str, int] = {
    "placed": 30_000,
    "waiting": 60,
    "theme_rank": -300,
    "client_travel": -3,
    "groups": -60,
    "staff_travel": -1,
    "keep": 2,
    "second_group": 1,
}
WAITING_CAP_DAYS = 180
SHAPE_TERMS = ("second_leader", "small_group", "fragile_group")
"""The policy's terms of a plan's shape (`weights`)."""
PREFERRED_SIZE = ONE_LEADER_UP_TO + 1
"""The handbook prefers groups of five or more (two leaders then)."""


def weights(inst: Instance) -> dict[str, int]:
    """The points of every term for this problem: the fixed tiers and the county's policy."""
    policy = inst.problem.policy.weights()
    return {
        **WEIGHTS,
        "groups": -policy.group_opened,
        "second_leader": policy.second_leader,
        "small_group": -policy.small_group,
        "fragile_group": -policy.fragile_group,
    }


@dataclass
class Objective:
    """Named linear terms; `value(solver)` reports each in points."""

    terms: dict[str, list[tuple[cp_model.IntVar, int]]]
    best_case: int = 0

    def expression(self) -> cp_model.LinearExpr | int:
        return sum(coef * var for items in self.terms.values() for var, coef in items)

    def values_at(self, value: dict[int, int]) -> dict[str, float]:
        """Each term at an assignment given as variable index -> value."""
        return {
            name: float(sum(coef * value.get(var.index, 0) for var, coef in items))
            for name, items in self.terms.items()
        }

    def values(self, solver: cp_model.CpSolver) -> dict[str, float]:
        return {name: float(sum(coef * solver.value(var) for var, coef in items)) for name, items in self.terms.items()}


def waiting_days(inst: Instance, c: int) -> int:
    """Days the client has waited at the start of the term, capped."""
    days = (inst.problem.term.start - inst.clients[c].waits_from).days
    return max(0, min(WAITING_CAP_DAYS, days))


def seat_value(inst: Instance, c: int, cand: Candidate) -> int:
    """Tiers 1-3 of seating a client in a candidate: placed, waiting, theme rank, travel."""
    return (
        WEIGHTS["placed"]
        + WEIGHTS["waiting"] * waiting_days(inst, c)
        + WEIGHTS["theme_rank"] * inst.rank(c, cand)
        + WEIGHTS["client_travel"] * inst.client_minutes(c, cand)
    )


def build_objective(v: Vars) -> Objective:
    """Build every term and set the model to maximise their sum."""
    points = weights(v.inst)
    terms: dict[str, list[tuple[cp_model.IntVar, int]]] = {name: [] for name in points}
    for c, groups in v.groups_of_client.items():
        first = _first_group_vars(v, c, groups)
        placed = v.placed[c] = v.model.new_bool_var(f"placed[{v.inst.clients[c].id}]")
        v.model.add(placed == sum(first.values()))
        terms["placed"].append((placed, WEIGHTS["placed"]))
        terms["waiting"].append((placed, WEIGHTS["waiting"] * waiting_days(v.inst, c)))
        for g, var in first.items():
            cand = v.cand(g)
            terms["theme_rank"].append((var, WEIGHTS["theme_rank"] * v.inst.rank(c, cand)))
            terms["client_travel"].append((var, WEIGHTS["client_travel"] * v.inst.client_minutes(c, cand)))
            if first[g] is not v.join[c, g]:
                terms["second_group"].append((v.join[c, g], WEIGHTS["second_group"]))
                terms["second_group"].append((var, -WEIGHTS["second_group"]))
            if _kept(v, c, g):
                terms["keep"].append((v.join[c, g], WEIGHTS["keep"]))
    for g in v.candidates:
        if not v.cand(g).pinned:
            terms["groups"].append((v.open[g], points["groups"]))
            _shape_terms(v, g, points, terms)
    for (s, g), var in v.lead.items():
        base = v.inst.staff[s].base_hub
        minutes = 2 * v.inst.travel.hub(base, v.inst.leader_hub(s, v.cand(g)))
        if minutes:
            terms["staff_travel"].append((var, WEIGHTS["staff_travel"] * minutes))
    objective = Objective(terms, _best_case(v, points))
    v.model.add(objective.expression() <= objective.best_case)
    v.model.maximize(objective.expression())
    return objective


def shape_value(policy: PolicyWeights, size: int, smallest: int, leaders: int) -> int:
    """The policy's points for a new group of this size and number of leaders: what `_shape_terms`
    and the `groups` term give it in the model, for the warm start."""
    points = -policy.group_opened + policy.second_leader * (leaders - 1)
    if size < PREFERRED_SIZE:
        points -= policy.small_group
    if size <= smallest:
        points -= policy.fragile_group
    return points


def _shape_terms(v: Vars, g: int, points: dict[str, int], terms: dict[str, list[tuple[cp_model.IntVar, int]]]) -> None:
    """The policy's shape of a new group: a second leader, fewer than five, at its minimum size.

    `second_leader` is the leader count less one of an open group (at most two leaders);
    a group is small or fragile unless a 'large enough' variable, allowed only when the
    group has that many, says otherwise. The thresholds together have a row of their own
    (`_shape_hull`) that holds for every whole group and cuts relaxed ones.
    """
    if points["second_leader"] and len(v.leaders[g]) > 1:
        for s in v.leaders[g]:
            terms["second_leader"].append((v.lead[s, g], points["second_leader"]))
        terms["second_leader"].append((v.open[g], -points["second_leader"]))
    smallest = max(SMALLEST_GROUP, v.cand(g).template.min_size)
    larges: dict[int, cp_model.IntVar] = {}
    for name, size in (("small_group", PREFERRED_SIZE), ("fragile_group", smallest + 1)):
        if not points[name] or smallest >= size:
            continue
        if v.cand(g).capacity < size:  # never large enough: every time it opens, it counts
            terms[name].append((v.open[g], points[name]))
            continue
        large = larges[size] = v.model.new_bool_var(f"{name}_not[{v.cand(g).key}]")
        # size ≥ smallest·open + (size − smallest)·large, and large only when open (a group of
        # the smallest size has large = 0 in it too)
        v.model.add(v.size(g) >= smallest * v.open[g] + (size - smallest) * large)
        v.model.add(large <= v.open[g])
        v.large.append((large, g, size))
        terms[name].append((v.open[g], points[name]))
        terms[name].append((large, -points[name]))
    if len(larges) == 2:  # two thresholds (one when the minimum is four: both are five)
        _shape_hull(v, g, smallest, larges)


def two_leader_rows(v: Vars) -> None:
    """'Five or more' only with a whole second leader, as H5 has it: large ≤ leaders − open.

    It holds for every whole group (large means five or more, and five need two leaders) and
    cuts relaxed ones: H5's own row lets a relaxed group of five have a sixth of a second
    leader. The benchmarks' bounds add it (`benchmarks.regions.whole_model_bound`); the
    solver's model does not: its relaxation steers the LP-support search (`solver.support`),
    and with this row there Kainuu seed 1's plan fell below the greedy's two-leader share
    (0.64 against 0.69; 2026-12-06), while the bounds of Kainuu and Lappi fell by 1.3 %.
    """
    for large, g, size in v.large:
        if size > ONE_LEADER_UP_TO:
            v.model.add(large <= v.leader_count(g) - v.open[g])


def _shape_hull(v: Vars, g: int, smallest: int, larges: dict[int, cp_model.IntVar]) -> None:
    """size ≥ smallest·open + (f − smallest)·large_f + (p − f)·large_p for the thresholds f < p.

    Each threshold's own row lets a relaxed group of four have large_f = 1 and large_p = ½ (4 ≥ 3 + 2·½),
    a point no mix of whole groups reaches; with this row, large_f + large_p ≤ 1 there. It holds for
    every whole group: below f both are 0, from f to p − 1 only large_f can be 1, and from p both.
    """
    (f, first), (p, second) = sorted(larges.items())
    v.model.add(v.size(g) >= smallest * v.open[g] + (f - smallest) * first + (p - f) * second)


def _best_case(v: Vars, points: dict[str, int]) -> int:
    """Every client in their best option and in every extra group they may take, at no staff cost,
    and as many groups with a second leader as the seats could fill (each has at least three)."""
    total = 0
    seats = sum(v.inst.clients[c].max_groups_per_week for c in v.groups_of_client)
    total += points["second_leader"] * (seats // SMALLEST_GROUP)
    for c, groups in v.groups_of_client.items():
        total += max(seat_value(v.inst, c, v.cand(g)) for g in groups)
        total += WEIGHTS["second_group"] * (v.inst.clients[c].max_groups_per_week - 1)
        total += WEIGHTS["keep"] * sum(1 for g in groups if _kept(v, c, g))
    return total


def _kept(v: Vars, c: int, g: int) -> bool:
    group = v.cand(g).group
    return group is not None and not group.pinned and v.inst.clients[c].id in group.participants


def _first_group_vars(v: Vars, c: int, groups: list[int]) -> dict[int, cp_model.IntVar]:
    """The variables that count a client's placement once: join itself, or a 'first group' copy."""
    if v.inst.clients[c].max_groups_per_week == 1:
        return {g: v.join[c, g] for g in groups}
    first = {}
    for g in groups:
        first[g] = v.first[c, g] = v.model.new_bool_var(f"first[{v.inst.clients[c].id},{v.cand(g).key}]")
        v.model.add(first[g] <= v.join[c, g])
    v.model.add_at_most_one(first.values())
    return first
