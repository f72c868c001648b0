"""Rules about leaders: the team (H5: one or two, one qualified, skills covered, two from
five) and their week (H6: weekly minutes, one session at a time).

Who may lead a candidate at all (`leader_speaks_language`, `leader_available`) is
settled when the candidates are generated; travel between hubs is in travel.py.
"""

from __future__ import annotations

from scheduler.contract.rules import MAX_LEADERS, ONE_LEADER_UP_TO
from solver.variables import Vars

__all__ = [
    "at_most_two_leaders",
    "five_need_two_leaders",
    "has_a_leader",
    "leader_one_session_at_a_time",
    "leader_weekly_minutes",
    "leads_only_open_groups",
    "one_qualified_leader",
    "skills_covered",
]


def leads_only_open_groups(v: Vars, g: int) -> None:
    """A closed group has no leaders."""
    for s in v.leaders[g]:
        v.model.add(v.lead[s, g] <= v.open[g])


def has_a_leader(v: Vars, g: int) -> None:
    """An open group has a leader."""
    v.model.add(v.leader_count(g) >= v.open[g])


def at_most_two_leaders(v: Vars, g: int) -> None:
    """A group has at most two leaders."""
    v.model.add(v.leader_count(g) <= MAX_LEADERS * v.open[g])


def five_need_two_leaders(v: Vars, g: int) -> None:
    """A group of five or more has two leaders: one leader takes up to ONE_LEADER_UP_TO."""
    cand = v.cand(g)
    extra = cand.capacity - ONE_LEADER_UP_TO
    if extra > 0:
        second = v.leader_count(g) - v.open[g]
        v.model.add(v.size(g) <= ONE_LEADER_UP_TO * v.open[g] + extra * second)


def one_qualified_leader(v: Vars, g: int) -> None:
    """At least one leader is a qualified social welfare professional.

    This also holds `peer_beside_professional`: a peer instructor (`Staff.peer`) is never
    qualified (the contract refuses it), so a team with a peer has a qualified
    professional beside them, and a group whose only free leader is a peer stays unopened.
    """
    qualified = [v.lead[s, g] for s in v.leaders[g] if v.inst.staff[s].qualified]
    v.model.add(sum(qualified) >= v.open[g])


def skills_covered(v: Vars, g: int) -> None:
    """The leaders' skills together cover the group model's required skills."""
    for skill in v.cand(g).template.required_skills:
        able = [v.lead[s, g] for s in v.leaders[g] if skill in v.inst.staff[s].skills]
        v.model.add(sum(able) >= v.open[g])


def leader_weekly_minutes(v: Vars, s: int) -> None:
    """A leader's weekly session minutes stay within max_weekly_minutes."""
    groups = v.groups_of_leader[s]
    limit = v.inst.staff[s].max_weekly_minutes
    if sum(v.cand(g).minutes for g in groups) > limit:
        v.model.add(sum(v.cand(g).minutes * v.lead[s, g] for g in groups) <= limit)


def leader_one_session_at_a_time(v: Vars, s: int) -> None:
    """A leader leads one session at a time (a clique at every start point)."""
    for groups in v.by_day(v.groups_of_leader[s]).values():
        for point in sorted({v.cand(g).start for g in groups}):
            at = [v.lead[s, g] for g in groups if v.cand(g).start <= point < v.cand(g).end]
            if len(at) > 1:
                v.model.add_at_most_one(at)
