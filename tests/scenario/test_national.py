"""The national scenario: all 22 areas (21 wellbeing services counties and Helsinki) with every
mainland municipality, clients by population, ids that never collide, staff in their own area, the
same problem for a seed, and a small national problem planned and read back by the checker."""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from scheduler.checker import check
from scheduler.contract import Problem
from scheduler.scenario import NATIONAL_DISPLAY, area_regions, generate, generate_national, municipality_at
from scheduler.scenario.national import MIN_AREA_CLIENTS, TIERS, area_clients
from scheduler.scenario.national_data import COUNTIES, MUNICIPALITIES
from solver import SolveParams, solve

MUNICIPALITIES_PER_AREA = {
    "hel": 1, "vake": 2, "lu": 10, "ku": 6, "iu": 7, "vs": 27, "sat": 16, "kh": 11, "pir": 23, "ph": 10, "kym": 6,
    "ek": 9, "es": 12, "ps": 19, "pk": 13, "ks": 22, "ep": 17, "poh": 15, "kp": 8, "pp": 30, "kai": 8, "lap": 21,
}  # fmt: skip
"""The municipalities of each area in 2023 (Statistics Finland's classification of wellbeing services counties)."""

POPULATION = {county.code: sum(r.population for r in MUNICIPALITIES if r.county == county.code) for county in COUNTIES}


@cache
def national(clients: int, seed: int = 0) -> Problem:
    """A national problem, generated once per test session: no test changes it."""
    return generate_national(clients, seed)


def area(record_id: str) -> str:
    return record_id.split("-", 1)[0]


# --- the table ---


def test_the_table_holds_every_mainland_municipality_in_its_area() -> None:
    assert [county.code for county in COUNTIES] == list(MUNICIPALITIES_PER_AREA)
    assert Counter(row.county for row in MUNICIPALITIES) == MUNICIPALITIES_PER_AREA
    assert len({row.name for row in MUNICIPALITIES}) == len(MUNICIPALITIES) == 293
    assert 5_500_000 < sum(POPULATION.values()) < 5_650_000  # mainland Finland at the end of 2023: about 5.57 million
    assert all(59.7 < row.lat < 70.1 and 20.5 < row.lon < 31.6 for row in MUNICIPALITIES)
    assert "Maarianhamina" not in {row.name for row in MUNICIPALITIES}  # Åland belongs to no county


def test_each_area_is_a_region_of_its_municipalities() -> None:
    regions = area_regions()
    assert list(regions) == list(MUNICIPALITIES_PER_AREA)
    for code, region in regions.items():
        assert [m.name for m in region.municipalities] == [r.name for r in MUNICIPALITIES if r.county == code]
        assert all(site.id.startswith(f"{code}-") for site in region.hubs)
        for town in region.municipalities:
            assert municipality_at(town.lat, town.lon, region) == town.name
            assert "sote" in {site.kind for site in region.hubs if site.municipality == town.name}


def test_density_picks_the_travel_limits() -> None:
    regions = area_regions()
    assert regions["hel"].car_minutes == TIERS[0].car_minutes
    assert regions["lap"].transit_minutes == TIERS[-1].transit_minutes
    assert regions["kai"].car_minutes == TIERS[-2].car_minutes
    assert regions["pp"].car_minutes == regions["pk"].car_minutes == TIERS[-2].car_minutes
    assert regions["vs"].car_minutes == TIERS[2].car_minutes


def test_hubs_are_named_in_swedish_where_swedish_is_the_majority() -> None:
    hubs = [site for region in area_regions().values() for site in region.hubs]
    share = {row.name: row.swedish_share for row in MUNICIPALITIES}
    assert all(site.swedish for site in hubs if share[site.municipality] >= 0.5)
    assert not any(site.swedish for site in hubs if share[site.municipality] < 0.05 and site.municipality != "Helsinki")
    assert {"Social- och hälsocentral Närpes", "Medborgarhus Helsingfors", "Medborgarhus Borgå"} <= {
        site.name for site in hubs
    }
    assert sum(site.kind == "sote" for site in hubs if site.municipality == "Helsinki") > 10


# --- the problem ---


def test_every_area_and_municipality_is_in_the_problem() -> None:
    problem = national(2000)
    assert problem.region == NATIONAL_DISPLAY
    towns = {(area(hub.id), hub.municipality) for hub in problem.hubs}
    assert towns == {(row.county, row.name) for row in MUNICIPALITIES}
    for records in (problem.staff, problem.clients, problem.counsellors):
        assert {area(record.id) for record in records} == set(MUNICIPALITIES_PER_AREA)


def test_clients_follow_the_population() -> None:
    problem = national(10_000)
    counts = Counter(area(client.id) for client in problem.clients)
    assert counts == area_clients(10_000)
    total = sum(POPULATION.values())
    for code, people in POPULATION.items():
        assert abs(counts[code] - 10_000 * people / total) < 1, code
    # within an area, by municipality: Kainuu's 128 clients, a third or more of them in Kajaani (51 % of its people)
    kainuu = [c for c in problem.clients if area(c.id) == "kai"]
    homes = Counter(municipality_at(c.home.lat, c.home.lon, area_regions()["kai"]) for c in kainuu)
    assert 0.4 < homes["Kajaani"] / len(kainuu) < 0.62


def test_a_small_national_problem_gives_every_area_a_few_clients() -> None:
    assert all(count >= MIN_AREA_CLIENTS for count in area_clients(600).values())
    assert min(area_clients(60).values()) == 2 and sum(area_clients(60).values()) == 60
    assert set(area_clients(22).values()) == {1}
    with pytest.raises(ValueError, match="at least 22"):
        generate_national(21)


def test_ids_never_collide() -> None:
    problem = national(2000)
    for records in (problem.hubs, problem.staff, problem.clients, problem.counsellors):
        ids = [record.id for record in records]
        assert len(ids) == len(set(ids))
        assert all(area(i) in MUNICIPALITIES_PER_AREA for i in ids)
    rooms = [room.id for hub in problem.hubs for room in hub.rooms]
    assert len(rooms) == len(set(rooms))
    assert all(area(client.counsellor or "") == area(client.id) for client in problem.clients)
    assert [t.id for t in problem.templates] == [t.id for t in generate(30).templates]


def test_staff_are_based_in_their_own_area() -> None:
    problem = national(2000)
    hubs = {hub.id: hub for hub in problem.hubs}
    county = {row.name: row.county for row in MUNICIPALITIES}
    for member in problem.staff:
        assert county[hubs[member.base_hub].municipality] == area(member.id)


def test_the_same_seed_gives_the_same_problem_and_it_validates() -> None:
    first = generate_national(300, seed=4, group_kinds=True)
    data = first.dump()
    assert data == generate_national(300, seed=4, group_kinds=True).dump()
    assert data != generate_national(300, seed=5, group_kinds=True).dump()
    assert Problem.model_validate(data).dump() == data
    assert 2 * len(COUNTIES) <= first.popup_slots <= 200


def test_group_models_run_in_finnish_and_swedish_where_swedish_speakers_live() -> None:
    problem = national(2000)
    assert all(template.languages == ["fi", "sv"] for template in problem.templates)
    swedish = Counter(area(c.id) for c in problem.clients if c.languages[0] == "sv")
    assert swedish["poh"] > swedish["pp"] + swedish["lap"] + swedish["kai"]
    assert set(swedish.most_common(3)) >= {("poh", swedish["poh"])}
    assert sum(swedish.values()) / len(problem.clients) == pytest.approx(0.05, abs=0.02)


def test_a_small_national_problem_is_planned_and_checked() -> None:
    problem = national(600)
    plan = solve(problem, SolveParams(time_limit=3, workers=1))
    assert check(problem, plan) == [], "the independent checker rejects the plan"
    placed = {client for group in plan.groups for client in group.participants}
    assert len(placed) > 300
    assert len({area(group.hub or "") for group in plan.groups if group.hub}) >= 15
