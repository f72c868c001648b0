"""The national scenario: one problem covering all of mainland Finland, county by county.

`generate_national(clients, seed)` splits the waiting clients over the 21 wellbeing services
counties and Helsinki by population (largest remainder, every area at least a few), generates each
area with the one generator (`problem_document`) from a `Region` built here from the table in
`national_data`, and joins them into one validated `Problem`. Every id of an area starts with its
code (`lap-c0001`, `hel-s001`, `kai-kajaani-sote`, `pir-co-01`), so ids never collide; a staff
member's base hub is in their own area. The group models are the same everywhere, in Finnish and
Swedish (a Swedish group finds clients where Swedish speakers live).

Each area's `Region` is built from the table, not by hand (docs/regions.md):
- a municipality's people live around its centre: a town part (the bigger the town, the larger
  share and spread) and a countryside whose spread grows with the distance to the nearest other
  municipal centre (a stand-in for the municipality's size);
- hubs at the centre: a sote-centre in every municipality and one more per 50 000 people, a
  library from 8 000 people (and one more per 100 000), a resident house per 60 000; where Swedish
  is the majority the hubs are named in Swedish, and a Swedish community house is added where it
  is a large minority (10 % or 10 000 people);
- the car share of clients falls and the foreign-language share rises with the population
  (`FOREIGN_SHARES` for the cities where it stands out);
- the county's density (people per km² of land) picks its travel limits and rooms from `TIERS`;
  staffing is the default regions' (one staff member per ten clients, 60 % qualified).

The same clients and seed always give the same problem; only `random.Random` is used.
"""

from __future__ import annotations

import math
from datetime import date
from functools import cache
from typing import Any, NamedTuple

from scheduler.contract import Problem
from scheduler.scenario.generate import KM_PER_DEGREE, _apportion, _slug, problem_document
from scheduler.scenario.national_data import COUNTIES, FOREIGN_SHARES, MUNICIPALITIES, SWEDISH_NAMES, County, Row
from scheduler.scenario.region import HubSite, Municipality, Region, Settlement

__all__ = [
    "MIN_AREA_CLIENTS",
    "NATIONAL",
    "NATIONAL_DISPLAY",
    "TIERS",
    "Tier",
    "area_clients",
    "area_regions",
    "generate_national",
]

NATIONAL = "national"
"""The name `tarjotin scenario --region` takes for the national scenario."""
NATIONAL_DISPLAY = "Koko Suomi – Hela Finland"
MIN_AREA_CLIENTS = 5
"""Every area gets at least this many clients (fewer only when there are fewer than 5 per area)."""


class Tier(NamedTuple):
    """The travel limits and rooms of a county of at least `min_density` people per km² of land."""

    min_density: float
    car_minutes: tuple[int, int, int]
    transit_minutes: tuple[int, int, int]
    clients_per_room: float


TIERS: tuple[Tier, ...] = (
    Tier(500, (15, 41, 5), (30, 66, 5), 25),  # a city: as the Tampere region
    Tier(100, (20, 46, 5), (30, 76, 5), 25),  # towns and suburbs: as Länsi-Uusimaa
    Tier(20, (20, 51, 5), (30, 76, 5), 25),  # towns and countryside: as Pohjanmaa
    Tier(3, (25, 61, 5), (40, 91, 5), 20),  # sparse: as Kainuu, rooms emptied as people moved away
    Tier(0, (30, 91, 5), (45, 121, 15), 20),  # very sparse: as Lappi
)
"""Densest first; a county takes the first tier its density reaches."""

TOWN_SHARES = ((100_000, 0.9), (30_000, 0.8), (10_000, 0.7), (0, 0.6))
"""The share of a municipality's people in its town part, by population (the rest live in the countryside)."""
CLIENTS_PER_STAFF = 10
QUALIFIED_SHARE = 0.6
HUB_NAMES = {
    False: {"sote": "Sote-keskus", "kirjasto": "Kirjasto", "asukastalo": "Asukastalo"},
    True: {"sote": "Social- och hälsocentral", "kirjasto": "Bibliotek", "asukastalo": "Medborgarhus"},
}
STREETS = {
    False: {"sote": "Terveystie", "kirjasto": "Kirjastokatu", "asukastalo": "Kylätie"},
    True: {"sote": "Hälsovägen", "kirjasto": "Biblioteksgatan", "asukastalo": "Byvägen"},
}
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def generate_national(
    clients: int,
    seed: int = 0,
    term_start: date | None = None,
    service: bool = True,
    group_kinds: bool = False,
) -> Problem:
    """A validated problem of all 22 areas with `clients` waiting clients, the same for a seed.

    `service` and `group_kinds` as in `generate`; pop-up slots are the areas' own added up (at
    most 200). At least one client per area: fewer than 22 is a ValueError."""
    counts = area_clients(clients)
    parts = [
        _prefixed(code, problem_document(counts[code], seed * 100 + index, term_start, region, service, group_kinds))
        for index, (code, region) in enumerate(area_regions().items())
    ]
    document = {**parts[0], "region": NATIONAL_DISPLAY}
    for key in ("hubs", "staff", "clients", "counsellors"):
        if key in document:
            document[key] = [record for part in parts for record in part[key]]
    if group_kinds:
        document["popup_slots"] = min(200, sum(part["popup_slots"] for part in parts))
    return Problem.model_validate(document)


def _prefixed(code: str, part: dict[str, Any]) -> dict[str, Any]:
    """An area's document with its code before every staff, client and counsellor id (in place; hub and
    room ids have it from the area's `Region`), and as the `county` of every hub, staff member and client:
    each county plans its own (rule `same_county`)."""
    for record in (*part["staff"], *part["clients"], *part.get("counsellors", ())):
        record["id"] = f"{code}-{record['id']}"
    for record in (*part["hubs"], *part["staff"], *part["clients"]):
        record["county"] = code
    for client in part["clients"]:
        if "counsellor" in client:
            client["counsellor"] = f"{code}-{client['counsellor']}"
    return part


def area_clients(clients: int) -> dict[str, int]:
    """How many of the waiting clients each area gets: by population (largest remainder), but at
    least `MIN_AREA_CLIENTS` (fewer when there are not that many per area)."""
    if clients < len(COUNTIES):
        raise ValueError(f"the national scenario needs at least {len(COUNTIES)} waiting clients, not {clients}")
    people = {county.code: 0 for county in COUNTIES}
    for row in MUNICIPALITIES:
        people[row.county] += row.population
    floor = min(MIN_AREA_CLIENTS, clients // len(COUNTIES))
    fixed: dict[str, int] = {}
    while True:  # an area whose share falls below the floor gets the floor; the rest share the others
        free = {code: n for code, n in people.items() if code not in fixed}
        rest = clients - floor * len(fixed)
        low = [code for code, n in free.items() if rest * n / sum(free.values()) < floor]
        if not low:
            break
        fixed.update(dict.fromkeys(low, floor))
    counts = dict(zip(free, _apportion(rest, list(free.values()), floor=0), strict=True))
    return {code: fixed.get(code, counts.get(code, 0)) for code in people}


@cache
def area_regions() -> dict[str, Region]:
    """Each area's `Region` by its code, in the order of `COUNTIES`, built from the table."""
    nearest = _nearest_centre_km()
    return {
        county.code: _region(county, [row for row in MUNICIPALITIES if row.county == county.code], nearest)
        for county in COUNTIES
    }


def _region(county: County, rows: list[Row], nearest: dict[str, float]) -> Region:
    density = sum(row.population for row in rows) / county.land_km2
    tier = next(tier for tier in TIERS if density >= tier.min_density)
    towns = tuple(_municipality(row, nearest[row.name]) for row in rows)
    hubs = tuple(site for row in rows for site in _sites(county.code, row))
    return Region(
        name=county.code,
        display=county.name,
        municipalities=towns,
        hubs=hubs,
        clients_per_room=tier.clients_per_room,
        clients_per_staff=CLIENTS_PER_STAFF,
        min_staff=1,
        qualified_share=QUALIFIED_SHARE,
        car_minutes=tier.car_minutes,
        transit_minutes=tier.transit_minutes,
        template_languages=("fi", "sv"),
    )


def _municipality(row: Row, nearest_km: float) -> Municipality:
    """A municipality of the table: a town part and a countryside, both around the centre."""
    town_share = next(share for least, share in TOWN_SHARES if row.population >= least)
    settlements = (
        Settlement(row.lat, row.lon, town_share, _town_spread_km(row)),
        Settlement(row.lat, row.lon, round(1 - town_share, 2), min(30.0, max(5.0, 0.45 * nearest_km))),
    )
    thousands = math.log10(row.population / 1000)
    foreign = FOREIGN_SHARES.get(row.name, min(0.12, max(0.015, 0.01 + 0.02 * thousands)))
    car = round(min(0.85, max(0.15, 0.85 - 0.25 * thousands)), 2)
    swedish_only = 0.15 if row.swedish_share >= 0.7 else 0.0
    return Municipality(
        row.name, row.lat, row.lon, row.population, row.swedish_share, round(foreign, 3), car, settlements, swedish_only
    )


def _town_spread_km(row: Row) -> float:
    """How far the town part spreads: 2 km for a village, about 9 km for Helsinki."""
    return round(min(10.0, max(2.0, 1.5 + 0.3 * math.sqrt(row.population / 1000))), 1)


def _sites(code: str, row: Row) -> list[HubSite]:
    """The municipality's hubs, the first at the centre and the rest spread over the town part."""
    swedish = row.swedish_share >= 0.5
    counts = {
        "sote": 1 + row.population // 50_000,
        "kirjasto": (1 if row.population >= 8_000 else 0) + row.population // 100_000,
        "asukastalo": row.population // 60_000,
    }
    kinds = [(kind, number, swedish) for kind, count in counts.items() for number in range(1, count + 1)]
    if not swedish and (row.swedish_share >= 0.1 or row.swedish_share * row.population >= 10_000):
        kinds.append(("asukastalo", 0, True))  # a Swedish community house
    base = f"{code}-{_slug(row.name)}"
    spread = _town_spread_km(row)
    sites = []
    for index, (kind, number, in_swedish) in enumerate(kinds):
        town = SWEDISH_NAMES.get(row.name, row.name) if in_swedish else row.name
        suffix = "" if number <= 1 else f" {number}"
        radius = 0.9 * spread * math.sqrt(index / len(kinds))
        angle = index * GOLDEN_ANGLE
        lat = row.lat + radius * math.sin(angle) / KM_PER_DEGREE
        lon = row.lon + radius * math.cos(angle) / (KM_PER_DEGREE * math.cos(math.radians(row.lat)))
        sites.append(
            HubSite(
                id=base + f"-{kind}" + ("-sv" if number == 0 else "" if number == 1 else f"-{number}"),
                municipality=row.name,
                kind=kind,
                lat=round(lat, 4),
                lon=round(lon, 4),
                name=f"{HUB_NAMES[in_swedish][kind]} {town}{suffix}",
                address=f"{STREETS[in_swedish][kind]} {2 * max(number, 1) - 1}, {town}",
                swedish=in_swedish,
            )
        )
    return sites


def _nearest_centre_km() -> dict[str, float]:
    """Each municipality's distance to the nearest other municipal centre in mainland Finland."""

    def km(a: Row, b: Row) -> float:
        dy = (a.lat - b.lat) * KM_PER_DEGREE
        dx = (a.lon - b.lon) * KM_PER_DEGREE * math.cos(math.radians((a.lat + b.lat) / 2))
        return math.hypot(dx, dy)

    return {row.name: min(km(row, other) for other in MUNICIPALITIES if other is not row) for row in MUNICIPALITIES}
