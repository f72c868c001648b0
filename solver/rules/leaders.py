"""Rules about leaders (H5, H6): one or two, one qualified, skills covered, weekly minutes, no overlap."""

from __future__ import annotations

from solver.variables import Vars

__all__ = ["add"]


def add(v: Vars) -> None:
    for g in v.candidates:
        one_or_two_leaders(v, g)
        a_qualified_leader(v, g)
        skills_covered(v, g)
        pinned_leaders_stay(v, g)
    for s in v.groups_of_leader:
        weekly_minutes(v, s)
        one_session_at_a_time(v, s)


def one_or_two_leaders(v: Vars, g: int) -> None:
    """An open group has one or two leaders; a closed group has none."""
    for s in v.leaders[g]:
        v.model.add(v.lead[s, g] <= v.open[g])
    count = v.leader_count(g)
    v.model.add(count >= v.open[g])
    v.model.add(count <= 2 * v.open[g])


def pinned_leaders_stay(v: Vars, g: int) -> None:
    """A pinned group keeps every leader it has."""
    if v.cand(g).pinned:
        for s in v.leaders[g]:
            v.model.add(v.lead[s, g] == 1)


def a_qualified_leader(v: Vars, g: int) -> None:
    """At least one leader is a qualified social welfare professional."""
    qualified = [v.lead[s, g] for s in v.leaders[g] if v.inst.staff[s].qualified]
    v.model.add(sum(qualified) >= v.open[g])


def skills_covered(v: Vars, g: int) -> None:
    """The leaders' skills together cover the group model's required skills."""
    for skill in v.cand(g).template.required_skills:
        able = [v.lead[s, g] for s in v.leaders[g] if skill in v.inst.staff[s].skills]
        v.model.add(sum(able) >= v.open[g])


def weekly_minutes(v: Vars, s: int) -> None:
    """A leader's weekly session minutes stay within max_weekly_minutes."""
    groups = v.groups_of_leader[s]
    limit = v.inst.staff[s].max_weekly_minutes
    if sum(v.cand(g).minutes for g in groups) > limit:
        v.model.add(sum(v.cand(g).minutes * v.lead[s, g] for g in groups) <= limit)


def one_session_at_a_time(v: Vars, s: int) -> None:
    """A leader leads one session at a time (a clique at every start point)."""
    for groups in v.by_day(v.groups_of_leader[s]).values():
        for point in sorted({v.cand(g).start for g in groups}):
            at = [v.lead[s, g] for g in groups if v.cand(g).start <= point < v.cand(g).end]
            if len(at) > 1:
                v.model.add_at_most_one(at)
