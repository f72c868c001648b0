"""The planner obeys a client's service period: it places a client anew only on a weekday with a
session inside a decision in force (capped at 18 months), never in a group they declined, and
tells a client with no such session the reason `decision` with its date (`solver.decisions`).

The term runs from Monday 2027-01-11 for 12 weeks (to Sunday 2027-04-04). Every plan is read
back by the independent checker.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from scheduler.checker import check
from scheduler.contract import Plan, Problem, Reason
from solver import SolveParams, solve
from solver.decisions import DecisionDays, decision_days, held_dates
from tests.builders import build, client, clients, leader, problem, room, running_group, window

FAST = SolveParams(time_limit=10, workers=1)
WHOLE_TERM = [{"start": "2026-12-01", "end": "2027-05-31"}]


def planned(data: dict[str, Any]) -> tuple[Problem, Plan]:
    prob = build(data)
    plan = solve(prob, FAST)
    assert check(prob, plan) == [], "the independent checker rejects the plan"
    return prob, plan


def decided(id: str, decisions: list[dict[str, str]], **kwargs: Any) -> dict[str, Any]:
    opened = min((d["start"] for d in decisions), default="2026-10-01")
    return {**client(id, **kwargs), "decisions": decisions, "case_opened": min(opened, "2026-10-01")}


def placed(plan: Plan) -> dict[str, str]:
    """Each placed client's group day."""
    return {p: g.day for g in plan.groups for p in g.participants}


def reason_of(plan: Plan, cid: str) -> Reason:
    [entry] = [u for u in plan.unassigned if u.client == cid]
    [reason] = entry.reasons
    return reason


def test_decision_in_force() -> None:
    """Clients whose decisions cover the term are placed as anyone."""
    people = [decided(f"c{i}", WHOLE_TERM) for i in range(1, 5)]
    _, plan = planned(problem(people=people))
    assert set(placed(plan)) == {"c1", "c2", "c3", "c4"}


def test_a_decision_ended_before_the_first_seat_day_is_the_reason_decision() -> None:
    ended = decided("ended", [{"start": "2026-05-01", "end": "2026-10-31"}])
    _, plan = planned(problem(people=[*clients("c", 4), ended]))
    assert "ended" not in placed(plan) and len(placed(plan)) == 4
    reason = reason_of(plan, "ended")
    assert reason.code == "decision"
    assert reason.detail == "no decision in force from 2027-01-11: the last one ended on 2026-10-31"
    assert reason.args == {"case": "ended", "first": "2027-01-11", "date": "2026-10-31"}


def test_seats_from_counts_as_the_first_seat_day() -> None:
    """A decision that ends before the planning day leaves no session, though the term began earlier."""
    ends = decided("ends", [{"start": "2026-09-01", "end": "2027-02-28"}])
    _, before = planned(problem(people=[*clients("c", 4), ends]))
    assert "ends" in placed(before)
    _, after = planned(problem(people=[*clients("c", 4), ends], seats_from="2027-03-01"))
    assert "ends" not in placed(after)
    assert reason_of(after, "ends").args == {"case": "ended", "first": "2027-03-01", "date": "2027-02-28"}


def test_the_18_month_cap_ends_the_service() -> None:
    """Continuations without a gap make one period, which the cap ends 18 months after its first day."""
    spans = [("2025-07-01", "2025-12-31"), ("2026-01-01", "2026-06-30"), ("2026-07-01", "2027-06-30")]
    capped = decided("capped", [{"start": a, "end": b} for a, b in spans])
    _, plan = planned(problem(people=[*clients("c", 4), capped]))
    assert "capped" not in placed(plan)
    reason = reason_of(plan, "capped")
    assert reason.code == "decision" and reason.args == {"case": "cap", "date": "2026-12-31"}
    assert "18-month limit on 2026-12-31" in reason.detail


def test_a_decision_after_the_term_is_named() -> None:
    later = decided("later", [{"start": "2027-05-03", "end": "2027-11-02"}])
    _, plan = planned(problem(people=[*clients("c", 4), later]))
    reason = reason_of(plan, "later")
    assert reason.args == {"case": "after_term", "date": "2027-05-03"}
    assert reason.detail == "the next decision starts on 2027-05-03, after the term"


def test_a_decision_starting_mid_term_allows_only_the_weekdays_with_a_session_in_it() -> None:
    """From Wednesday 2027-03-31 the term's last week has Wednesday to Sunday left; from Monday
    2027-03-29 all but Monday, which is Easter Monday."""
    late = decided("late", [{"start": "2027-03-31", "end": "2027-09-30"}])
    easter = decided("easter", [{"start": "2027-03-29", "end": "2027-09-28"}])
    prob = build(problem(people=[late, easter]))
    held = held_dates(prob)
    assert decision_days(prob, prob.clients[0], held) == DecisionDays(frozenset({"wed", "thu", "fri", "sat", "sun"}))
    assert decision_days(prob, prob.clients[1], held) == DecisionDays(
        frozenset({"tue", "wed", "thu", "fri", "sat", "sun"})
    )

    both = [window("tue"), window("thu")]
    people = [*clients("c", 3, available=both), {**late, "available": both}]
    staff = [leader("aino", available=both), leader("mikko", available=both)]
    hubs = [{**problem()["hubs"][0], "rooms": [room(available=both)]}]
    _, plan = planned(problem(people=people, staff=staff, hubs=hubs))
    assert placed(plan).get("late") == "thu"


def test_a_client_whose_only_days_miss_the_decision_is_not_placed_on_them() -> None:
    late = decided("late", [{"start": "2027-03-31", "end": "2027-09-30"}])  # no Tuesday in force
    _, plan = planned(problem(people=[*clients("c", 3), late]))
    assert "late" not in placed(plan) and len(placed(plan)) == 3


def test_declined_not_offered() -> None:
    """A client who declined the running group is not placed in it; one who did not is."""
    declined = [{"group": "running", "reason": "time", "on": "2027-01-04"}]
    people = [*clients("c", 3), {**client("no"), "declined": declined}, client("yes")]
    _, plan = planned(problem(people=people, groups=[running_group(["c01", "c02", "c03"], pinned=True)]))
    [group] = plan.groups
    assert "yes" in group.participants and "no" not in group.participants
    assert "no" not in placed(plan)


def test_a_participant_already_in_a_group_stays_whatever_their_record_says() -> None:
    """A seated client who declined the group or whose decision ended keeps their seat in a pinned group."""
    declined = [{"group": "running", "reason": "time", "on": "2027-01-04"}]
    ended = [{"start": "2026-05-01", "end": "2026-10-31"}]
    people = [*clients("c", 2), {**client("no"), "declined": declined}, decided("ended", ended)]
    _, plan = planned(problem(people=people, groups=[running_group(["c01", "no", "ended"], pinned=True)]))
    [group] = plan.groups
    assert {"no", "ended"} <= set(group.participants)


def test_a_problem_without_decisions_plans_as_before() -> None:
    """Decisions in force on every session (and case openings on the waiting days) change nothing."""
    avail = [window("tue"), window("wed", "12:00", "16:00")]
    staff = [leader("aino", available=avail), leader("mikko", available=avail), leader("sara", available=avail)]
    hubs = [{**problem()["hubs"][0], "rooms": [room(available=avail)]}]
    people = [
        client(f"c{i:02d}", available=[avail[i % 2]] if i % 3 else avail, waiting_since=f"2026-{1 + i % 9:02d}-01")
        for i in range(1, 15)
    ]
    _, before = planned(problem(people=people, staff=staff, hubs=hubs))
    with_service = [{**c, "case_opened": c["waiting_since"], "decisions": WHOLE_TERM} for c in people]
    _, after = planned(problem(people=with_service, staff=staff, hubs=hubs))
    assert [g.model_dump() for g in after.groups] == [g.model_dump() for g in before.groups]
    assert after.metrics.objective == before.metrics.objective
    assert date.fromisoformat("2026-12-01") < date(2027, 1, 11)  # WHOLE_TERM starts before the term


def test_a_decision_in_force_on_no_held_session_says_so() -> None:
    """A one-day decision on a closed Tuesday leaves no session: the reason names the decision's days."""
    short = decided("short", [{"start": "2027-01-12", "end": "2027-01-12"}])
    prob = build(problem(people=[short], closures=["2027-01-12"]))
    limit = decision_days(prob, prob.clients[0], held_dates(prob))
    assert limit is not None and limit.days == frozenset()
    assert limit.reason is not None and limit.reason.code == "decision"
    assert limit.reason.args == {"case": "no_session", "start": "2027-01-12", "end": "2027-01-12"}
