"""The built-in regions: each generates a valid, reproducible problem at 300 and 2000 clients,
has the character docs/regions.md claims for it (measured here), and can be planned."""

from __future__ import annotations

import statistics
from functools import cache
from importlib import import_module

import pytest

from benchmarks.greedy_baseline import greedy_plan
from scheduler.checker import check, format_report
from scheduler.contract import Problem
from scheduler.contract.travel import travel_minutes
from scheduler.scenario import (
    DEFAULT_REGION,
    REGIONS,
    HubSite,
    Region,
    UnknownRegion,
    find_region,
    generate,
    municipality_at,
)

NAMES = list(REGIONS)


@cache
def scenario(region: str, clients: int, seed: int = 0) -> Problem:
    """A region's problem, generated once per test session: no test changes it."""
    return generate(clients, seed, region=region)


def _median_hub_car_minutes(problem: Problem) -> float:
    hubs = problem.hubs
    return statistics.median(
        travel_minutes(a.lat, a.lon, b.lat, b.lon, "car") for i, a in enumerate(hubs) for b in hubs[i + 1 :]
    )


def _transit_share(problem: Problem) -> float:
    return sum(client.travel_mode == "transit" for client in problem.clients) / len(problem.clients)


def _swedish_share(problem: Problem) -> float:
    return sum(client.languages[0] == "sv" for client in problem.clients) / len(problem.clients)


def _clients_per_staff(problem: Problem) -> float:
    return len(problem.clients) / len(problem.staff)


def _clients_per_qualified(problem: Problem) -> float:
    return len(problem.clients) / sum(member.qualified for member in problem.staff)


def _rooms_per_qualified(problem: Problem) -> float:
    return sum(len(hub.rooms) for hub in problem.hubs) / sum(member.qualified for member in problem.staff)


def _clients_per_room(problem: Problem) -> float:
    return len(problem.clients) / sum(len(hub.rooms) for hub in problem.hubs)


# --- every region ---


def test_the_five_regions_are_public_and_the_default_comes_first() -> None:
    assert NAMES == ["lansi-uusimaa", "lappi", "tampere", "pohjanmaa", "kainuu"]
    assert DEFAULT_REGION == "lansi-uusimaa"
    assert all(isinstance(region, Region) and region.name == name for name, region in REGIONS.items())
    assert len({region.display for region in REGIONS.values()}) == len(REGIONS)


@pytest.mark.parametrize("name", NAMES)
def test_each_region_module_states_its_sources(name: str) -> None:
    module = import_module(f"scheduler.scenario.regions.{name.replace('-', '_')}")
    assert module.REGION is REGIONS[name]
    assert module.__doc__ and "Statistics Finland" in module.__doc__ and "Character" in module.__doc__


@pytest.mark.parametrize("clients", [300, 2000])
@pytest.mark.parametrize("name", NAMES)
def test_each_region_generates_a_valid_problem(name: str, clients: int) -> None:
    region = REGIONS[name]
    problem = scenario(name, clients)
    assert problem.region == region.display
    assert len(problem.clients) == clients
    assert len({client.id for client in problem.clients}) == clients
    assert Problem.model_validate(problem.dump()).dump() == problem.dump()
    assert {hub.municipality for hub in problem.hubs} == {town.name for town in region.municipalities}
    assert all(hub.rooms for hub in problem.hubs)
    assert all(template.languages == list(region.template_languages) for template in problem.templates)


@pytest.mark.parametrize("name", NAMES)
def test_homes_lie_in_the_region_and_clients_follow_population(name: str) -> None:
    region = REGIONS[name]
    problem = scenario(name, 2000)
    towns = [municipality_at(client.home.lat, client.home.lon, name) for client in problem.clients]
    total = sum(town.population for town in region.municipalities)
    for town in region.municipalities:
        assert towns.count(town.name) / len(towns) == pytest.approx(town.population / total, abs=0.04)


@pytest.mark.parametrize("name", NAMES)
def test_the_same_seed_gives_the_same_problem_per_region(name: str) -> None:
    assert generate(300, seed=7, region=name).dump() == generate(300, seed=7, region=REGIONS[name]).dump()
    assert generate(300, seed=7, region=name).dump() != generate(300, seed=8, region=name).dump()


def test_regions_differ_for_the_same_seed() -> None:
    dumps = [scenario(name, 300).dump() for name in NAMES]
    assert all(dumps[i] != dumps[j] for i in range(len(dumps)) for j in range(i + 1, len(dumps)))


@pytest.mark.parametrize("name", NAMES)
def test_municipality_at_works_per_region(name: str) -> None:
    for town in REGIONS[name].municipalities:
        assert municipality_at(town.lat, town.lon, name) == town.name
        assert municipality_at(town.lat, town.lon, REGIONS[name]) == town.name


def test_municipality_at_defaults_to_western_uusimaa() -> None:
    rovaniemi = next(town for town in REGIONS["lappi"].municipalities if town.name == "Rovaniemi")
    assert municipality_at(rovaniemi.lat, rovaniemi.lon) == "Karkkila"  # the default region's northernmost
    assert municipality_at(rovaniemi.lat, rovaniemi.lon, "lappi") == "Rovaniemi"


def test_an_unknown_region_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(UnknownRegion, match="unknown region 'atlantis': choose one of lansi-uusimaa, lappi, "):
        generate(50, region="atlantis")
    with pytest.raises(ValueError, match="kainuu"):
        find_region("Kainuu")
    with pytest.raises(ValueError, match="kainuu"):
        municipality_at(64.2, 27.7, "nowhere")


def test_a_region_with_a_hub_outside_its_municipalities_is_refused() -> None:
    lappi = REGIONS["lappi"]
    stray = HubSite("oulu-sote", "Oulu", "sote", 65.01, 25.47, "Oulun sote-keskus", "Kajaanintie 1, 90100 Oulu")
    with pytest.raises(ValueError, match="hub oulu-sote is in no municipality"):
        Region("x", "X", lappi.municipalities, (*lappi.hubs, stray))
    with pytest.raises(ValueError, match="no hub in Utsjoki"):
        Region("x", "X", lappi.municipalities, tuple(h for h in lappi.hubs if h.municipality != "Utsjoki"))


# --- each region's character, measured ---


@pytest.mark.parametrize("clients", [300, 2000])
def test_lappi_hubs_lie_far_apart_tampere_close_together(clients: int) -> None:
    lappi, tampere = (
        _median_hub_car_minutes(scenario("lappi", clients)),
        _median_hub_car_minutes(scenario("tampere", clients)),
    )
    assert lappi >= 120 > 40 >= tampere
    assert lappi > 4 * tampere
    assert lappi > _median_hub_car_minutes(scenario("lansi-uusimaa", clients))


def test_lappi_has_few_staff_and_clients_who_drive_far() -> None:
    lappi, lansi = scenario("lappi", 2000), scenario("lansi-uusimaa", 2000)
    assert _clients_per_staff(lappi) >= 1.3 * _clients_per_staff(lansi)
    assert _transit_share(lappi) < 0.35 < 0.6 < _transit_share(lansi)

    def median_limit(problem: Problem) -> float:
        return statistics.median(c.max_travel_minutes for c in problem.clients if c.travel_mode == "car")

    assert median_limit(lappi) >= median_limit(lansi) + 25


@pytest.mark.parametrize("clients", [300, 2000])
def test_tampere_clients_ride_transit(clients: int) -> None:
    tampere = scenario("tampere", clients)
    assert _transit_share(tampere) > 0.7
    assert _transit_share(tampere) > _transit_share(scenario("lappi", clients)) + 0.3
    assert len(tampere.hubs) >= 30


def test_pohjanmaa_is_swedish_speaking_and_so_are_its_staff_and_groups() -> None:
    pohjanmaa = scenario("pohjanmaa", 2000)
    assert _swedish_share(pohjanmaa) > 0.5
    region = REGIONS["pohjanmaa"]
    majority = [town for town in region.municipalities if town.swedish_share > 0.5]
    assert len(majority) >= len(region.municipalities) - 1
    assert sum("sv" in member.languages for member in pohjanmaa.staff) / len(pohjanmaa.staff) > 0.7
    assert any(member.languages == ["sv"] or member.languages == ["sv", "en"] for member in pohjanmaa.staff)
    assert all(template.languages[0] == "sv" for template in pohjanmaa.templates)
    assert sum(hub.address.split()[0].endswith(("vägen", "gatan", "esplanaden")) for hub in pohjanmaa.hubs) > 20
    assert _swedish_share(scenario("lansi-uusimaa", 2000)) < 0.2


@pytest.mark.parametrize("clients", [300, 2000])
def test_kainuu_is_short_of_leaders_not_rooms(clients: int) -> None:
    kainuu, lansi = scenario("kainuu", clients), scenario("lansi-uusimaa", clients)
    assert _clients_per_staff(kainuu) >= 2 * _clients_per_staff(lansi)
    assert _clients_per_qualified(kainuu) >= 2 * _clients_per_qualified(lansi)
    assert _rooms_per_qualified(kainuu) >= 2 * _rooms_per_qualified(lansi)
    if clients >= 1000:  # small waiting lists get one room per hub everywhere
        assert _clients_per_room(kainuu) <= 0.6 * _clients_per_room(lansi)
    part_time = [m for m in kainuu.staff if m.qualified and len(m.available) <= 3 and m.max_weekly_minutes <= 420]
    assert part_time
    assert not [m for m in lansi.staff if m.qualified and len(m.available) <= 3]


# --- every region can be planned ---


@pytest.mark.parametrize("name", NAMES)
def test_the_greedy_plan_of_each_region_checks_clean(name: str) -> None:
    problem = scenario(name, 300)
    plan = greedy_plan(problem)
    violations = check(problem, plan)
    assert not violations, format_report(violations)
    assert plan.metrics.placed + plan.metrics.unassigned == 300
    assert plan.metrics.placed >= 0.35 * 300
    assert len(plan.groups) >= 15
