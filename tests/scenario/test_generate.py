"""The built-in Western Uusimaa scenario: deterministic, realistic, valid and solvable."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from functools import cache

import pytest

from scheduler.contract import Client, Problem, Template, Window
from scheduler.contract.service import add_months, decision_due
from scheduler.scenario import generate, municipality_at
from scheduler.scenario.data import MUNICIPALITIES
from solver.decisions import decision_days, held_dates
from solver.travel import formula_minutes

TEN_MUNICIPALITIES = {
    "Espoo",
    "Kauniainen",
    "Kirkkonummi",
    "Siuntio",
    "Inkoo",
    "Lohja",
    "Vihti",
    "Karkkila",
    "Raasepori",
    "Hanko",
}
QUALIFIED_ROLES = {"role:social_counsellor", "role:social_worker", "role:practical_nurse"}
PARTNER_ROLES = {
    "role:sports_instructor",
    "role:ngo_worker",
    "role:experience_expert",
    "role:health_professional",
}
TOTAL_POPULATION = sum(m.population for m in MUNICIPALITIES)


@cache
def scenario(clients: int) -> Problem:
    """The scenario of a size with the default seed (0), generated once: no test changes it."""
    return generate(clients)


@pytest.fixture(scope="module")
def county() -> Problem:
    """The whole county's waiting list at its largest: 5000 clients."""
    return scenario(5000)


def _by_municipality(problem: Problem) -> dict[str, list[Client]]:
    towns: dict[str, list[Client]] = {name: [] for name in TEN_MUNICIPALITIES}
    for client in problem.clients:
        towns[municipality_at(client.home.lat, client.home.lon)].append(client)
    return towns


def _swedish_share(clients: list[Client]) -> float:
    return sum(client.languages[0] == "sv" for client in clients) / len(clients)


def test_same_seed_gives_the_same_problem() -> None:
    assert generate(300, seed=7).dump() == generate(300, seed=7).dump()


def test_other_seed_gives_another_problem() -> None:
    assert generate(300, seed=7).dump() != generate(300, seed=8).dump()


@pytest.mark.parametrize("clients", [50, 5000])
def test_scenario_validates_and_round_trips(clients: int) -> None:
    problem = scenario(clients)
    assert len(problem.clients) == clients
    assert Problem.model_validate(problem.dump()).dump() == problem.dump()


def test_five_thousand_clients_generate_at_full_scale() -> None:
    """The scenario scales to 5000 clients (how fast is a benchmark's business, not a test's)."""
    problem = generate(5000, seed=3)
    assert len(problem.clients) == 5000
    assert len({client.id for client in problem.clients}) == 5000


def test_no_clients_is_refused() -> None:
    with pytest.raises(ValueError):
        generate(0)


def test_all_ten_municipalities_have_hubs_with_rooms(county: Problem) -> None:
    assert {hub.municipality for hub in county.hubs} == TEN_MUNICIPALITIES
    assert all(hub.rooms for hub in county.hubs)


def test_raasepori_has_hubs_in_tammisaari_and_karjaa(county: Problem) -> None:
    raasepori = [hub for hub in county.hubs if hub.municipality == "Raasepori"]
    for lat, lon in ((59.974, 23.436), (60.071, 23.662)):
        assert min(formula_minutes(lat, lon, h.lat, h.lon, "car") for h in raasepori) <= 6


def test_hub_and_room_ids_are_ascii_and_room_ids_name_their_hub(county: Problem) -> None:
    for hub in county.hubs:
        assert re.fullmatch(r"[a-z0-9-]+", hub.id)
        for room in hub.rooms:
            assert re.fullmatch(rf"{hub.id}/[a-z0-9-]+", room.id)
            assert 8 <= room.capacity <= 14


def test_rooms_grow_with_the_waiting_list() -> None:
    small, large = scenario(50), scenario(5000)
    rooms = [sum(len(hub.rooms) for hub in p.hubs) for p in (small, large)]
    assert len(small.hubs) == len(large.hubs)
    assert rooms[1] >= 5000 / 30 > rooms[0]


def test_most_rooms_are_accessible(county: Problem) -> None:
    rooms = [room for hub in county.hubs for room in hub.rooms]
    assert 0.6 <= sum(room.accessible for room in rooms) / len(rooms) <= 0.85


def test_clients_are_spread_by_population(county: Problem) -> None:
    towns = _by_municipality(county)
    shares = {name: len(clients) / len(county.clients) for name, clients in towns.items()}
    assert max(shares, key=shares.__getitem__) == "Espoo"
    for town in MUNICIPALITIES:
        assert shares[town.name] == pytest.approx(town.population / TOTAL_POPULATION, abs=0.03)


@pytest.mark.parametrize(
    ("name", "tolerance"),
    [("Espoo", 0.02), ("Kirkkonummi", 0.06), ("Lohja", 0.03), ("Vihti", 0.03), ("Raasepori", 0.09)],
)
def test_swedish_speakers_follow_the_municipality_share(county: Problem, name: str, tolerance: float) -> None:
    town = next(m for m in MUNICIPALITIES if m.name == name)
    share = _swedish_share(_by_municipality(county)[name])
    assert share == pytest.approx(town.swedish_share, abs=tolerance)


def test_swedish_speakers_overall_and_in_the_west(county: Problem) -> None:
    towns = _by_municipality(county)
    expected = sum(m.population * m.swedish_share for m in MUNICIPALITIES) / TOTAL_POPULATION
    assert _swedish_share(county.clients) == pytest.approx(expected, abs=0.02)
    assert _swedish_share(towns["Raasepori"]) > 0.5
    assert _swedish_share(towns["Espoo"]) < 0.15


def test_staff_include_qualified_professionals_and_partners(county: Problem) -> None:
    roles = {(member.qualified, member.skills[0]) for member in county.staff}
    assert {role for qualified, role in roles if qualified} == QUALIFIED_ROLES
    assert {role for qualified, role in roles if not qualified} == PARTNER_ROLES
    qualified = sum(member.qualified for member in county.staff) / len(county.staff)
    assert 0.5 <= qualified <= 0.7
    assert len(county.staff) == pytest.approx(5000 / 10, rel=0.05)


def test_every_municipality_has_a_qualified_staff_member() -> None:
    problem = scenario(50)
    hubs = {hub.id: hub.municipality for hub in problem.hubs}
    based = {hubs[member.base_hub] for member in problem.staff if member.qualified}
    assert based == TEN_MUNICIPALITIES


def test_staff_have_plausible_names_and_speak_finnish_or_swedish(county: Problem) -> None:
    for member in county.staff:
        assert member.name is not None
        assert re.fullmatch(r"[A-ZÅÄÖ][a-zåäö]+ [A-ZÅÄÖ][a-zåäö]+", member.name)
        assert {"fi", "sv"} & set(member.languages)


def test_staff_speak_swedish_where_the_area_does(county: Problem) -> None:
    def swedish(prefix: str) -> float:
        local = [m for m in county.staff if m.base_hub.startswith(prefix)]
        return sum("sv" in m.languages for m in local) / len(local)

    assert swedish("raasepori-") > 0.8
    assert swedish("espoo-") < 0.5


def test_templates_are_the_handbook_group_models(county: Problem) -> None:
    templates = county.templates
    assert {t.kind for t in templates} == {"process", "targeted", "theme", "peer", "popup"}
    assert {"men", "women", "immigrants", "youth", "all"} <= {t.audience for t in templates}
    themes = {t.theme for t in templates}
    assert {"nature", "wellbeing", "art", "digital", "peer", "language"} <= themes
    assert "remote" in {t.modality for t in templates}
    for template in templates:
        assert 120 <= template.duration_minutes <= 240
        assert 3 <= template.min_size <= template.max_size <= 10
        assert template.name.sv and template.name.en


def test_client_ids_are_pseudonymous(county: Problem) -> None:
    ids = [client.id for client in county.clients]
    assert all(re.fullmatch(r"c\d+", client_id) for client_id in ids)
    assert len({len(client_id) for client_id in ids}) == 1


def test_clients_come_from_the_five_target_groups(county: Problem) -> None:
    immigrants = sum("immigrants" in c.audiences for c in county.clients) / len(county.clients)
    assert 0.10 <= immigrants <= 0.20
    for client in county.clients:
        assert 2 <= len(client.interests) <= 4
        assert len(set(client.interests)) == len(client.interests)
        assert 2 <= len(client.available) <= 4


def test_some_clients_are_past_the_statutory_three_months(county: Problem) -> None:
    waited = [(county.term.start - client.waiting_since).days for client in county.clients]
    assert min(waited) >= 0
    assert 0.1 <= sum(days > 90 for days in waited) / len(waited) <= 0.4


def test_term_and_closures() -> None:
    problem = scenario(50)
    assert (problem.term.start, problem.term.weeks) == (date(2027, 1, 11), 12)
    assert {date(2027, 3, 26), date(2027, 3, 29)} <= set(problem.closures)  # Easter 2027
    autumn = generate(50, term_start=date(2027, 10, 4))
    assert date(2027, 12, 6) in autumn.closures  # Independence Day
    for p in (problem, autumn):
        assert all(day.weekday() < 5 and day >= p.term.start for day in p.closures)


def _covers(windows: list[Window], day: str, start: int, end: int) -> bool:
    return any(w.day == day and w.start_min <= start and end <= w.end_min for w in windows)


def _sessions(client: Client, template: Template) -> list[tuple[str, int, int]]:
    """Every (day, start, end) on the half-hour grid that fits the client's week."""
    length = template.duration_minutes
    return [
        (w.day, start, start + length)
        for w in client.available
        for start in range(w.start_min, w.end_min - length + 1, 30)
    ]


def _open_to(client: Client, template: Template) -> bool:
    return (
        template.theme in client.interests
        and template.audience in ("all", *client.audiences)
        and (template.modality == "in_person" or client.remote_ok)
    )


def _has_candidate(problem: Problem, client: Client) -> bool:
    """Whether one group could take the client on its own (rules H2, H4-H8)."""
    rooms = [
        room
        for hub in problem.hubs
        for room in hub.rooms
        if (room.accessible or not client.needs_accessible)
        and formula_minutes(client.home.lat, client.home.lon, hub.lat, hub.lon, client.travel_mode)
        <= client.max_travel_minutes
    ]
    for template in filter(lambda t: _open_to(client, t), problem.templates):
        leaders = [
            member
            for member in problem.staff
            if member.qualified
            and set(template.required_skills) <= set(member.skills)
            and set(member.languages) & set(template.languages) & set(client.languages)
        ]
        for day, start, end in _sessions(client, template):
            if template.modality == "in_person" and not any(_covers(room.available, day, start, end) for room in rooms):
                continue
            if any(_covers(member.available, day, start, end) for member in leaders):
                return True
    return False


def test_most_clients_have_a_feasible_group() -> None:
    problem = generate(400, seed=1)
    placeable = sum(_has_candidate(problem, client) for client in problem.clients)
    assert placeable / len(problem.clients) > 0.9


def test_every_client_has_a_counsellor_a_case_opening_and_decisions(county: Problem) -> None:
    counsellors = {c.id for c in county.counsellors}
    assert len(counsellors) == round(len(county.clients) / 40)
    assert all(re.fullmatch(r"co-\d{3}", c) and c for c in counsellors)
    assert {client.counsellor for client in county.clients} == counsellors
    for client in county.clients:
        assert client.case_opened is not None and client.assessed is not None and client.decisions
        assert client.case_opened <= client.assessed <= client.decisions[0].start
        assert 1 <= len(client.decisions) <= 4
        for decision in client.decisions:
            assert decision.end == add_months(decision.start, 6) - timedelta(days=1)
        assert all(day < county.term.start for day in client.evaluations)


def test_most_cases_open_weeks_to_months_before_the_term_and_are_decided_within_three_months(
    county: Problem,
) -> None:
    recent = [c for c in county.clients if c.case_opened == c.waiting_since]
    assert len(recent) / len(county.clients) > 0.9
    assert all(0 <= (county.term.start - c.waits_from).days <= 160 for c in recent)
    in_time = [c for c in recent if c.decisions[0].start <= decision_due(c.case_opened)]
    assert len(in_time) / len(recent) > 0.95
    assert any(c.evaluations for c in county.clients)


def test_a_few_clients_have_no_decision_in_force_this_term(county: Problem) -> None:
    held = held_dates(county)
    why = Counter(
        limit.reason.args["case"]
        for client in county.clients
        if (limit := decision_days(county, client, held)) is not None and limit.reason is not None and limit.reason.args
    )
    assert set(why) == {"ended", "cap", "after_term"}
    assert 0.01 <= sum(why.values()) / len(county.clients) <= 0.08


def test_service_periods_are_the_same_for_a_seed() -> None:
    first, second, other = generate(120, 5), generate(120, 5), generate(120, 6)
    assert first.dump() == second.dump()
    assert [c.decisions for c in first.clients] != [c.decisions for c in other.clients]
