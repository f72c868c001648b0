"""For each hard constraint, a small problem where it binds: the solver must obey it.

A rule part's test is named `test_<key>` (scheduler.contract.rules). Every plan is
also read back by the independent checker, which shares no code with the model.
"""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.checker import check
from scheduler.contract import Plan
from solver import PlanningError, SolveParams, solve
from tests.builders import (
    HANKO,
    NUMMELA,
    build,
    client,
    clients,
    hub,
    leader,
    problem,
    room,
    running_group,
    template,
    window,
)

FAST = SolveParams(time_limit=10, workers=1)


def planned(data: dict[str, Any]) -> Plan:
    prob = build(data)
    plan = solve(prob, FAST)
    assert check(prob, plan) == [], "the independent checker rejects the plan"
    return plan


def reasons(plan: Plan) -> dict[str, frozenset[str]]:
    return {u.client: frozenset(r.code for r in u.reasons) for u in plan.unassigned}


def test_language() -> None:
    """Swedish-speaking clients stay out of a Finnish-only group model."""
    plan = planned(problem(templates=[template(languages=("fi",))], people=clients("s", 4, languages=("sv",))))
    assert plan.groups == []
    assert set(reasons(plan).values()) == {frozenset({"language"})}


def test_leader_speaks_language() -> None:
    """A Swedish group is led by the leader who speaks Swedish."""
    staff = [leader("finnish", languages=("fi",)), leader("swede", languages=("sv",))]
    plan = planned(problem(staff=staff, people=clients("s", 4, languages=("sv",))))
    [group] = plan.groups
    assert group.language == "sv" and group.leaders == ["swede"]


def test_group_not_too_large() -> None:
    """Twelve clients, a room for twenty: a group takes ten."""
    plan = planned(
        problem(people=clients("c", 12), hubs=[hub(rooms=[room(capacity=20, available=[window(end="12:00")])])])
    )
    assert [len(g.participants) for g in plan.groups] == [10]
    assert set(reasons(plan).values()) == {frozenset({"capacity"})}


def test_group_not_too_small() -> None:
    """Two clients are too few for a group."""
    plan = planned(problem(people=clients("c", 2)))
    assert plan.groups == [] and len(plan.unassigned) == 2


def test_room_fits_everyone() -> None:
    """A room of six holds four participants and two leaders."""
    plan = planned(
        problem(people=clients("c", 8), hubs=[hub(rooms=[room(capacity=6, available=[window(end="12:00")])])])
    )
    [group] = plan.groups
    assert len(group.participants) + len(group.leaders) <= 6 and len(group.participants) == 4


def test_accessibility() -> None:
    """A client who needs access is not placed in a room without it."""
    people = clients("c", 3) + [client("wheel", accessible=True)]
    plan = planned(problem(people=people, hubs=[hub(rooms=[room(accessible=False)])]))
    assert reasons(plan) == {"wheel": {"accessibility"}}


def test_one_session_per_room() -> None:
    """One room open for one session: one of two groups opens."""
    templates = [template("nature"), template("art", theme="art")]
    people = clients("n", 4) + clients("a", 4, interests=("art",))
    plan = planned(
        problem(templates=templates, people=people, hubs=[hub(rooms=[room(available=[window(end="12:00")])])])
    )
    assert len(plan.groups) == 1


def test_five_need_two_leaders() -> None:
    plan = planned(problem(staff=[leader("aino", available=[window(end="12:00")])], people=clients("c", 7)))
    assert [len(g.participants) for g in plan.groups] == [4]


def test_one_qualified_leader() -> None:
    """A partner leads only beside a qualified professional."""
    plan = planned(problem(staff=[leader("partner", qualified=False)], people=clients("c", 4)))
    assert plan.groups == []


def test_skills_covered() -> None:
    """The partner joins the counsellor for the skill the group model requires."""
    staff = [leader("partner", qualified=False, skills=("nature",)), leader("counsellor")]
    plan = planned(problem(staff=staff, templates=[template(skills=("nature",))], people=clients("c", 4)))
    assert [g.leaders for g in plan.groups] == [["counsellor", "partner"]]


def test_leader_available() -> None:
    """Leaders available only on Wednesday move the group there."""
    both = [window("tue"), window("wed")]
    plan = planned(
        problem(
            staff=[leader("aino", available=[window("wed")])],
            people=clients("c", 4, available=both),
            hubs=[hub(rooms=[room(available=both)])],
        )
    )
    assert [g.day for g in plan.groups] == ["wed"]


def test_leader_weekly_minutes() -> None:
    """200 minutes a week: the leader leads one of two groups."""
    both = [window("tue"), window("wed")]
    staff = [leader("aino", available=both, weekly=200)]
    people = clients("t", 4, available=[window("tue")]) + clients("w", 4, available=[window("wed")])
    plan = planned(problem(staff=staff, people=people, hubs=[hub(rooms=[room(available=both)])]))
    assert len(plan.groups) == 1


def test_leader_travel_time() -> None:
    """One leader cannot drive between two hubs in no time; with no drive they lead both."""
    hubs = [hub("lohja"), hub("nummela", at=NUMMELA, municipality="Vihti")]
    people = clients("l", 4, available=[window(end="12:00")]) + clients(
        "n", 4, at=NUMMELA, available=[window(start="12:00")]
    )
    plan = planned(problem(hubs=hubs, staff=[leader("aino")], people=people))
    assert len(plan.groups) == 1
    near = problem(hubs=hubs, staff=[leader("aino")], people=people, travel={"hub_minutes": {"lohja": {"nummela": 0}}})
    assert len(planned(near).groups) == 2


def test_leader_within_reach() -> None:
    """A leader based in Lohja leads in Nummela (28 min by car) only where the county's reach allows."""
    hubs = [hub("lohja"), hub("nummela", at=NUMMELA, municipality="Vihti")]
    people = clients("n", 4, at=NUMMELA)
    near = planned(problem(hubs=hubs, staff=[leader("aino")], people=people, policy={"leader_reach_minutes": 60}))
    assert [g.hub for g in near.groups] == ["nummela"]
    far = planned(problem(hubs=hubs, staff=[leader("aino")], people=people, policy={"leader_reach_minutes": 20}))
    assert far.groups == []
    assert set(reasons(far).values()) == {frozenset({"leaders"})}


def test_travel() -> None:
    """A client beyond their travel limit is unplaced for `travel`."""
    plan = planned(problem(people=clients("c", 3) + [client("far", at=HANKO)]))
    assert reasons(plan) == {"far": {"travel"}}


def test_remote() -> None:
    """Remote groups only for clients who can take part remotely."""
    remote = template("online", theme="games", modality="remote")
    people = clients("r", 3, interests=("games",), remote_ok=True, at=HANKO) + [client("no", interests=("games",))]
    plan = planned(problem(templates=[remote], people=people))
    [group] = plan.groups
    assert group.hub is None and group.room is None and len(group.participants) == 3
    assert reasons(plan) == {"no": {"remote"}}


def _men_and_others() -> Plan:
    templates = [template("men", theme="peer", audience="men")]
    people = clients("m", 3, interests=("peer",), audiences=("men",)) + [
        client("woman", interests=("peer",), audiences=("women",)),
        client("painter", interests=("art",)),
    ]
    return planned(problem(templates=templates, people=people))


def test_interest() -> None:
    """A client whose interests no group model has is unplaced for `interest`."""
    plan = _men_and_others()
    assert [g.participants for g in plan.groups] == [["m01", "m02", "m03"]]
    assert reasons(plan)["painter"] == {"interest"}


def test_audience() -> None:
    """A men's group is not for a woman: she is unplaced for `audience`."""
    assert reasons(_men_and_others()) == {"woman": {"audience"}, "painter": {"interest"}}


def test_availability() -> None:
    """A client who can come only when no room is open is unplaced for `availability`."""
    people = clients("c", 3) + [client("wed", available=[window("wed")])]
    plan = planned(problem(people=people))
    assert reasons(plan) == {"wed": {"availability"}}


def test_groups_per_week() -> None:
    """A second weekly group only for a client who may take two, and never at once."""
    templates = [template("nature", minutes=120), template("art", theme="art", minutes=120)]
    people = clients("b", 3, interests=("nature", "art"), groups=2) + clients("a", 3, interests=("art",))
    rooms = [hub(rooms=[room("r1"), room("r2")])]
    # the placement policy: the handbook's would rather run one group of six than two of three
    plan = planned(problem(templates=templates, people=people, hubs=rooms, policy={"preset": "placement"}))
    assert len(plan.groups) == 2
    twice = [c["id"] for c in people if sum(c["id"] in g.participants for g in plan.groups) == 2]
    assert twice, "a client who may take two groups joins the art group that runs anyway"
    first, second = sorted(plan.groups, key=lambda g: g.start)
    assert first.end <= second.start


def test_client_one_session_at_a_time() -> None:
    """Two groups that can only meet at once: a client who may take two joins one of them."""
    templates = [template("nature"), template("art", theme="art")]
    both = clients("b", 3, interests=("nature", "art"), groups=2)
    people = both + clients("n", 3) + clients("a", 3, interests=("art",))
    tuesday = [window(end="12:00")]
    hubs = [hub(rooms=[room("r1", available=tuesday), room("r2", available=tuesday)])]
    plan = planned(problem(templates=templates, people=people, hubs=hubs))
    assert len(plan.groups) == 2
    assert all(sum(c["id"] in g.participants for g in plan.groups) <= 1 for c in both)


def test_leader_one_session_at_a_time() -> None:
    """One leader, two groups that can only meet at once: one opens."""
    templates = [template("nature"), template("art", theme="art")]
    people = clients("n", 4) + clients("a", 4, interests=("art",))
    tuesday = [window(end="12:00")]
    hubs = [hub(rooms=[room("r1", available=tuesday), room("r2", available=tuesday)])]
    plan = planned(problem(templates=templates, people=people, hubs=hubs, staff=[leader("aino")]))
    assert len(plan.groups) == 1


def test_start_on_grid() -> None:
    people = clients("c", 4, available=[window(start="09:15", end="13:00")])
    plan = planned(problem(people=people, slot_minutes=60, templates=[template(minutes=120)]))
    assert [g.start for g in plan.groups] == ["10:00"]


def test_template_duration() -> None:
    plan = planned(problem(people=clients("c", 4), templates=[template(minutes=150)]))
    [group] = plan.groups
    assert (group.start, group.end) == ("09:00", "11:30")


def test_pinned_group_kept() -> None:
    """A pinned group is kept unchanged, keeps its participants and fills its free seats first."""
    people = clients("c", 5)
    plan = planned(problem(people=people, groups=[running_group(["c01", "c02"], ["aino", "mikko"])]))
    [group] = plan.groups
    assert group.id == "running" and group.pinned and not group.new
    assert group.start == "09:00" and group.leaders == ["aino", "mikko"]
    assert set(group.participants) == {f"c{i:02d}" for i in range(1, 6)}


def test_pinned_group_whose_leader_left_is_an_error_naming_it() -> None:
    data = problem(
        people=clients("c", 3),
        staff=[leader("aino", available=[window("wed")]), leader("mikko")],
        groups=[running_group(["c01", "c02", "c03"], ["aino"])],
    )
    with pytest.raises(PlanningError, match=r"running.*aino.*not available"):
        solve(build(data), FAST)


def test_client_accounted_for() -> None:
    """Every client is placed or listed unassigned with a reason."""
    people = clients("c", 5) + [client("far", at=HANKO), client("painter", interests=("art",))]
    plan = planned(problem(people=people))
    placed = {p for g in plan.groups for p in g.participants}
    assert placed | set(reasons(plan)) == {c["id"] for c in people}
    assert all(u.reasons for u in plan.unassigned)


def test_longest_waiting_placed_first_when_seats_are_scarce() -> None:
    people = clients("new", 10, waiting_since="2026-12-20") + [client("old", waiting_since="2026-08-01")]
    plan = planned(problem(people=people, hubs=[hub(rooms=[room(available=[window(end="12:00")])])]))
    assert "old" in plan.groups[0].participants


def test_same_seed_gives_same_plan() -> None:
    data = problem(
        people=clients("c", 14) + clients("s", 5, languages=("sv", "fi")),
        hubs=[hub(rooms=[room("r1"), room("r2", capacity=8)])],
    )
    first = solve(build(data), SolveParams(time_limit=5, workers=2, seed=3)).dump()
    second = solve(build(data), SolveParams(time_limit=5, workers=2, seed=3)).dump()
    for plan in (first, second):
        plan["metrics"].pop("solve_seconds")
    assert first == second
