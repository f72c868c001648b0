"""Why a client waits: `leaders` when no leader team can be formed for any session they fit, with the nearest miss;
`capacity` when a team could lead their group but it did not open for them. Each reason is said in fi, sv and en.

Every client here fits a session on their own (theme, audience, language, travel, a room open
Tuesday to Thursday when they can come); only the staff differ from test to test.
"""

from __future__ import annotations

from typing import Any

from scheduler.checker import check
from scheduler.contract import Plan, Reason
from scheduler.i18n.reasons import reason_text
from solver import SolveParams, solve
from tests.builders import HANKO, build, clients, hub, leader, problem, room, template, window

FAST = SolveParams(time_limit=10, workers=1)
TUE_THU = [window("tue"), window("wed"), window("thu")]
SWEDES = clients("s", 4, languages=("sv",), available=TUE_THU)
LOHJA = hub(rooms=[room(available=TUE_THU)])


def planned(data: dict[str, Any]) -> Plan:
    prob = build(data)
    plan = solve(prob, FAST)
    assert check(prob, plan) == [], "the independent checker rejects the plan"
    return plan


def only_reason(plan: Plan) -> Reason:
    """The one reason every unplaced client shares (they are alike)."""
    reasons = {(r.code, r.detail) for u in plan.unassigned for r in u.reasons}
    assert len(plan.unassigned) == 4 and len(reasons) == 1, reasons
    return plan.unassigned[0].reasons[0]


def said(reason: Reason, lang: str) -> str:
    words = reason_text(lang, reason.code, reason.args, reason.detail)
    assert words.lang == lang, f"{reason.code}/{reason.args}: fell back to the English detail"
    return words.text


def test_leaders_when_no_leader_speaks_swedish() -> None:
    plan = planned(problem(hubs=[LOHJA], staff=[leader("aino"), leader("mikko")], people=SWEDES))
    reason = only_reason(plan)
    assert reason.code == "leaders" and reason.detail == "no leader speaks Swedish"
    assert reason.args == {"case": "language", "languages": ["sv"]}
    assert said(reason, "fi") == "Yksikään ohjaaja ei puhu ryhmän kieltä (ruotsi)."
    assert said(reason, "sv") == "Ingen ledare talar gruppens språk (svenska)."


def test_leaders_when_no_swedish_speaker_is_qualified() -> None:
    staff = [leader("stina", qualified=False, languages=("sv",), available=TUE_THU), leader("mikko")]
    reason = only_reason(planned(problem(hubs=[LOHJA], staff=staff, people=SWEDES)))
    assert reason.code == "leaders"
    assert reason.detail == "no Swedish-speaking qualified leader is free on Tuesday–Thursday within 75 min of Lohja"
    assert reason.args == {
        "case": "qualified_near",
        "languages": ["sv"],
        "minutes": 75,
        "places": ["Lohja"],
        "days": ["tue", "wed", "thu"],
    }
    fi = said(reason, "fi")
    assert "pätevä" in fi and "(ruotsi)" in fi and "75 minuutin" in fi and "Lohja" in fi and "(tiistai–torstai)" in fi
    assert "behörig" in said(reason, "sv") and "(tisdag–torsdag)" in said(reason, "sv")


def test_leaders_when_no_swedish_speaker_is_free_then() -> None:
    staff = [leader("stina", languages=("sv",), available=[window("mon"), window("fri")]), leader("mikko")]
    reason = only_reason(planned(problem(hubs=[LOHJA], staff=staff, people=SWEDES)))
    assert reason.code == "leaders" and reason.args is not None and reason.args["case"] == "availability_near"
    assert reason.detail == (
        "no Swedish-speaking leader within 75 min of Lohja is free on Tuesday–Thursday when they can come"
    )
    assert "ei ole vapaana" in said(reason, "fi") and "är ledig" in said(reason, "sv")


def test_leaders_when_the_swedish_speaker_lives_out_of_reach() -> None:
    hanko = hub("hanko", at=HANKO, rooms=[], municipality="Hanko")  # their base, 85 min by car from Lohja
    staff = [leader("stina", languages=("sv",), base="hanko", available=TUE_THU), leader("mikko")]
    data = problem(hubs=[LOHJA, hanko], staff=staff, people=SWEDES)
    reason = only_reason(planned(data))
    assert reason.code == "leaders" and reason.detail == "no Swedish-speaking leader lives within 75 min of Lohja"
    assert reason.args == {"case": "reach", "languages": ["sv"], "minutes": 75, "places": ["Lohja"]}
    assert said(reason, "fi") == (
        "Yksikään ryhmän kieltä (ruotsi) puhuva ohjaaja ei asu 75 minuutin ajomatkan päässä toimipisteestä Lohja."
    )
    # the county's reach is what keeps them out: without it, the four are placed
    assert planned({**data, "policy": {"leader_reach_minutes": None}}).unassigned == []


def test_leaders_when_no_team_has_the_skills() -> None:
    staff = [leader("stina", languages=("sv",), available=TUE_THU), leader("mikko", skills=("first_aid",))]
    data = problem(hubs=[LOHJA], staff=staff, templates=[template(skills=("first_aid",))], people=SWEDES)
    reason = only_reason(planned(data))
    assert reason.code == "leaders" and reason.args is not None and reason.args["skills"] == ["first_aid"]
    assert reason.detail.startswith("no team of Swedish-speaking leaders free on Tuesday–Thursday within 75 min")
    assert "first_aid" in said(reason, "fi") and "färdigheterna first_aid" in said(reason, "sv")


def test_leaders_for_a_remote_group_names_no_reach() -> None:
    """A remote group has no hub: its miss is said without the county's reach."""
    staff = [leader("stina", languages=("sv",), available=[window("mon")]), leader("mikko")]
    people = clients("s", 4, languages=("sv",), available=TUE_THU, remote_ok=True)
    data = problem(hubs=[LOHJA], staff=staff, templates=[template(modality="remote")], people=people)
    reason = only_reason(planned(data))
    assert reason.code == "leaders"
    assert reason.args == {"case": "availability", "languages": ["sv"], "days": ["tue", "wed", "thu"]}
    assert said(reason, "en") == "No leader who speaks Swedish is free when the client can come (Tuesday–Thursday)."


def test_options_whose_leaders_went_to_another_group_are_capacity() -> None:
    """One qualified leader, two themes at the same hours: one group opens, the other theme's clients had options."""
    two_themes = [template("nature", minutes=180), template("art", theme="art", minutes=180)]
    mornings = [window("tue", "09:00", "12:00")]
    staff = [leader("aino", available=mornings), leader("mikko", qualified=False, available=mornings)]
    people = clients("n", 4, available=mornings) + clients("a", 4, interests=("art",), available=mornings)
    plan = planned(problem(staff=staff, templates=two_themes, people=people))
    assert len(plan.groups) == 1 and len(plan.unassigned) == 4
    for left in plan.unassigned:
        [reason] = left.reasons
        assert reason.code == "capacity" and reason.args is not None and reason.args["case"] == "options"
        assert "Sopivia ryhmävaihtoehtoja: 1" in said(reason, "fi")


def test_too_few_clients_with_a_leader_team_is_capacity() -> None:
    plan = planned(problem(people=clients("c", 2)))
    reasons = {r.code: r for u in plan.unassigned for r in u.reasons}
    assert set(reasons) == {"capacity"} and reasons["capacity"].args == {"case": "few_clients", "themes": ["nature"]}
    assert "Luonto" in said(reasons["capacity"], "fi")
