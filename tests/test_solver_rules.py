"""For each hard constraint, a small problem where it binds: the solver must obey it.

Every plan is also read back by the independent checker, which shares no code with
the model.
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


def test_language_keeps_swedish_only_clients_out_of_finnish_only_models() -> None:
    plan = planned(problem(templates=[template(languages=("fi",))], people=clients("s", 4, languages=("sv",))))
    assert plan.groups == []
    assert set(reasons(plan).values()) == {frozenset({"language"})}


def test_group_runs_in_language_of_its_leader() -> None:
    staff = [leader("finnish", languages=("fi",)), leader("swede", languages=("sv",))]
    plan = planned(problem(staff=staff, people=clients("s", 4, languages=("sv",))))
    [group] = plan.groups
    assert group.language == "sv" and group.leaders == ["swede"]


def test_group_takes_at_most_ten() -> None:
    plan = planned(problem(people=clients("c", 12), hubs=[hub(rooms=[room(capacity=20, available=[window(end="12:00")])])]))
    assert [len(g.participants) for g in plan.groups] == [10]
    assert set(reasons(plan).values()) == {frozenset({"capacity"})}


def test_two_clients_are_too_few_for_a_group() -> None:
    plan = planned(problem(people=clients("c", 2)))
    assert plan.groups == [] and len(plan.unassigned) == 2


def test_room_capacity_counts_leaders() -> None:
    plan = planned(problem(people=clients("c", 8), hubs=[hub(rooms=[room(capacity=6, available=[window(end="12:00")])])]))
    [group] = plan.groups
    assert len(group.participants) + len(group.leaders) <= 6 and len(group.participants) == 4


def test_client_needing_access_is_not_placed_in_an_inaccessible_room() -> None:
    people = clients("c", 3) + [client("wheel", accessible=True)]
    plan = planned(problem(people=people, hubs=[hub(rooms=[room(accessible=False)])]))
    assert reasons(plan) == {"wheel": {"accessibility"}}


def test_one_room_holds_one_session_at_a_time() -> None:
    templates = [template("nature"), template("art", theme="art")]
    people = clients("n", 4) + clients("a", 4, interests=("art",))
    plan = planned(problem(templates=templates, people=people, hubs=[hub(rooms=[room(available=[window(end="12:00")])])]))
    assert len(plan.groups) == 1


def test_five_need_two_leaders() -> None:
    plan = planned(problem(staff=[leader("aino", available=[window(end="12:00")])], people=clients("c", 7)))
    assert [len(g.participants) for g in plan.groups] == [4]


def test_a_partner_leads_only_beside_a_qualified_professional() -> None:
    plan = planned(problem(staff=[leader("partner", qualified=False)], people=clients("c", 4)))
    assert plan.groups == []
    staff = [leader("partner", qualified=False, skills=("nature",)), leader("counsellor")]
    plan = planned(problem(staff=staff, templates=[template(skills=("nature",))], people=clients("c", 4)))
    assert [g.leaders for g in plan.groups] == [["counsellor", "partner"]]


def test_leaders_available_only_wednesday_move_the_group() -> None:
    both = [window("tue"), window("wed")]
    plan = planned(problem(staff=[leader("aino", available=[window("wed")])], people=clients("c", 4, available=both),
                           hubs=[hub(rooms=[room(available=both)])]))
    assert [g.day for g in plan.groups] == ["wed"]


def test_weekly_minutes_limit_a_leader() -> None:
    both = [window("tue"), window("wed")]
    staff = [leader("aino", available=both, weekly=200)]
    people = clients("t", 4, available=[window("tue")]) + clients("w", 4, available=[window("wed")])
    plan = planned(problem(staff=staff, people=people, hubs=[hub(rooms=[room(available=both)])]))
    assert len(plan.groups) == 1


def test_leader_needs_travel_time_between_hubs() -> None:
    hubs = [hub("lohja"), hub("nummela", at=NUMMELA, municipality="Vihti")]
    people = clients("l", 4, available=[window(end="12:00")]) + clients("n", 4, at=NUMMELA, available=[window(start="12:00")])
    plan = planned(problem(hubs=hubs, staff=[leader("aino")], people=people))
    assert len(plan.groups) == 1
    near = problem(hubs=hubs, staff=[leader("aino")], people=people, travel={"hub_minutes": {"lohja": {"nummela": 0}}})
    assert len(planned(near).groups) == 2


def test_client_beyond_travel_limit_gets_travel_reason() -> None:
    plan = planned(problem(people=clients("c", 3) + [client("far", at=HANKO)]))
    assert reasons(plan) == {"far": {"travel"}}


def test_remote_groups_only_for_clients_who_can_join_remotely() -> None:
    remote = template("online", theme="games", modality="remote")
    people = clients("r", 3, interests=("games",), remote_ok=True, at=HANKO) + [client("no", interests=("games",))]
    plan = planned(problem(templates=[remote], people=people))
    [group] = plan.groups
    assert group.hub is None and group.room is None and len(group.participants) == 3
    assert reasons(plan) == {"no": {"remote"}}


def test_interest_and_audience_decide_who_may_join() -> None:
    templates = [template("men", theme="peer", audience="men")]
    people = clients("m", 3, interests=("peer",), audiences=("men",)) + [
        client("woman", interests=("peer",), audiences=("women",)), client("painter", interests=("art",))]
    plan = planned(problem(templates=templates, people=people))
    assert reasons(plan) == {"woman": {"audience"}, "painter": {"interest"}}


def test_second_weekly_group_only_when_free_and_never_double_booked() -> None:
    templates = [template("nature", minutes=120), template("art", theme="art", minutes=120)]
    people = clients("b", 3, interests=("nature", "art"), groups=2) + clients("a", 3, interests=("art",))
    plan = planned(problem(templates=templates, people=people, hubs=[hub(rooms=[room("r1"), room("r2")])]))
    assert len(plan.groups) == 2
    twice = [c["id"] for c in people if sum(c["id"] in g.participants for g in plan.groups) == 2]
    assert twice, "a client who may take two groups joins the art group that runs anyway"
    first, second = sorted(plan.groups, key=lambda g: g.start)
    assert first.end <= second.start


def test_sessions_start_on_the_grid() -> None:
    people = clients("c", 4, available=[window(start="09:15", end="13:00")])
    plan = planned(problem(people=people, slot_minutes=60, templates=[template(minutes=120)]))
    assert [g.start for g in plan.groups] == ["10:00"]


def _pinned(leaders: list[str], participants: list[str]) -> dict[str, Any]:
    return {"id": "running", "template": "nature", "modality": "in_person", "hub": "lohja", "room": "lohja/room",
            "language": "fi", "day": "tue", "start": "09:00", "end": "12:00", "leaders": leaders,
            "participants": participants, "pinned": True}


def test_pinned_group_is_kept_and_its_free_seats_filled_first() -> None:
    people = clients("c", 5)
    plan = planned(problem(people=people, groups=[_pinned(["aino", "mikko"], ["c01", "c02"])]))
    [group] = plan.groups
    assert group.id == "running" and group.pinned and not group.new
    assert group.start == "09:00" and group.leaders == ["aino", "mikko"]
    assert set(group.participants) == {f"c{i:02d}" for i in range(1, 6)}


def test_pinned_group_whose_leader_left_is_an_error_naming_it() -> None:
    data = problem(people=clients("c", 3), staff=[leader("aino", available=[window("wed")]), leader("mikko")],
                   groups=[_pinned(["aino"], ["c01", "c02", "c03"])])
    with pytest.raises(PlanningError, match=r"running.*aino.*not available"):
        solve(build(data), FAST)


def test_every_client_placed_or_explained() -> None:
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
    data = problem(people=clients("c", 14) + clients("s", 5, languages=("sv", "fi")),
                   hubs=[hub(rooms=[room("r1"), room("r2", capacity=8)])])
    first = solve(build(data), SolveParams(time_limit=5, workers=2, seed=3)).dump()
    second = solve(build(data), SolveParams(time_limit=5, workers=2, seed=3)).dump()
    for plan in (first, second):
        plan["metrics"].pop("solve_seconds")
    assert first == second
