"""A proven upper bound that knows about leaders: the seat relaxation with leader capacity.

The seat relaxation (`solver.lpbound`) leaves the leader variables out, so each counts at
its best: where leaders are scarce the bound is far above anything reachable, and a
policy that rewards a second leader makes it worthless. Keeping every leader variable
makes the LP too slow (minutes at 400 clients). This bound projects the leaders out
instead: a group g has `open[g]` and one more column, `second[g]` (it has a second
leader), and the leaders enter through capacity rows that hold in every plan:

- `second[g] ≤ open[g]`; a group of five or more has two leaders
  (`size ≤ 4·open + (capacity − 4)·second`); participants and leaders fit in the room.
- **Leader minutes**: for each set L of leaders that may lead some group, the groups
  whose possible leaders all lie in L take at most the weekly minutes of L:
  `Σ minutes·(open + second) ≤ Σ_{s∈L} max_weekly_minutes(s)`.
- **Qualified minutes**: the same for the qualified leaders, one per open group.

Possible leaders are the candidate's: those who speak the language, are free for the
whole session (their windows), have the skills a team needs and, for a group not pinned,
live within the county's leader reach (`policy.leader_reach_minutes`). The objective's
leader terms (staff travel, the second-leader bonus) are bounded per group by the best
leader's coefficient times the number of leaders, `open + second`.

Left out (the bound is weaker, never wrong, for them): the skills a group model requires
(rows for them made the LP many times slower for little), one session at a time (rows
for it doubled the LP's time and moved the bound by 0.02 % where leaders are scarce),
travel time between two sessions of a leader on
one day, and integrality. It bounds the model it is given: built on the solver's pruned
candidates it bounds that model; built on an instance without the pruning
(`Limits.unpruned`) it bounds every plan of the problem
except those using a start the generator dropped as dominated.

Valid by the same weak-duality certificate as the seat relaxation (`lpbound.certificate`).
"""

from __future__ import annotations

from collections.abc import Callable

from scheduler.contract.rules import MAX_LEADERS, ONE_LEADER_UP_TO
from solver.lpbound import Row, certificate, columns, linear_row, solve_lp
from solver.variables import Vars

__all__ = ["leader_bound"]


def leader_bound(
    v: Vars, effort: float, seconds: float | None = None, primal: dict[int, float] | None = None
) -> int | None:
    """Upper bound on the objective of the area's model (see the module), or None if the LP stopped first;
    `primal` receives the relaxation's values by model variable index (see `solve_lp`)."""
    proto = v.model.proto
    leads = {x.index for x in v.lead.values()}
    domains, gain, offset = columns(proto)
    rows = [row for row in map(linear_row, proto.constraints) if row and not any(i in leads for i, _ in row.terms)]
    second: dict[int, int] = {}
    for g in v.candidates:
        second[g] = _group_columns(v, g, domains, gain, rows)
    for i in leads:
        gain[i] = 0.0  # counted through the groups' columns
    rows += _capacity_rows(v, second)
    duals = solve_lp(domains, rows, gain, effort, seconds, primal)
    if duals is None:
        return None
    return certificate(domains, rows, gain, duals) + offset


def _group_columns(v: Vars, g: int, domains: list[tuple[int, int]], gain: list[float], rows: list[Row]) -> int:
    """Add g's `second` column and its rows; move its leaders' objective onto open and second."""
    cand, opened = v.cand(g), v.open[g].index
    team = v.leaders[g]
    k = len(domains)
    most = 1 if len(team) >= MAX_LEADERS else 0
    least = 0
    if cand.pinned:
        least = most = max(0, min(MAX_LEADERS, len(team)) - 1)
    domains.append((least, most))
    best = max((gain[v.lead[s, g].index] for s in team), default=0.0)
    gain.append(best)
    gain[opened] += best
    if not team:
        rows.append(Row([(opened, 1)], None, 0))  # has_a_leader: none could lead it
    rows.append(Row([(k, 1), (opened, -1)], None, 0))  # at most two leaders
    size = [(v.join[c, g].index, 1) for c in v.members[g]]
    if cand.capacity > ONE_LEADER_UP_TO:  # five_need_two_leaders
        rows.append(Row([*size, (opened, -ONE_LEADER_UP_TO), (k, -(cand.capacity - ONE_LEADER_UP_TO))], None, 0))
    if cand.home:  # room_fits_everyone: a hybrid room holds those who must come
        coming = [(v.join[c, g].index, 1) for c in v.members[g] if not cand.home >> c & 1]
        if cand.room_capacity < len(coming) + MAX_LEADERS:
            rows.append(Row([*coming, (opened, 1), (k, 1)], None, cand.room_capacity))
    elif cand.rooms and cand.room_capacity < cand.capacity + MAX_LEADERS:  # room_fits_everyone
        rows.append(Row([*size, (opened, 1), (k, 1)], None, cand.room_capacity))
    return k


def _capacity_rows(v: Vars, second: dict[int, int]) -> list[Row]:
    """Leader minutes and qualified minutes, by set of possible leaders."""
    staff = v.inst.staff
    kinds: list[tuple[dict[int, int], bool]] = [
        ({g: sum(1 << s for s in v.leaders[g]) for g in v.candidates}, True),  # every leader counts
        ({g: sum(1 << s for s in v.leaders[g] if staff[s].qualified) for g in v.candidates}, False),
    ]
    rows: list[Row] = []
    for masks, both in kinds:  # each open group needs one leader of its mask (two when both count)
        rows += _minutes_rows(v, masks, second, both)
    return rows


def _inside(v: Vars, masks: dict[int, int], team: int) -> list[int]:
    """The groups whose possible leaders (of this kind) all lie in the team."""
    return [g for g, m in masks.items() if m and m & ~team == 0]


def _minutes_rows(v: Vars, masks: dict[int, int], second: dict[int, int], both: bool) -> list[Row]:
    rows = []
    for team in sorted(set(masks.values()) - {0}):
        minutes = _members_minutes(v, team)
        terms = _counted(v, _inside(v, masks, team), second, both, lambda g: v.cand(g).minutes)
        if sum(c for _, c in terms) > minutes:  # else it never binds
            rows.append(Row(terms, None, minutes))
    return rows


def _members_minutes(v: Vars, team: int) -> int:
    return sum(v.inst.staff[s].max_weekly_minutes for s in v.inst.members(team))


def _counted(
    v: Vars, groups: list[int], second: dict[int, int], both: bool, weight: Callable[[int], int]
) -> list[tuple[int, int]]:
    """Terms weight·open (and weight·second when every leader counts) for these groups."""
    terms = [(v.open[g].index, weight(g)) for g in groups]
    if both:
        terms += [(second[g], weight(g)) for g in groups]
    return terms
