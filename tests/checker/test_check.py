"""The independent checker finds every broken hard constraint H1–H10 of a plan.

Each test breaks the valid tiny plan of tests/data/ (or its problem) in one
way and expects the checker to name the rule part by its key, and the offending id;
a rule part's test is named `test_<key>` (scheduler.contract.rules).
"""

from __future__ import annotations

from datetime import date

import pytest

from scheduler.checker import (
    Violation,
    check,
    client_travel_minutes,
    format_report,
    hub_travel_minutes,
)
from scheduler.contract import (
    Decision,
    Declined,
    Group,
    Plan,
    Problem,
    Reason,
    Unassigned,
    Window,
)
from tests.checker.tiny import (
    ART,
    LOHJA,
    LOHJA_ROOM,
    NATURE,
    NUMMELA,
    NUMMELA_ROOM,
    TINY_PROBLEM,
    VALID_PLAN,
    client,
    extra_group,
    found,
    group,
    room,
    rules,
    staff,
    template,
)

# --- the valid example and the travel formula ---------------------------------------


def test_valid_tiny_plan_has_no_violations() -> None:
    assert check(TINY_PROBLEM, VALID_PLAN) == []


def test_travel_formula_matches_the_example_readme(problem: Problem) -> None:
    assert client_travel_minutes(problem, client(problem, "a09"), LOHJA) == 211
    assert hub_travel_minutes(problem, LOHJA, LOHJA) == 0
    assert hub_travel_minutes(problem, LOHJA, NUMMELA) == 28
    assert hub_travel_minutes(problem, NUMMELA, LOHJA) == 28


def test_travel_overrides_win_and_are_looked_up_both_ways(problem: Problem) -> None:
    problem.travel.hub_minutes = {NUMMELA: {LOHJA: 50}}
    problem.travel.client_minutes = {"a01": {LOHJA: 7}}
    assert hub_travel_minutes(problem, LOHJA, NUMMELA) == 50
    assert client_travel_minutes(problem, client(problem, "a01"), LOHJA) == 7


# --- H1 references ------------------------------------------------------------------


def test_template_exists(problem: Problem, plan: Plan) -> None:
    group(plan, ART).template = "no-such-template"
    found(problem, plan, "template_exists", ART, "no-such-template")


def test_room_exists(problem: Problem, plan: Plan) -> None:
    group(plan, ART).room = "nummela-kirjasto/cellar"
    found(problem, plan, "room_exists", "nummela-kirjasto/cellar")


def test_hub_exists(problem: Problem, plan: Plan) -> None:
    group(plan, ART).hub = "nowhere"
    found(problem, plan, "hub_exists", ART, "nowhere")


def test_room_in_its_hub(problem: Problem, plan: Plan) -> None:
    group(plan, ART).room = LOHJA_ROOM
    found(problem, plan, "room_in_its_hub", ART, LOHJA_ROOM, NUMMELA)


def test_in_person_has_hub(problem: Problem, plan: Plan) -> None:
    group(plan, ART).hub = None
    found(problem, plan, "in_person_has_hub", ART)


def test_in_person_has_room(problem: Problem, plan: Plan) -> None:
    group(plan, ART).room = None
    found(problem, plan, "in_person_has_room", ART)


def test_in_person_group_without_hub_and_room_breaks_both(problem: Problem, plan: Plan) -> None:
    group(plan, ART).hub = None
    group(plan, ART).room = None
    assert {v.key for v in check(problem, plan)} >= {"in_person_has_hub", "in_person_has_room"}


def test_remote_has_no_place(problem: Problem, plan: Plan) -> None:
    template(problem, "taide").modality = "remote"
    group(plan, ART).modality = "remote"
    found(problem, plan, "remote_has_no_place", ART, NUMMELA)


def test_modality_matches_template(problem: Problem, plan: Plan) -> None:
    template(problem, "taide").modality = "remote"
    found(problem, plan, "modality_matches_template", ART, "taide")


def test_leader_exists(problem: Problem, plan: Plan) -> None:
    group(plan, ART).leaders = ["ghost"]
    found(problem, plan, "leader_exists", ART, "ghost")


def test_client_exists(problem: Problem, plan: Plan) -> None:
    group(plan, ART).participants.append("z99")
    found(problem, plan, "client_exists", ART, "z99")


def test_client_exists_also_when_listed_unassigned(problem: Problem, plan: Plan) -> None:
    plan.unassigned.append(Unassigned(client="z42", reasons=[Reason(code="travel", detail="far")]))
    found(problem, plan, "client_exists", "z42")


def test_group_ids_unique(problem: Problem, plan: Plan) -> None:
    plan.groups[1].id = NATURE
    found(problem, plan, "group_ids_unique", NATURE)


def test_plan_full_of_broken_references_does_not_raise(problem: Problem) -> None:
    broken = Plan(
        status="feasible",
        groups=[
            Group(
                id="x",
                template="nope",
                modality="in_person",
                hub="nowhere",
                room="void",
                language="xx",
                day="sun",
                start="03:10",
                end="04:00",
                leaders=["ghost", "ghost", "spook", "phantom"],
                participants=["z1", "z1"],
            ),
            Group(
                id="x",
                template="luonto",
                modality="remote",
                hub="nowhere",
                room=None,
                language="fi",
                day="mon",
                start="10:00",
                end="11:00",
            ),
            Group(
                id="y",
                template="taide",
                modality="in_person",
                hub=None,
                room=NUMMELA_ROOM,
                language="sv",
                day="wed",
                start="10:00",
                end="12:00",
                leaders=["ghost"],
                participants=["a06", "nobody"],
            ),
        ],
        unassigned=[Unassigned(client="z2"), Unassigned(client="z2")],
        metrics={"placed": 0, "unassigned": 0, "groups_new": 0, "groups_total": 0},
    )
    violations = check(problem, broken)
    assert {"H1", "H3", "H5", "H10"} <= {v.rule for v in violations}
    assert violations == check(problem, broken)
    assert format_report(violations)


# --- H2 language --------------------------------------------------------------------


def test_template_offers_language(problem: Problem, plan: Plan) -> None:
    group(plan, ART).language = "en"
    found(problem, plan, "template_offers_language", ART, "en")


def test_language(problem: Problem, plan: Plan) -> None:
    group(plan, ART).language = "fi"
    found(problem, plan, "language", "a06", "fi")


def test_leader_speaks_language(problem: Problem, plan: Plan) -> None:
    group(plan, NATURE).language = "sv"
    found(problem, plan, "leader_speaks_language", "mikko", "sv")


# --- H3 size ------------------------------------------------------------------------


def test_participants_distinct(problem: Problem, plan: Plan) -> None:
    group(plan, ART).participants.append("a07")
    found(problem, plan, "participants_distinct", ART, "a07")


def test_group_not_too_large(problem: Problem, plan: Plan) -> None:
    template(problem, "taide").max_size = 3
    template(problem, "taide").min_size = 3
    group(plan, ART).participants.append("a09")
    found(problem, plan, "group_not_too_large", ART, "4")


def test_group_not_too_small(problem: Problem, plan: Plan) -> None:
    group(plan, ART).participants.remove("a08")
    found(problem, plan, "group_not_too_small", ART, "2")


def test_pinned_group_may_be_small(problem: Problem, plan: Plan) -> None:
    group(plan, ART).participants.remove("a08")
    group(plan, ART).pinned = True
    assert "H3" not in rules(problem, plan)


# --- H4 rooms -----------------------------------------------------------------------


def test_room_fits_everyone(problem: Problem, plan: Plan) -> None:
    room(problem, NUMMELA_ROOM).capacity = 3  # three participants and one leader
    found(problem, plan, "room_fits_everyone", ART, NUMMELA_ROOM)


def test_room_available(problem: Problem, plan: Plan) -> None:
    room(problem, NUMMELA_ROOM).available = [Window(day="wed", start="11:00", end="15:00")]
    found(problem, plan, "room_available", ART, NUMMELA_ROOM)


def test_one_session_per_room(problem: Problem, plan: Plan) -> None:
    nature = group(plan, NATURE)
    plan.groups.append(extra_group(nature, "g-second", start="12:00", end="15:00", participants=[]))
    found(problem, plan, "one_session_per_room", NATURE, "g-second", LOHJA_ROOM)


def test_back_to_back_sessions_share_a_room(problem: Problem, plan: Plan) -> None:
    nature = group(plan, NATURE)
    plan.groups.append(extra_group(nature, "g-second", start="13:00", end="16:00", participants=[]))
    assert not [v for v in check(problem, plan) if v.key == "one_session_per_room"]


def test_accessibility(problem: Problem, plan: Plan) -> None:
    client(problem, "a06").needs_accessible = True
    found(problem, plan, "accessibility", "a06", NUMMELA_ROOM)


# --- H5 leaders ---------------------------------------------------------------------


def test_has_a_leader(problem: Problem, plan: Plan) -> None:
    group(plan, ART).leaders = []
    found(problem, plan, "has_a_leader", ART)


def test_at_most_two_leaders(problem: Problem, plan: Plan) -> None:
    group(plan, NATURE).leaders.append("sara")
    found(problem, plan, "at_most_two_leaders", NATURE, "sara")


def test_leaders_distinct(problem: Problem, plan: Plan) -> None:
    group(plan, ART).leaders = ["sara", "sara"]
    found(problem, plan, "leaders_distinct", ART, "sara")


def test_one_qualified_leader(problem: Problem, plan: Plan) -> None:
    staff(problem, "sara").qualified = False
    found(problem, plan, "one_qualified_leader", ART, "sara")


def test_five_need_two_leaders(problem: Problem, plan: Plan) -> None:
    group(plan, NATURE).leaders = ["aino"]
    violations = found(problem, plan, "five_need_two_leaders", NATURE, "5")
    assert any(v.label == "Two leaders for five or more" for v in violations)


def test_four_need_one_leader(problem: Problem, plan: Plan) -> None:
    group(plan, NATURE).leaders = ["aino"]
    group(plan, NATURE).participants.remove("a05")
    plan.unassigned.append(Unassigned(client="a05", reasons=[Reason(code="capacity", detail="x")]))
    assert check(problem, plan) == []


def test_skills_covered(problem: Problem, plan: Plan) -> None:
    staff(problem, "aino").skills = ["sport"]
    found(problem, plan, "skills_covered", NATURE, "nature")


# --- H6 staff time ------------------------------------------------------------------


def test_leader_available(problem: Problem, plan: Plan) -> None:
    staff(problem, "mikko").available = [Window(day="tue", start="11:00", end="16:00")]
    found(problem, plan, "leader_available", "mikko", NATURE)


def test_leader_one_session_at_a_time(problem: Problem, plan: Plan) -> None:
    nature = group(plan, NATURE)
    second = extra_group(nature, "g-second", start="12:00", end="15:00", leaders=["aino"])
    plan.groups.append(second)
    found(problem, plan, "leader_one_session_at_a_time", "aino", NATURE, "g-second")


def add_nummela_tuesday(problem: Problem, plan: Plan, start: str, end: str) -> None:
    """aino leads the nature group at Lohja, then an art group at Nummela the same Tuesday."""
    room(problem, NUMMELA_ROOM).available.append(Window(day="tue", start="08:00", end="16:00"))
    art = group(plan, ART)
    plan.groups.append(
        extra_group(
            art,
            "g-taide-nummela-tue",
            day="tue",
            start=start,
            end=end,
            language="fi",
            leaders=["aino"],
            participants=[],
        )
    )


def test_leader_travel_time(problem: Problem, plan: Plan) -> None:
    problem.travel.hub_minutes = {NUMMELA: {LOHJA: 45}}  # found as [b][a]
    add_nummela_tuesday(problem, plan, "13:30", "15:30")  # 30 min after the nature group
    found(problem, plan, "leader_travel_time", "aino", NATURE, "g-taide-nummela-tue", "45")


def test_leader_travel_by_the_default_formula_fits(problem: Problem, plan: Plan) -> None:
    add_nummela_tuesday(problem, plan, "13:30", "15:30")  # 30 min >= 28 min by car
    assert "H6" not in rules(problem, plan)


def test_leader_within_reach(problem: Problem, plan: Plan) -> None:
    """With no reach at all, a leader leads only at their own base hub (pinned groups aside)."""
    group_ = next(g for g in plan.groups if g.hub and not g.pinned and g.leaders)
    elsewhere = next(h.id for h in problem.hubs if h.id != group_.hub)
    staff(problem, group_.leaders[0]).base_hub = elsewhere
    problem.policy.leader_reach_minutes = 0
    found(problem, plan, "leader_within_reach", group_.leaders[0], group_.id, "reach is 0 min")
    problem.policy.leader_reach_minutes = None
    assert "leader_within_reach" not in {v.key for v in check(problem, plan)}


def test_leader_weekly_minutes(problem: Problem, plan: Plan) -> None:
    staff(problem, "mikko").max_weekly_minutes = 120
    found(problem, plan, "leader_weekly_minutes", "mikko", "180", "120")


# --- H7 clients ---------------------------------------------------------------------


def test_groups_per_week(problem: Problem, plan: Plan) -> None:
    group(plan, ART).participants.append("a02")
    violations = found(problem, plan, "groups_per_week", "a02", NATURE, ART)
    assert any(v.label == "Too many groups" for v in violations)


def test_client_one_session_at_a_time(problem: Problem, plan: Plan) -> None:
    client(problem, "a01").max_groups_per_week = 2
    nature = group(plan, NATURE)
    plan.groups.append(extra_group(nature, "g-second", start="12:00", end="15:00", participants=["a01"]))
    violations = found(problem, plan, "client_one_session_at_a_time", "a01", NATURE, "g-second")
    assert any(v.label == "Client double-booked" for v in violations)


def test_availability(problem: Problem, plan: Plan) -> None:
    client(problem, "a01").available = [Window(day="tue", start="11:00", end="15:00")]
    found(problem, plan, "availability", "a01", NATURE)


def test_travel(problem: Problem, plan: Plan) -> None:
    client(problem, "a01").max_travel_minutes = 10  # 11 min by transit
    found(problem, plan, "travel", "a01", LOHJA)


def test_client_travel_override_counts(problem: Problem, plan: Plan) -> None:
    problem.travel.client_minutes = {"a06": {NUMMELA: 90}}
    found(problem, plan, "travel", "a06", NUMMELA, "90")


def test_remote(problem: Problem, plan: Plan) -> None:
    template(problem, "taide").modality = "remote"
    art = group(plan, ART)
    art.modality, art.hub, art.room = "remote", None, None
    client(problem, "a07").remote_ok = True
    client(problem, "a08").remote_ok = True
    violations = [v for v in check(problem, plan) if v.rule == "H7"]
    assert [v.key for v in violations] == ["remote"]
    assert [v.label for v in violations] == ["Remote not suitable"]
    found(problem, plan, "remote", "a06", ART)


def test_interest(problem: Problem, plan: Plan) -> None:
    client(problem, "a01").interests = ["art"]
    found(problem, plan, "interest", "a01", "nature")


def test_audience(problem: Problem, plan: Plan) -> None:
    template(problem, "taide").audience = "youth"
    client(problem, "a07").audiences = ["youth"]
    client(problem, "a08").audiences = ["youth"]
    violations = [v for v in check(problem, plan) if v.rule == "H7"]
    assert [v.key for v in violations] == ["audience"]
    found(problem, plan, "audience", "a06", "youth")


# --- H8 timing ----------------------------------------------------------------------


def test_times_readable(problem: Problem, plan: Plan) -> None:
    group(plan, ART).end = "25:00"
    found(problem, plan, "times_readable", ART, "25:00")


def test_start_on_grid(problem: Problem, plan: Plan) -> None:
    art = group(plan, ART)
    art.start, art.end = "10:15", "12:15"
    found(problem, plan, "start_on_grid", ART, "10:15")


def test_template_duration(problem: Problem, plan: Plan) -> None:
    group(plan, ART).end = "12:30"
    found(problem, plan, "template_duration", ART, "150", "120")


def test_day_has_window(problem: Problem, plan: Plan) -> None:
    group(plan, ART).day = "thu"
    found(problem, plan, "day_has_window", ART, "thu")


def test_remote_session_falls_on_a_day_of_a_leaders_windows(problem: Problem, plan: Plan) -> None:
    template(problem, "taide").modality = "remote"
    art = group(plan, ART)
    art.modality, art.hub, art.room, art.day = "remote", None, None, "fri"
    found(problem, plan, "day_has_window", ART, "fri")


# --- H7 service periods: decisions and declined groups -------------------------------
# The term runs from Monday 2027-01-11 for 12 weeks (to Sunday 2027-04-04); NATURE meets
# on Tuesdays, the first 2027-01-12, the last 2027-03-30.


def decide(problem: Problem, cid: str, *spans: tuple[str, str]) -> None:
    client(problem, cid).decisions = [
        Decision(start=date.fromisoformat(a), end=date.fromisoformat(b)) for a, b in spans
    ]


def test_decision_in_force(problem: Problem, plan: Plan) -> None:
    decide(problem, "a01", ("2026-05-01", "2026-10-31"))
    [violation] = found(problem, plan, "decision_in_force", "a01", NATURE, "2027-01-11")
    assert violation.label == "No decision in force" and violation.group == NATURE


def test_decision_in_force_on_one_session_is_enough(problem: Problem, plan: Plan) -> None:
    decide(problem, "a01", ("2027-03-30", "2027-09-29"))  # the last Tuesday
    assert check(problem, plan) == []
    decide(problem, "a01", ("2027-03-31", "2027-09-30"))  # the day after it
    found(problem, plan, "decision_in_force", "a01", NATURE)


def test_decision_in_force_none_on_record_is_no_limit(problem: Problem, plan: Plan) -> None:
    decide(problem, "a01")
    assert check(problem, plan) == []


def test_decision_in_force_is_capped_at_18_months(problem: Problem, plan: Plan) -> None:
    # one period without gaps from 2025-07-01: decided until 2027-06-30, capped on 2026-12-31
    decide(problem, "a01", ("2025-07-01", "2025-12-31"), ("2026-01-01", "2026-06-30"), ("2026-07-01", "2027-06-30"))
    found(problem, plan, "decision_in_force", "a01", NATURE)
    # a new decision after a gap starts a new period
    decide(problem, "a01", ("2025-07-01", "2025-12-31"), ("2026-01-01", "2026-06-30"), ("2026-07-02", "2027-06-30"))
    assert check(problem, plan) == []


def test_decision_in_force_skips_closures_and_sessions_before_seats_from(problem: Problem, plan: Plan) -> None:
    decide(problem, "a01", ("2027-01-12", "2027-01-12"))  # the first Tuesday only
    assert check(problem, plan) == []
    problem.closures = [date(2027, 1, 12)]
    found(problem, plan, "decision_in_force", "a01", NATURE)
    problem.closures = []
    problem.seats_from = date(2027, 1, 13)
    found(problem, plan, "decision_in_force", "a01", NATURE, "2027-01-13")


def test_decision_in_force_skips_public_holidays(problem: Problem, plan: Plan) -> None:
    nature = group(plan, NATURE)
    nature.day = "mon"  # Easter Monday 2027-03-29; the room and leaders' days are other rules
    decide(problem, "a01", ("2027-03-29", "2027-03-29"))
    assert "decision_in_force" in {v.key for v in check(problem, plan)}
    decide(problem, "a01", ("2027-03-22", "2027-03-22"))
    assert "decision_in_force" not in {v.key for v in check(problem, plan)}


def test_decision_in_force_leaves_a_participant_already_in_the_group(problem: Problem, plan: Plan) -> None:
    decide(problem, "a01", ("2026-05-01", "2026-10-31"))
    problem.groups = [group(VALID_PLAN, NATURE).model_copy(deep=True, update={"new": False})]
    assert check(problem, plan) == []


def test_declined_not_offered(problem: Problem, plan: Plan) -> None:
    client(problem, "a06").declined = [Declined(group=ART, reason="time", on=date(2027, 1, 4))]
    [violation] = found(problem, plan, "declined_not_offered", "a06", ART)
    assert violation.label == "Declined group offered again"
    problem.groups = [group(VALID_PLAN, ART).model_copy(deep=True, update={"new": False})]
    assert check(problem, plan) == []  # already in the group: stays


# --- H9 pinned groups ---------------------------------------------------------------


@pytest.fixture
def pinned_problem(problem: Problem) -> Problem:
    """The tiny problem with the art group already running and pinned."""
    pin = group(VALID_PLAN, ART).model_copy(deep=True, update={"pinned": True, "new": False})
    pin.participants = ["a06", "a07"]
    problem.groups = [pin]
    return problem


def test_pinned_group_kept_and_grown_is_valid(pinned_problem: Problem, plan: Plan) -> None:
    assert check(pinned_problem, plan) == []


def test_pinned_group_unchanged(pinned_problem: Problem, plan: Plan) -> None:
    art = group(plan, ART)
    art.start, art.end = "11:00", "13:00"
    found(pinned_problem, plan, "pinned_group_unchanged", ART, "start")


def test_pinned_group_unchanged_in_its_leaders(pinned_problem: Problem, plan: Plan) -> None:
    group(plan, ART).leaders = ["sara", "aino"]
    found(pinned_problem, plan, "pinned_group_unchanged", ART, "leaders")


def test_pinned_participants_stay(pinned_problem: Problem, plan: Plan) -> None:
    group(plan, ART).participants.remove("a07")
    plan.unassigned.append(Unassigned(client="a07", reasons=[Reason(code="capacity", detail="x")]))
    found(pinned_problem, plan, "pinned_participants_stay", ART, "a07")


def test_pinned_group_kept(pinned_problem: Problem, plan: Plan) -> None:
    group(plan, ART).id = "g-renamed"
    found(pinned_problem, plan, "pinned_group_kept", ART)


# --- H10 every client accounted for -------------------------------------------------


def test_client_accounted_for(problem: Problem, plan: Plan) -> None:
    plan.unassigned = []
    found(problem, plan, "client_accounted_for", "a09")


def test_unassigned_not_placed(problem: Problem, plan: Plan) -> None:
    plan.unassigned.append(Unassigned(client="a01", reasons=[Reason(code="travel", detail="x")]))
    found(problem, plan, "unassigned_not_placed", "a01")


def test_unassigned_has_reason(problem: Problem, plan: Plan) -> None:
    plan.unassigned[0].reasons = []
    found(problem, plan, "unassigned_has_reason", "a09")


def test_unassigned_listed_once(problem: Problem, plan: Plan) -> None:
    plan.unassigned.append(plan.unassigned[0].model_copy(deep=True))
    found(problem, plan, "unassigned_listed_once", "a09")


# --- the report ---------------------------------------------------------------------


def test_every_violation_listed_in_rule_then_group_order(problem: Problem, plan: Plan) -> None:
    group(plan, ART).language = "en"  # H2
    group(plan, NATURE).leaders = ["aino"]  # H5
    group(plan, ART).participants.remove("a08")  # H3, H10
    violations = check(problem, plan)
    assert {"H2", "H3", "H5", "H10"} <= {v.rule for v in violations}
    keys = [(int(v.rule[1:]), v.group is None, v.group or "") for v in violations]
    assert keys == sorted(keys)
    assert violations == check(problem, plan)


def test_violation_reads_as_rule_label_and_sentence() -> None:
    violation = Violation("one_session_per_room", "groups g1 and g2 both use room r1", "g1")
    assert (violation.rule, violation.label) == ("H4", "Room conflict")
    assert str(violation) == "H4 Room conflict: groups g1 and g2 both use room r1"


def test_violation_needs_a_rule_key() -> None:
    with pytest.raises(ValueError, match="room_clash"):
        Violation("room_clash", "groups g1 and g2 both use room r1", "g1")


def test_report_counts_violations_by_rule(problem: Problem, plan: Plan) -> None:
    assert "meets every hard constraint" in format_report([])
    plan.unassigned = []
    report = format_report(check(problem, plan))
    assert report.splitlines()[0].startswith("1 violation")
    assert "H10 Client unaccounted for: client a09" in report
    assert report.endswith("[client_accounted_for]")
