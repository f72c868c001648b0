"""The greedy baseline keeps the handbook's kinds of group as the planner does: a closed group past
its closing session takes no joiners (reason `closed`), a new group runs its own term, a hybrid
group seats in its room only those who come, and a pop-up model is never rostered."""

from __future__ import annotations

from datetime import date

from benchmarks.greedy_baseline import greedy_plan
from tests.builders import build, clients, problem
from tests.solver.test_group_kinds import closed_problem, hybrid_problem, popup_problem, process, two


def test_closed_group_takes_no_joiners_in_the_baseline() -> None:
    plan = greedy_plan(build(closed_problem("closed", "2027-02-01")))
    [group] = plan.groups
    assert group.participants == ["m01", "m02", "m03"]
    assert {u.client: [r.code for r in u.reasons] for u in plan.unassigned} == {
        "new01": ["closed"],
        "new02": ["closed"],
    }
    plan = greedy_plan(build(closed_problem("rolling", "2027-02-01")))
    assert [len(g.participants) for g in plan.groups] == [5]


def test_new_group_runs_its_own_term_in_the_baseline() -> None:
    data = two(problem(templates=[process(sessions=6)], people=clients("c", 4), seats_from="2027-02-01"))
    [group] = greedy_plan(build(data)).groups
    assert (group.start_date, group.sessions) == (date(2027, 2, 2), 6)


def test_hybrid_room_counts_those_present_in_the_baseline() -> None:
    prob = build(hybrid_problem(capacity=6))
    plan = greedy_plan(prob)
    remote_ok = {c.id for c in prob.clients if c.remote_ok}
    assert plan.groups
    for group in plan.groups:
        assert len(group.present) + len(group.leaders) <= 6
        assert set(group.remote_participants) <= remote_ok
        assert {p for p in group.participants if p.startswith("far")} <= set(group.remote_participants)
    assert "stuck" in {u.client for u in plan.unassigned}


def test_popup_is_never_rostered_in_the_baseline() -> None:
    plan = greedy_plan(build(popup_problem(2)))
    assert all(g.template != "drop-in" for g in plan.groups)
    assert {"lohja01", "hanko01"} <= {u.client for u in plan.unassigned}
