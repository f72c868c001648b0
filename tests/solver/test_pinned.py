"""The pinned-group check (`solver.pinned`): a running group whose leaders no longer meet the leader
rule (H5) or their own time (H6) is an error naming the group, why, and the rule's key."""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.contract import Problem
from solver import PlanningError, SolveParams, solve
from solver.pinned import check_pinned, pinned_faults
from tests.builders import build, clients, hub, leader, problem, room, running_group, template, window


def _running(leaders: list[str], size: int, language: str = "fi", model: str = "nature") -> dict[str, Any]:
    participants = [f"c{i:02d}" for i in range(1, size + 1)]
    return {**running_group(participants, leaders), "language": language, "template": model}


def _problem(group: dict[str, Any], staff: list | None = None, **extra: Any) -> Problem:
    people = clients("c", 6, languages=("fi", "sv"))
    return build(problem(staff=staff, people=people, groups=[group], **extra))


def _only(prob: Problem) -> str:
    [fault] = pinned_faults(prob)
    return fault


def test_a_pinned_group_that_still_meets_the_rules_passes() -> None:
    assert pinned_faults(_problem(_running(["aino", "mikko"], 6))) == []


def test_has_a_leader() -> None:
    prob = _problem(_running(["aino"], 3))
    no_one = prob.model_copy(update={"groups": [prob.groups[0].model_copy(update={"leaders": []})]})
    assert "it has no leader (rule has_a_leader)" in _only(no_one)


def test_leader_exists_a_leader_who_left_the_staff() -> None:
    prob = _problem(_running(["aino", "mikko"], 3))
    left = prob.model_copy(update={"staff": [s for s in prob.staff if s.id != "mikko"]})
    fault = _only(left)
    assert fault.startswith("pinned group 'running' cannot be kept: ")
    assert "leader 'mikko' is no longer on the staff (rule leader_exists)" in fault


def test_one_qualified_leader_a_qualification_changed() -> None:
    staff = [leader("aino", qualified=False), leader("mikko", qualified=False)]
    fault = _only(_problem(_running(["aino", "mikko"], 3), staff=staff))
    assert "'running'" in fault and "none of its leaders ('aino', 'mikko') is a qualified" in fault
    assert fault.endswith("(rule one_qualified_leader)")


def test_five_need_two_leaders_a_group_of_five_left_with_one() -> None:
    fault = _only(_problem(_running(["aino"], 5)))
    assert "it has 5 participants and only one leader ('aino')" in fault
    assert fault.endswith("(rule five_need_two_leaders)")


def test_skills_covered_a_skill_nobody_has() -> None:
    prob = _problem(_running(["aino", "mikko"], 3), templates=[template(skills=("first_aid",))])
    fault = _only(prob)
    assert "lack 'first_aid', required by group model 'nature'" in fault and fault.endswith("(rule skills_covered)")


def test_leader_speaks_language_a_leader_no_longer_speaks_it() -> None:
    staff = [leader("aino", languages=("fi", "sv")), leader("mikko", languages=("fi",))]
    fault = _only(_problem(_running(["aino", "mikko"], 3, language="sv"), staff=staff))
    assert "leader 'mikko' does not speak 'sv' (rule leader_speaks_language)" in fault


def test_leader_available_and_every_fault_at_once() -> None:
    staff = [leader("aino", qualified=False, available=[window("wed")]), leader("mikko", qualified=False)]
    faults = pinned_faults(_problem(_running(["aino"], 5), staff=staff))
    keys = {fault.rsplit("(rule ", 1)[1].rstrip(")") for fault in faults}
    assert keys == {"leader_available", "one_qualified_leader", "five_need_two_leaders"}
    assert all(f.startswith("pinned group 'running' cannot be kept: ") for f in faults)


def test_a_pinned_group_is_exempt_from_leader_reach() -> None:
    far = hub("hanko", at=(59.824, 22.968), rooms=[room("hanko/room")], municipality="Hanko")
    staff = [leader("aino", base="hanko"), leader("mikko", base="hanko")]
    prob = _problem(_running(["aino", "mikko"], 3), staff=staff, hubs=[hub(), far])
    assert prob.policy.leader_reach_minutes is not None
    assert pinned_faults(prob) == []


def test_solve_refuses_with_the_faults_named() -> None:
    staff = [leader("aino", qualified=False), leader("mikko")]
    with pytest.raises(PlanningError, match=r"'running'.*one_qualified_leader"):
        solve(_problem(_running(["aino"], 3), staff=staff), SolveParams(time_limit=5, workers=1))
    with pytest.raises(PlanningError, match="five_need_two_leaders"):
        check_pinned(_problem(_running(["mikko"], 6)))
