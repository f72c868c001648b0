"""The handbook's kinds of group in the planner: closed process groups, each group its own term,
hybrid groups, pop-up sessions and peer instructors (`solver.terms`, `solver.popups`).

A test that holds a rule part is named `test_<key>` (scheduler.contract.rules). The term runs
from Monday 2027-01-11 for 12 weeks (to Sunday 2027-04-04); its Tuesdays are the 12th, 19th, ...
Plans are read back by the independent checker where it already knows the rule part.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from scheduler.checker import check
from scheduler.contract import Plan, Problem, parse_problem
from scheduler.scenario import generate
from solver import SolveParams, solve
from solver.travel import TravelTimes
from tests.builders import HANKO, build, client, clients, hub, leader, problem, room, template, window

FAST = SolveParams(time_limit=10, workers=1)
FAR = (61.0, 25.5)
"""A home far beyond anyone's travel limit from Lohja."""


def kind(data: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A template of another kind or with the new fields set."""
    return {**data, **fields}


def two(data: dict[str, Any]) -> dict[str, Any]:
    """The document as tarjotin.problem/2 (models admit by their kind)."""
    return {**data, "schema": "tarjotin.problem/2"}


def solved(data: dict[str, Any]) -> tuple[Problem, Plan]:
    prob = build(data)
    return prob, solve(prob, FAST)


def codes(plan: Plan) -> dict[str, set[str]]:
    return {u.client: {r.code for r in u.reasons} for u in plan.unassigned}


def running(participants: list[str], **fields: Any) -> dict[str, Any]:
    """The process group that runs in Lohja on Tuesday mornings from the season's start."""
    return {
        "id": "running",
        "template": "process",
        "modality": "in_person",
        "hub": "lohja",
        "room": "lohja/room",
        "language": "fi",
        "day": "tue",
        "start": "09:00",
        "end": "12:00",
        "leaders": ["aino", "mikko"],
        "participants": participants,
        "pinned": True,
        **fields,
    }


def process(**fields: Any) -> dict[str, Any]:
    return kind(template("process", theme="nature"), kind="process", **fields)


# --- closed: a running process group takes no joiners after its closing session ------------------------------------


def closed_problem(admission: str, seats_from: str) -> dict[str, Any]:
    members = [c["id"] for c in clients("m", 3)]
    return two(
        problem(
            templates=[process(admission=admission, closes_after=2)],
            people=[*clients("m", 3), *clients("new", 2, available=[window("tue", "09:00", "12:00")])],
            groups=[running(members)],
            seats_from=seats_from,
        )
    )


def test_closed() -> None:
    """Its second session (2027-01-19) is before the first seat day: the two who fit only it wait, told `closed`."""
    prob, plan = solved(closed_problem("closed", "2027-02-01"))
    [group] = plan.groups
    assert group.participants == ["m01", "m02", "m03"]
    assert codes(plan) == {"new01": {"closed"}, "new02": {"closed"}}
    [reason] = next(u for u in plan.unassigned if u.client == "new01").reasons
    assert reason.args["groups"] == ["running"]
    assert [v for v in check(prob, plan) if v.key != "closed"] == []


def test_closed_group_takes_joiners_until_its_closing_session() -> None:
    """The first seat day is the day before its second session: it still takes joiners."""
    _, plan = solved(closed_problem("closed", "2027-01-18"))
    [group] = plan.groups
    assert len(group.participants) == 5 and plan.unassigned == []


def test_rolling_group_takes_joiners_all_season() -> None:
    prob, plan = solved(closed_problem("rolling", "2027-02-01"))
    [group] = plan.groups
    assert len(group.participants) == 5 and plan.unassigned == []
    assert check(prob, plan) == []


def test_closed_counts_sessions_from_the_group_own_start() -> None:
    """A process group that started on 2027-01-26 has its second session on 2027-02-02, after the first seat day."""
    data = closed_problem("closed", "2027-02-01")
    data["groups"][0]["start_date"] = "2027-01-26"
    _, plan = solved(data)
    [group] = plan.groups
    assert len(group.participants) == 5


def test_new_group_of_a_closed_model_is_filled_at_its_start() -> None:
    prob, plan = solved(two(problem(templates=[process()], people=clients("c", 5), seats_from="2027-02-01")))
    [group] = plan.groups
    assert group.new and len(group.participants) == 5


# --- group_term: a new group's own start and number of sessions -----------------------------------------------------


def test_group_term() -> None:
    """Seats from Monday 2027-02-01: the new group starts on Tuesday 2027-02-02 and runs its model's six sessions."""
    prob, plan = solved(two(problem(templates=[process(sessions=6)], people=clients("c", 4), seats_from="2027-02-01")))
    [group] = plan.groups
    assert (group.start_date, group.sessions) == (date(2027, 2, 2), 6)
    assert check(prob, plan) == []


def test_group_term_is_capped_by_the_weeks_left() -> None:
    """Nine Tuesdays are left from 2027-02-02 to the season's end (2027-04-04): twelve sessions become nine."""
    _, plan = solved(two(problem(templates=[process(sessions=12)], people=clients("c", 4), seats_from="2027-02-01")))
    [group] = plan.groups
    assert (group.start_date, group.sessions) == (date(2027, 2, 2), 9)


def test_group_term_of_a_model_without_sessions() -> None:
    """A model that runs the whole season: no term of its own from the season's start, a start date after it."""
    _, plan = solved(two(problem(people=clients("c", 4))))
    assert [(g.start_date, g.sessions) for g in plan.groups] == [(None, None)]
    _, plan = solved(two(problem(people=clients("c", 4), seats_from="2027-02-01")))
    assert [(g.start_date, g.sessions) for g in plan.groups] == [(date(2027, 2, 2), None)]


def test_decisions_count_the_group_own_sessions() -> None:
    """A decision from 2027-03-20 is in force on Tuesdays of the season, but not on any of a four-session
    group's (2027-02-02 to 2027-02-23): that client is not placed in it; the same model for the whole
    season takes them."""
    late = {**client("late"), "decisions": [{"start": "2027-03-20", "end": "2027-09-30"}], "case_opened": "2026-10-01"}
    short = two(problem(templates=[process(sessions=4)], people=[*clients("c", 3), late], seats_from="2027-02-01"))
    _, plan = solved(short)
    [group] = plan.groups
    assert "late" not in group.participants and len(group.participants) == 3
    whole = two(problem(templates=[process()], people=[*clients("c", 3), late], seats_from="2027-02-01"))
    _, plan = solved(whole)
    [group] = plan.groups
    assert "late" in group.participants


# --- hybrid: a room for those present, a link for those at home -----------------------------------------------------


def hybrid_problem(capacity: int) -> dict[str, Any]:
    people = [
        *clients("near", 3),  # must come: not remote_ok
        *clients("far", 3, at=FAR, remote_ok=True),  # cannot travel: join from home
        *clients("both", 2, remote_ok=True),  # may come or stay home
        client("stuck", at=FAR),  # can neither come nor join from home
    ]
    return two(
        problem(
            hubs=[hub(rooms=[room("lohja/room", capacity=capacity)])],
            templates=[template(modality="hybrid", max_size=10)],
            people=people,
        )
    )


def test_remote_participants_listed() -> None:
    """Those who cannot travel join from home; those who can come do, while the room has places."""
    prob, plan = solved(hybrid_problem(capacity=12))
    [group] = plan.groups
    assert group.modality == "hybrid" and group.hub == "lohja"
    assert set(group.participants) == {"near01", "near02", "near03", "far01", "far02", "far03", "both01", "both02"}
    assert group.remote_participants == ["far01", "far02", "far03"]
    assert set(group.present) == {"near01", "near02", "near03", "both01", "both02"}
    assert codes(plan) == {"stuck": {"travel"}}
    travel = TravelTimes(prob)
    people = {c.id: c for c in prob.clients}
    assert plan.metrics.client_travel_minutes == sum(travel.client(people[p], "lohja") for p in group.present)


def test_hybrid_room_counts_those_present_only() -> None:
    """A room of six holds two leaders and four present: the group of eight has four at home, the two
    who could come among them; the three who must come all come."""
    prob, plan = solved(hybrid_problem(capacity=6))
    [group] = plan.groups
    assert len(group.participants) == 8 and len(group.leaders) == 2
    assert len(group.present) + len(group.leaders) <= 6
    assert {"near01", "near02", "near03"} <= set(group.present)
    assert {"far01", "far02", "far03"} <= set(group.remote_participants)
    assert set(group.remote_participants) <= {c.id for c in prob.clients if c.remote_ok}


def test_hybrid_takes_no_more_than_its_model_max_size() -> None:
    data = hybrid_problem(capacity=12)
    data["templates"][0]["max_size"] = 5
    data["clients"] += clients("extra", 4, at=FAR, remote_ok=True)
    _, plan = solved(data)
    assert max(len(g.participants) for g in plan.groups) <= 5


def test_hybrid_client_who_must_come_is_not_seated_beyond_the_room() -> None:
    """Five who must come, a room of five with two leaders: only three of them come in."""
    data = two(
        problem(
            hubs=[hub(rooms=[room("lohja/room", capacity=5)])],
            templates=[template(modality="hybrid", max_size=10)],
            people=[*clients("near", 5), *clients("far", 3, at=FAR, remote_ok=True)],
        )
    )
    _, plan = solved(data)
    assert plan.groups
    for group in plan.groups:
        assert len(group.present) + len(group.leaders) <= 5
        assert set(group.remote_participants) == {p for p in group.participants if p.startswith("far")}


# --- pop-ups: no roster; placed after the main solve where the unplaced live ----------------------------------------


def popup_model(**fields: Any) -> dict[str, Any]:
    return kind(template("drop-in", theme="crafts", max_size=10), kind="popup", **fields)


def popup_problem(slots: int, **extra: Any) -> dict[str, Any]:
    """Rostered nature groups for three in Lohja; crafts (pop-up only) wanted by four in Lohja and two in Hanko."""
    people = [
        *clients("n", 3),
        *clients("lohja", 4, interests=("crafts",)),
        *clients("hanko", 2, interests=("crafts",), at=HANKO),
        client("away", interests=("crafts",), at=FAR),
    ]
    staff = [leader("aino"), leader("mikko"), leader("hanna", base="hanko"), leader("pekka", base="hanko")]
    return two(
        problem(
            hubs=[hub(), hub("hanko", at=HANKO, municipality="Hanko")],
            staff=staff,
            templates=[template(), popup_model()],
            people=people,
            popup_slots=slots,
            **extra,
        )
    )


def popups(plan: Plan) -> list[Any]:
    return [g for g in plan.groups if g.template == "drop-in"]


def test_popup_slots() -> None:
    """One slot: the pop-up goes where four wait (Lohja); two slots: Hanko's two get one too; none: none."""
    prob, plan = solved(popup_problem(1))
    [pop] = popups(plan)
    assert (pop.hub, pop.reach, pop.new, pop.participants) == ("lohja", 4, True, [])
    prob, plan = solved(popup_problem(2))
    assert sorted((g.hub, g.reach) for g in popups(plan)) == [("hanko", 2), ("lohja", 4)]
    assert {"lohja01", "hanko01", "away"} <= {u.client for u in plan.unassigned}
    assert codes(plan)["lohja01"] == {"interest"}  # no rostered model on crafts: a pop-up is not a seat
    _, plan = solved(popup_problem(0))
    assert popups(plan) == []


def test_popup_placed_around_the_planned_groups() -> None:
    """The two Lohja leaders lead the nature group in the only room; the pop-up there takes the other
    half of Tuesday, led by a qualified leader, two for its room of more than four visitors."""
    prob, plan = solved(popup_problem(1))
    [nature] = [g for g in plan.groups if g.template == "nature"]
    [pop] = popups(plan)
    assert pop.room == nature.room == "lohja/room"  # the only room: one session at a time
    assert pop.start >= nature.end or pop.end <= nature.start
    assert set(pop.leaders) == set(nature.leaders) == {"aino", "mikko"}  # Hanko's are beyond the county's reach
    assert len(pop.leaders) == 2
    qualified = {s.id for s in prob.staff if s.qualified}
    assert set(pop.leaders) & qualified


def test_popup_reach_counts_only_waiting_clients_within_reach() -> None:
    """The far client and those placed in rostered groups are not in reach; only those free then are."""
    data = popup_problem(1)
    for c in data["clients"]:
        if c["id"] in ("lohja01", "lohja02"):
            c["available"] = [window("wed")]
    _, plan = solved(data)
    [pop] = popups(plan)
    assert (pop.hub, pop.reach) == ("lohja", 2)


def test_popup_with_a_small_room_has_one_leader_and_no_leader_no_popup() -> None:
    data = popup_problem(1)
    data["hubs"][0]["rooms"] = [room("lohja/room", capacity=5)]  # visitors min(5 - 1, 10) = 4: one leader will do
    data["clients"] = [c for c in data["clients"] if not c["id"].startswith("n")]
    _, plan = solved(data)
    [pop] = popups(plan)
    assert pop.hub == "lohja" and len(pop.leaders) == 1
    for s in data["staff"]:
        s["qualified"] = False
    _, plan = solved(data)
    assert popups(plan) == []


def test_popup_respects_leaders_weekly_minutes() -> None:
    """Two Lohja leaders with three hours a week lead the nature group: no pop-up in Lohja; Hanko's does run."""
    data = popup_problem(2)
    for s in data["staff"]:
        s["max_weekly_minutes"] = 180
    _, plan = solved(data)
    assert [g.hub for g in popups(plan)] == ["hanko"]


def test_popup_has_no_roster() -> None:
    """The clients who want crafts are never rostered; a pinned pop-up in the input keeps its empty roster."""
    pinned = {
        "id": "pinned-drop-in",
        "template": "drop-in",
        "modality": "in_person",
        "hub": "hanko",
        "room": "hanko/room",
        "language": "fi",
        "day": "tue",
        "start": "12:00",
        "end": "15:00",
        "leaders": ["hanna", "pekka"],
        "participants": [],
        "pinned": True,
    }
    prob, plan = solved(popup_problem(1, groups=[pinned]))
    assert [g.participants for g in popups(plan)] == [[], []]
    kept = next(g for g in plan.groups if g.id == "pinned-drop-in")
    assert (kept.hub, kept.start, kept.leaders, kept.new) == ("hanko", "12:00", ["hanna", "pekka"], False)
    crafts = {c.id for c in prob.clients if c.interests == ["crafts"]}
    assert crafts <= {u.client for u in plan.unassigned}
    assert plan.metrics.placed == 3


# --- peer instructors -----------------------------------------------------------------------------------------------


def test_peer_beside_professional() -> None:
    """The only qualified leader is busy on Tuesdays, a peer instructor is free: no group opens.
    With the professional free too, the peer may lead beside them."""
    peer = {**leader("pia", qualified=False), "peer": True}
    busy = leader("aino", available=[window("wed")])
    _, plan = solved(two(problem(staff=[peer, busy], people=clients("c", 4))))
    assert plan.groups == []
    assert {code for found in codes(plan).values() for code in found} == {"leaders"}
    prob, plan = solved(two(problem(staff=[peer, leader("aino")], people=clients("c", 6))))
    [group] = plan.groups
    assert "aino" in group.leaders
    assert check(prob, plan) == []


# --- old problems plan as they did ----------------------------------------------------------------------------------


def _digest(plan: Plan) -> str:
    groups = json.dumps([g.model_dump(mode="json") for g in plan.groups], sort_keys=True)
    unassigned = json.dumps([u.model_dump(mode="json") for u in plan.unassigned], sort_keys=True)
    return hashlib.sha256((groups + unassigned).encode()).hexdigest()


def test_a_problem_without_the_new_kinds_plans_as_before() -> None:
    """A tarjotin.problem/1 scenario and the same as a problem/2 document (its process models closed, no
    running groups, no pop-up slots) give the same plan, with no own terms, remote participants or reach."""
    old = generate(60, seed=3, service=False)
    params = SolveParams(time_limit=60, effort=1.0, workers=2)
    before = solve(old, params)
    data = old.dump() | {"schema": "tarjotin.problem/2"}
    for t in data["templates"]:
        if t["kind"] == "process":  # closed by its kind (a popup-kind model stays rolling: a pop-up is another plan)
            t.pop("admission")
    new = parse_problem(data)
    assert "closed" in {t.admission for t in new.templates}
    after = solve(new, params)
    assert _digest(before) == _digest(after)
    assert all(g.start_date is None and g.sessions is None for g in after.groups)
    assert all(g.remote_participants == [] and g.reach is None for g in after.groups)
    assert check(new, after) == []


def test_pinned_hybrid_group_keeps_its_remote_participants() -> None:
    """A room of five holds two leaders and three present; the pinned group of six lists three at home."""
    data = hybrid_problem(capacity=5)
    data["clients"] = [c for c in data["clients"] if c["id"] != "stuck"]
    data["groups"] = [
        {
            "id": "hybrid-running",
            "template": "nature",
            "modality": "hybrid",
            "hub": "lohja",
            "room": "lohja/room",
            "language": "fi",
            "day": "tue",
            "start": "09:00",
            "end": "12:00",
            "leaders": ["aino", "mikko"],
            "participants": ["near01", "near02", "both01", "far01", "far02", "both02"],
            "remote_participants": ["far01", "far02", "both02"],
            "pinned": True,
        }
    ]
    _, plan = solved(data)
    kept = next(g for g in plan.groups if g.id == "hybrid-running")
    assert {"far01", "far02", "both02"} <= set(kept.remote_participants)
    assert len(kept.present) + len(kept.leaders) <= 5
    assert {"near01", "near02"} <= set(kept.present)
