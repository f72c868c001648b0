"""The county's policy steers the shape of a plan: a second leader, group sizes, groups at their minimum.

Each test plans the same small problem under the handbook preset and under placement and
asserts the shape each promises; every plan is also read back by the independent checker.
"""

from __future__ import annotations

from typing import Any

from scheduler.checker import check
from scheduler.contract import Plan
from solver import SolveParams, solve
from tests.builders import NUMMELA, build, clients, hub, leader, problem, room, template

FAST = SolveParams(time_limit=10, workers=1)


def planned(data: dict[str, Any], **policy: Any) -> Plan:
    prob = build({**data, "policy": policy})
    plan = solve(prob, FAST)
    assert check(prob, plan) == [], "the independent checker rejects the plan"
    return plan


def test_the_handbook_gives_a_group_of_four_a_second_leader_who_must_drive() -> None:
    """Four clients need one leader; a second based in Nummela drives 28 min each way. The
    handbook pays for the drive to have two leaders, placement does not."""
    hubs = [hub("lohja"), hub("nummela", at=NUMMELA, municipality="Vihti")]
    staff = [leader("aino"), leader("mikko", base="nummela")]
    data = problem(hubs=hubs, staff=staff, people=clients("c", 4))
    [handbook] = planned(data).groups
    [placement] = planned(data, preset="placement").groups
    assert sorted(handbook.leaders) == ["aino", "mikko"]
    assert placement.leaders == ["aino"]
    assert planned(data).metrics.shape is not None and planned(data).metrics.shape.two_leader_share == 1.0


def test_the_handbook_runs_one_group_of_six_where_placement_runs_two_of_three() -> None:
    """Three clients may take two groups a week: placement gives them a second group (a point
    each) in a group of three; the handbook will not open a fragile group for it."""
    templates = [template("nature", minutes=120), template("art", theme="art", minutes=120)]
    people = clients("b", 3, interests=("nature", "art"), groups=2) + clients("a", 3, interests=("art",))
    data = problem(templates=templates, people=people, hubs=[hub(rooms=[room("r1"), room("r2")])])
    handbook, placement = planned(data), planned(data, preset="placement")
    assert [len(g.participants) for g in handbook.groups] == [6]
    assert sorted(len(g.participants) for g in placement.groups) == [3, 6]
    assert handbook.metrics.shape is not None and handbook.metrics.shape.at_minimum == 0
    assert placement.metrics.shape is not None and placement.metrics.shape.at_minimum == 1
    assert handbook.metrics.policy == "handbook" and placement.metrics.policy == "placement"


def test_a_weight_set_in_the_problem_overrides_its_preset() -> None:
    """The handbook without its second-leader bonus leads the group of four alone, as placement does."""
    hubs = [hub("lohja"), hub("nummela", at=NUMMELA, municipality="Vihti")]
    staff = [leader("aino"), leader("mikko", base="nummela")]
    data = problem(hubs=hubs, staff=staff, people=clients("c", 4))
    [group] = planned(data, preset="handbook", second_leader=0).groups
    assert group.leaders == ["aino"]


def test_the_best_case_cap_counts_the_second_leaders_bonus() -> None:
    """The objective never exceeds the reported bound, bonus included."""
    hubs = [hub("lohja"), hub("nummela", at=NUMMELA, municipality="Vihti")]
    staff = [leader("aino"), leader("mikko", base="nummela")]
    plan = planned(problem(hubs=hubs, staff=staff, people=clients("c", 9)))
    m = plan.metrics
    assert m.objective is not None and m.bound is not None and m.bounds is not None
    assert m.objective <= m.bound == min(m.bounds.values())
    assert m.objective_terms is not None and m.objective_terms["second_leader"] > 0
