"""The checker on the group kinds (issue 17): pop-ups, closed models, each group's own term,
hybrid groups and peer instructors.

Each test breaks the valid tiny plan (tests/checker/tiny.py) in one way and expects the
checker to name the rule part by its key, then mends it (or shows the case the rule
allows) and expects the plan to pass. The tiny season runs from Monday 2027-01-11 for 12
weeks to Sunday 2027-04-04; the nature group meets on Tuesdays (2027-01-12 to 2027-03-30),
the art group on Wednesdays.
"""

from __future__ import annotations

from datetime import date

from scheduler.checker import check, format_report
from scheduler.contract import Decision, Group, Plan, Problem
from tests.checker.tiny import (
    ART,
    NATURE,
    NUMMELA,
    NUMMELA_ROOM,
    client,
    extra_group,
    found,
    group,
    keys,
    room,
    staff,
    template,
)

POPUP = "g-avoin-nummela-wed"


def clean(problem: Problem, plan: Plan) -> None:
    violations = check(problem, plan)
    assert violations == [], format_report(violations)


def add_popup(problem: Problem, plan: Plan, gid: str = POPUP, leaders: tuple[str, ...] = ("aino", "sara")) -> Group:
    """An open model (a pop-up of the nature model's shape) and a new pop-up of it at Nummela on
    Wednesday 12:00-15:00, after the art group in the same room; the problem gets one slot."""
    if not any(t.id == "avoin" for t in problem.templates):
        problem.templates.append(
            template(problem, "luonto").model_copy(update={"id": "avoin", "kind": "popup", "admission": "open"})
        )
    popup = extra_group(
        group(plan, ART),
        gid,
        template="avoin",
        language="fi",
        start="12:00",
        end="15:00",
        leaders=list(leaders),
        participants=[],
        new=True,
    )
    plan.groups.append(popup)
    problem.popup_slots = max(problem.popup_slots, 1)
    return popup


def make_hybrid(problem: Problem, plan: Plan, *remote: str) -> Group:
    """The art group run hybrid: its room for those present, the named participants from home."""
    template(problem, "taide").modality = "hybrid"
    art = group(plan, ART)
    art.modality = "hybrid"
    art.remote_participants = list(remote)
    return art


def decide(problem: Problem, cid: str, *spans: tuple[str, str]) -> None:
    client(problem, cid).decisions = [
        Decision(start=date.fromisoformat(a), end=date.fromisoformat(b)) for a, b in spans
    ]


# --- H1 references: hybrid groups ---------------------------------------------------


def test_remote_participants_listed(problem: Problem, plan: Plan) -> None:
    client(problem, "a07").remote_ok = True
    art = make_hybrid(problem, plan, "a07")
    clean(problem, plan)
    art.remote_participants = ["a07", "a01"]  # a01 is in the nature group, not this one
    [violation] = found(problem, plan, "remote_participants_listed", ART, "a01")
    assert "a07" not in violation.message
    assert violation.label == "Remote participant not in the group"


def test_remote_participants_listed_only_in_a_hybrid_group(problem: Problem, plan: Plan) -> None:
    client(problem, "a07").remote_ok = True
    group(plan, ART).remote_participants = ["a07"]  # the art group meets in person
    found(problem, plan, "remote_participants_listed", ART, "in_person", "a07")


def test_in_person_has_hub_and_room_also_for_a_hybrid_group(problem: Problem, plan: Plan) -> None:
    art = make_hybrid(problem, plan)
    clean(problem, plan)
    art.hub, art.room = None, None
    found(problem, plan, "in_person_has_hub", "hybrid group", ART)
    found(problem, plan, "in_person_has_room", "hybrid group", ART)
    art.hub, art.room = NUMMELA, "lohja-sote/ryhmahuone"
    found(problem, plan, "room_in_its_hub", ART, NUMMELA)


def test_hybrid_group_meets_on_a_day_of_its_rooms_windows(problem: Problem, plan: Plan) -> None:
    make_hybrid(problem, plan)
    sara = staff(problem, "sara")  # the leader is free on Thursday; the room is not
    sara.available.append(sara.available[0].model_copy(update={"day": "thu"}))
    group(plan, ART).day = "thu"
    found(problem, plan, "day_has_window", ART, "its room")


# --- H3 pop-ups ---------------------------------------------------------------------


def test_popup_has_no_roster(problem: Problem, plan: Plan) -> None:
    popup = add_popup(problem, plan)
    clean(problem, plan)
    popup.participants = ["a09"]
    [violation] = found(problem, plan, "popup_has_no_roster", POPUP, "a09")
    assert violation.label == "Pop-up with a roster"


def test_popup_slots(problem: Problem, plan: Plan) -> None:
    add_popup(problem, plan)
    add_popup(problem, plan, "g-avoin-2", leaders=("aino", "sara"))
    problem.popup_slots = 1
    [violation] = found(problem, plan, "popup_slots", POPUP, "g-avoin-2", "allows 1")
    assert violation.group is None and violation.label == "Too many pop-ups"
    problem.popup_slots = 2
    assert "popup_slots" not in keys(problem, plan)


def test_popup_slots_count_only_new_popups(problem: Problem, plan: Plan) -> None:
    popup = add_popup(problem, plan)
    problem.popup_slots = 0
    found(problem, plan, "popup_slots", POPUP, "allows 0")
    popup.new = False
    problem.groups = [popup.model_copy(deep=True)]  # it runs already
    clean(problem, plan)


def test_group_not_too_small_but_a_popup_has_no_minimum(problem: Problem, plan: Plan) -> None:
    add_popup(problem, plan)
    clean(problem, plan)  # a pop-up of no participants
    template(problem, "avoin").admission = "rolling"  # the same model taking a roster
    found(problem, plan, "group_not_too_small", POPUP, "0 participants")


# --- H4 rooms: only those present -----------------------------------------------------


def test_room_fits_everyone_counts_only_those_present(problem: Problem, plan: Plan) -> None:
    client(problem, "a08").remote_ok = True
    make_hybrid(problem, plan)
    room(problem, NUMMELA_ROOM).capacity = 3  # three participants and one leader
    found(problem, plan, "room_fits_everyone", ART, "4 people present", NUMMELA_ROOM)
    group(plan, ART).remote_participants = ["a08"]  # a08 joins from home
    clean(problem, plan)


def test_accessibility_only_for_those_present(problem: Problem, plan: Plan) -> None:
    client(problem, "a06").needs_accessible = True
    client(problem, "a06").remote_ok = True
    make_hybrid(problem, plan)
    found(problem, plan, "accessibility", "a06", NUMMELA_ROOM)
    group(plan, ART).remote_participants = ["a06"]
    clean(problem, plan)


def test_a_hybrid_groups_room_is_open_for_it_and_holds_one_session(problem: Problem, plan: Plan) -> None:
    make_hybrid(problem, plan)
    room(problem, NUMMELA_ROOM).available[0].start = "11:00"
    found(problem, plan, "room_available", ART, NUMMELA_ROOM)
    room(problem, NUMMELA_ROOM).available[0].start = "09:00"
    add_popup(problem, plan).start = "11:00"
    found(problem, plan, "one_session_per_room", ART, POPUP, NUMMELA_ROOM)


# --- H5 leaders: pop-ups and peer instructors -----------------------------------------


def test_five_need_two_leaders_counts_a_popups_visitors(problem: Problem, plan: Plan) -> None:
    add_popup(problem, plan, leaders=("aino",))
    # the room holds 8: 7 visitors besides one leader (the model allows 10)
    found(problem, plan, "five_need_two_leaders", POPUP, "7 visitors", NUMMELA_ROOM)
    room(problem, NUMMELA_ROOM).capacity = 5  # 4 visitors besides the leader: one leads
    clean(problem, plan)
    room(problem, NUMMELA_ROOM).capacity = 8
    template(problem, "avoin").max_size = 4  # the model takes 4 at most
    template(problem, "avoin").min_size = 3
    clean(problem, plan)


def test_peer_beside_professional(problem: Problem, plan: Plan) -> None:
    sara = staff(problem, "sara")
    sara.peer, sara.qualified = True, False
    [violation] = found(problem, plan, "peer_beside_professional", ART, "sara")
    assert violation.label == "Peer instructor alone"
    group(plan, ART).leaders = ["aino", "sara"]  # beside a qualified professional
    clean(problem, plan)


def test_a_peer_and_an_unqualified_partner_lead_no_group(problem: Problem, plan: Plan) -> None:
    staff(problem, "mikko").peer = True
    staff(problem, "aino").qualified = False
    assert {"peer_beside_professional", "one_qualified_leader"} <= keys(problem, plan)
    found(problem, plan, "peer_beside_professional", NATURE, "mikko")


# --- H7 clients: hybrid groups, closed models, the group's own term -------------------


def test_travel_counts_only_those_present(problem: Problem, plan: Plan) -> None:
    client(problem, "a06").remote_ok = True
    client(problem, "a06").max_travel_minutes = 5
    make_hybrid(problem, plan)
    found(problem, plan, "travel", "a06", NUMMELA)
    group(plan, ART).remote_participants = ["a06"]
    clean(problem, plan)


def test_remote_from_a_hybrid_group_needs_remote_ok(problem: Problem, plan: Plan) -> None:
    make_hybrid(problem, plan, "a06")
    [violation] = found(problem, plan, "remote", "a06", ART, "from home")
    assert violation.label == "Remote not suitable"
    client(problem, "a06").remote_ok = True
    clean(problem, plan)  # a07 and a08, present, need no remote_ok


def closed_nature(problem: Problem, plan: Plan, closes_after: int = 2) -> Group:
    """The nature model closed after `closes_after` sessions; its group runs already with a01..a04
    and the plan seats a05 anew. The new art group starts on 2027-01-20, when seats may start."""
    luonto = template(problem, "luonto")
    luonto.admission, luonto.closes_after = "closed", closes_after
    nature = group(plan, NATURE)
    nature.new = False
    running = nature.model_copy(deep=True)
    running.participants.remove("a05")
    problem.groups = [running]
    group(plan, ART).start_date = date(2027, 1, 20)
    return nature


def test_closed(problem: Problem, plan: Plan) -> None:
    closed_nature(problem, plan)
    problem.seats_from = date(2027, 1, 20)  # the second session was on Tuesday 2027-01-19
    [violation] = found(problem, plan, "closed", "a05", NATURE, "2027-01-19", "2027-01-20")
    assert violation.label == "Closed group joined"
    assert "a01" not in violation.message  # those already in stay
    problem.seats_from = date(2027, 1, 19)  # a seat from the second session still joins
    clean(problem, plan)


def test_closed_counts_from_the_groups_own_start_and_its_closes_after(problem: Problem, plan: Plan) -> None:
    nature = closed_nature(problem, plan)
    problem.seats_from = date(2027, 1, 20)
    nature.start_date = problem.groups[0].start_date = date(2027, 1, 19)  # its second session is 2027-01-26
    clean(problem, plan)
    nature.start_date = problem.groups[0].start_date = None
    template(problem, "luonto").closes_after = 3  # the third session is 2027-01-26
    clean(problem, plan)
    template(problem, "luonto").admission = "rolling"  # rolling groups take joiners all season
    problem.seats_from = date(2027, 3, 1)
    group(plan, ART).start_date = date(2027, 3, 3)
    clean(problem, plan)


def test_decision_in_force_within_the_groups_own_term(problem: Problem, plan: Plan) -> None:
    template(problem, "luonto").sessions = 4
    group(plan, NATURE).sessions = 4  # 2027-01-12 to 2027-02-02
    clean(problem, plan)
    decide(problem, "a01", ("2027-02-09", "2027-08-08"))  # in force after the group's last session
    found(problem, plan, "decision_in_force", "a01", NATURE, "2027-02-02")
    decide(problem, "a01", ("2027-02-02", "2027-08-01"))  # in force on its last session
    clean(problem, plan)


def test_decision_in_force_from_the_groups_own_start(problem: Problem, plan: Plan) -> None:
    template(problem, "luonto").sessions = 4
    nature = group(plan, NATURE)
    nature.start_date, nature.sessions = date(2027, 3, 9), 4  # 2027-03-09 to 2027-03-30
    decide(problem, "a01", ("2026-09-01", "2027-03-08"))  # ends the day before its first session
    found(problem, plan, "decision_in_force", "a01", NATURE, "2027-03-30")
    decide(problem, "a01", ("2026-09-10", "2027-03-09"))
    clean(problem, plan)


# --- H8 each group's own term ---------------------------------------------------------


def test_group_term(problem: Problem, plan: Plan) -> None:
    nature = group(plan, NATURE)
    nature.start_date = date(2027, 1, 13)  # a Wednesday; the group meets on Tuesdays
    [violation] = found(problem, plan, "group_term", NATURE, "2027-01-13", "Wednesday", "tue")
    assert violation.label == "Group outside the season"
    nature.start_date = date(2027, 1, 5)  # a Tuesday before the season
    found(problem, plan, "group_term", NATURE, "2027-01-05", "before the season")
    nature.start_date = date(2027, 1, 19)  # a week in, to the season's end
    clean(problem, plan)


def test_group_term_ends_by_the_seasons_end(problem: Problem, plan: Plan) -> None:
    nature = group(plan, NATURE)
    nature.new = False
    problem.groups = [nature.model_copy(deep=True, update={"participants": []})]  # it runs already
    nature.start_date, nature.sessions = date(2027, 3, 23), 3  # 03-23, 03-30, 04-06
    found(problem, plan, "group_term", NATURE, "3 weekly sessions", "2027-04-04")
    nature.sessions = 2
    clean(problem, plan)


def test_group_term_of_a_new_group_starts_no_earlier_than_seats(problem: Problem, plan: Plan) -> None:
    problem.seats_from = date(2027, 1, 20)
    found(problem, plan, "group_term", NATURE, "2027-01-12", "2027-01-20")
    group(plan, NATURE).start_date = date(2027, 1, 26)
    assert "group_term" in keys(problem, plan)  # the art group still starts 2027-01-13
    group(plan, ART).start_date = date(2027, 1, 20)
    clean(problem, plan)


def test_group_term_of_a_new_group_runs_its_models_sessions(problem: Problem, plan: Plan) -> None:
    template(problem, "luonto").sessions = 10
    nature = group(plan, NATURE)
    found(problem, plan, "group_term", NATURE, "12 weekly sessions", "should run 10")
    nature.sessions = 10
    clean(problem, plan)
    nature.start_date, nature.sessions = date(2027, 3, 2), None  # 5 weeks left: the season ends first
    clean(problem, plan)
    nature.sessions = 4
    found(problem, plan, "group_term", NATURE, "should run 5")
