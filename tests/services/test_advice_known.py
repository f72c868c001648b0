"""Advice on small problems whose answer is known by construction (issue 19).

Each problem is planned with `solver.solve` and advised with `advise`; the one change that
would place the clients left out is built into the problem, so the first advice is known.
Everything is at Lohja on Tuesday 09:00-15:00 unless a test says otherwise (tests.builders).
"""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.checker import check
from scheduler.contract import Plan, Problem
from scheduler.contract.advice import Advice, PlacedCount
from scheduler.contract.whatif import NewLeader, RoomOpened, apply_changes
from scheduler.services.advice.advise import AdviceParams, advise
from scheduler.services.advice.whatif import fixed_problem, placed_ids, plan_whatif
from solver import SolveParams, solve
from tests.builders import HANKO, build, client, clients, hub, leader, problem, room, template, window

PLAN = SolveParams(time_limit=10, workers=1)
PARAMS = AdviceParams(time_limit=60, replan_seconds=3, workers=2)
THU = [window("thu")]


def planned(data: dict[str, Any]) -> tuple[Problem, Plan]:
    prob = build(data)
    plan = solve(prob, PLAN)
    assert check(prob, plan) == [], "the independent checker rejects the plan"
    return prob, plan


def swedish_cluster() -> dict[str, Any]:
    """Five Swedish-only clients at Lohja on Tuesday; the only Swedish speaker is not qualified.

    A group of five needs two leaders, each speaking Swedish, one of them qualified: a new
    qualified Swedish-speaking leader at Lohja on Tuesday leads it beside stina. No qualified
    Swedish speaker exists to be made free (so no `staff_availability`), the room is open.
    """
    staff = [leader("aino"), leader("mikko"), leader("stina", qualified=False, languages=("sv",))]
    return problem(staff=staff, people=clients("s", 5, languages=("sv",)))


def closed_thursdays() -> dict[str, Any]:
    """Four clients and the leaders are free on Thursday only; Lohja's only room is open on Tuesdays only."""
    staff = [leader("aino", available=THU), leader("mikko", available=THU)]
    return problem(staff=staff, people=clients("t", 4, available=THU))


def test_a_missing_swedish_qualified_leader_is_the_first_advice() -> None:
    prob, plan = planned(swedish_cluster())
    assert len(plan.unassigned) == 5 and not plan.groups
    advice = advise(prob, plan, PARAMS)
    assert advice.none_why is None and advice.items
    first = advice.items[0]
    assert isinstance(first.change, NewLeader)
    assert first.change.languages == ["sv"] and first.change.qualified and first.change.base_hub == "lohja"
    assert [w.day for w in first.change.available] == ["tue"]
    assert first.placed_gain == 5 and first.diff.placed == [f"s{i:02d}" for i in range(1, 6)]
    assert first.diff.by_place == [PlacedCount(municipality="Lohja", language="sv", clients=5)]
    # the new group of five has two leaders, the new one and stina, for three hours each
    [opened] = first.diff.groups_opened
    assert sorted(opened.leaders) == sorted([first.change.id, "stina"]) and opened.language == "sv"
    assert first.cost_hours == 6.0 and first.score == pytest.approx(5 / 7, abs=1e-4)
    assert not any(i.change.kind == "staff_availability" for i in advice.items)


def test_a_room_closed_on_the_only_day_is_the_first_advice() -> None:
    prob, plan = planned(closed_thursdays())
    assert len(plan.unassigned) == 4 and not plan.groups
    advice = advise(prob, plan, PARAMS)
    assert advice.none_why is None and advice.items
    first = advice.items[0]
    # opening the room there is and adding a room place the same four at the same cost:
    # the room that exists comes first
    assert isinstance(first.change, RoomOpened)
    assert first.change.hub == "lohja" and first.change.room == "lohja/room"
    assert [w.day for w in first.change.add] == ["thu"]
    assert first.placed_gain == 4
    assert first.diff.by_place == [PlacedCount(municipality="Lohja", language="fi", clients=4)]
    [opened] = first.diff.groups_opened
    assert opened.day == "thu" and opened.room == "lohja/room"
    # the staff hours of the new group and two hours for the room
    assert first.cost_hours == 3 * len(opened.leaders) + 2.0
    kinds = {i.change.kind: i for i in advice.items}
    assert "new_room" in kinds and kinds["new_room"].score == first.score
    assert "new_leader" not in kinds  # a leader more opens no room


def test_nothing_to_gain_when_everyone_is_placed() -> None:
    prob, plan = planned(problem(people=clients("f", 4)))
    assert not plan.unassigned
    advice = advise(prob, plan, PARAMS)
    assert advice.items == [] and advice.none_why == "nobody_unplaced" and advice.candidates == 0


def test_nothing_to_gain_when_no_change_reaches_the_clients_left_out() -> None:
    # no group model on music: no leader, room or language brings one
    prob, plan = planned(problem(people=[*clients("f", 4), *clients("m", 3, interests=("music",))]))
    assert len(plan.unassigned) == 3 and {r.code for u in plan.unassigned for r in u.reasons} == {"interest"}
    advice = advise(prob, plan, PARAMS)
    assert advice.items == [] and advice.none_why == "not_addressable" and advice.replanned == 0


def mixed() -> dict[str, Any]:
    """Several shortages at once: the Swedish cluster, a client too far to travel, a Thursday cluster at Nummela."""
    data = swedish_cluster()
    data["hubs"] = [hub(), hub("nummela", at=(60.3326, 24.3254), municipality="Vihti", rooms=[room("nummela/room")])]
    data["staff"] += [leader("pirjo", base="nummela", available=[window("tue"), window("thu")])]
    data["clients"] += [*clients("f", 3), client("far", at=HANKO, max_travel=30, mode="car")]
    data["clients"] += clients("n", 3, at=(60.3326, 24.3254), available=THU)
    data["templates"] = [template(), template("talk", theme="talk", minutes=120, languages=("fi",))]
    return data


@pytest.mark.parametrize("data", [swedish_cluster(), closed_thursdays(), mixed()], ids=["sv", "thu", "mixed"])
def test_every_advised_diff_is_true_and_within_its_bound(data: dict[str, Any]) -> None:
    prob, plan = planned(data)
    advice: Advice = advise(prob, plan, PARAMS)
    assert advice.items
    fixed = fixed_problem(prob, plan)
    for item in advice.items:
        assert 0 < item.placed_gain <= item.bound, item.change
        after = plan_whatif(fixed, [item.change], PARAMS.solve_params())
        assert check(apply_changes(fixed, [item.change]), after) == [], item.change
        assert len(placed_ids(after)) == item.diff.placed_after
        assert item.diff.placed_after - item.diff.placed_before == item.placed_gain
        # every group of the plan is kept in the what-if plan
        kept = {(g.template, g.day, g.start, g.room, tuple(g.leaders)) for g in after.groups}
        assert {(g.template, g.day, g.start, g.room, tuple(g.leaders)) for g in plan.groups} <= kept


def test_the_mixed_problem_gets_advice_of_several_kinds() -> None:
    prob, plan = planned(mixed())
    advice = advise(prob, plan, AdviceParams(time_limit=60, replan_seconds=3, workers=2, top=10))
    kinds = {i.change.kind for i in advice.items}
    assert {"new_leader", "client_travel", "room_opened"} <= kinds, kinds
    travel = next(i for i in advice.items if i.change.kind == "client_travel")
    assert travel.diff.placed == ["far"] and travel.cost_hours == 0.0
