"""The built-in scenarios: a realistic weekly planning problem for a region (Western Uusimaa by default).

`generate(clients, seed, region=...)` lays out the region's municipalities with their
sote-centres, libraries and resident houses, the social rehabilitation staff and
their partners, the handbook's group models, and a waiting list drawn from the
handbook's five client target groups. Clients are spread by population; Swedish
speakers follow each municipality's share; `municipality_at(lat, lon, region)` tells in
which municipality a home lies. A region is data (`scheduler.scenario.region.Region`,
the facts in `scheduler.scenario.regions`); this one generator serves them all.

A client's first language is their registered language (`sv` for a Swedish
speaker, `ar` for an immigrant who copes in Finnish). A staff member's first skill
is their role, e.g. `role:social_counsellor` or `role:experience_expert`.

Rooms and staff grow with the waiting list by the region's ratios (Western Uusimaa: about
one room per 25 waiting clients, twice the room-time the groups need, and one staff member
per ten). The same region and seed always give the same problem; only `random.Random` is used.

With `service` (the default) every client also has a service period (`_service`): a
counsellor (one per about 40 clients), the case opening (the day they began to wait), the
assessment, one or two decisions of six months and the evaluations held so far; a few
clients' decisions ended before the term, reached the 18-month cap, or start after the
term, so a plan shows the reason `decision`. The service data comes from a random stream of
its own: without it (`service=False`, as the benchmarks plan) the problem is the one
generated before service periods existed, byte for byte.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from scheduler.contract import DAYS, Problem
from scheduler.contract.problem import PROBLEM_SCHEMA
from scheduler.contract.service import DECISION_MONTHS, EVALUATION_EVERY_MONTHS, FIRST_EVALUATION_MONTHS, add_months
from scheduler.contract.term import public_holidays, term_end
from scheduler.scenario.data import (
    FOREIGN_LANGUAGES,
    HYBRID_TEMPLATES,
    NAMES,
    PARTNER_ROLES,
    PEER_ROLE,
    PROCESS_SESSIONS,
    QUALIFIED_ROLES,
    ROOM_NAMES,
    TARGET_GROUPS,
    TEMPLATES,
    Role,
    TargetGroup,
)
from scheduler.scenario.region import HubSite, Municipality, Region, Settlement
from scheduler.scenario.regions import DEFAULT_REGION, find_region

__all__ = [
    "DEFAULT_TERM_START",
    "TERM_WEEKS",
    "closures",
    "generate",
    "municipality_at",
    "problem_document",
    "waiting_client",
]

Record = dict[str, Any]

DEFAULT_TERM_START = date(2027, 1, 11)
TERM_WEEKS = 12
WEEKDAYS = DAYS[:5]
CLIENT_WINDOWS = (("09:00", "15:00"), ("09:00", "13:00"), ("12:00", "16:00"), ("10:00", "14:00"))
ROOM_HOURS = {
    "sote": ("08:00", "16:00"),
    "kirjasto": ("10:00", "18:00"),
    "asukastalo": ("09:00", "16:00"),
}
EMPLOYEE_MINUTES = (480, 961, 60)
PARTNER_MINUTES = (240, 481, 60)
PART_TIME_MINUTES = (240, 421, 60)
KM_PER_DEGREE = 111.2
HOME_TRIES = 20
CLIENTS_PER_COUNSELLOR = 40
ENDED_SHARE, CAPPED_SHARE, AFTER_TERM_SHARE = 0.015, 0.01, 0.015
"""Clients whose decision ended before the term, whose service reached the 18-month cap, or
whose next decision starts after the term: each told the reason `decision`."""
CONTINUED_SHARE = 0.7
"""Of the clients whose first decision ends during the term, those with a continuation."""


def generate(
    clients: int,
    seed: int = 0,
    term_start: date | None = None,
    region: str | Region = DEFAULT_REGION,
    service: bool = True,
    group_kinds: bool = False,
) -> Problem:
    """A validated planning problem of a region with `clients` waiting clients, the same for a seed.

    `region` is a `Region` or the name of one in `REGIONS`; an unknown name is a ValueError
    that lists the known ones. `service` gives the clients counsellors, case openings and
    decisions (off: the problem as generated before service periods). `group_kinds` plans the
    handbook's kinds of group (pop-ups, closed process groups with their own terms, hybrid
    groups, peer instructors); off, the problem is a tarjotin.problem/1 document as before."""
    return Problem.model_validate(problem_document(clients, seed, term_start, region, service, group_kinds))


def problem_document(
    clients: int,
    seed: int = 0,
    term_start: date | None = None,
    region: str | Region = DEFAULT_REGION,
    service: bool = True,
    group_kinds: bool = False,
) -> Record:
    """The document `generate` validates: a region's problem as plain data, before validation
    (the national scenario joins the counties' documents and validates them once)."""
    if clients < 1:
        raise ValueError(f"a scenario needs at least one waiting client, not {clients}")
    area = find_region(region) if isinstance(region, str) else region
    start = term_start or DEFAULT_TERM_START
    expected = _expected_clients(area, clients)
    hubs = _hubs(random.Random(f"tarjotin:{seed}:hubs"), area, expected)
    staff = _staff(random.Random(f"tarjotin:{seed}:staff"), area, clients, hubs)
    waiting = _clients(random.Random(f"tarjotin:{seed}:clients"), area, clients, start)
    languages = list(area.template_languages)
    counsellors = _service(random.Random(f"tarjotin:{seed}:service"), waiting, start) if service else []
    templates = [{**template, "languages": languages} for template in TEMPLATES]
    kinds: Record = {"schema": "tarjotin.problem/1"}
    if group_kinds:
        kinds = _group_kinds(clients, staff, templates, languages)
    return {
        "region": area.display,
        "timezone": "Europe/Helsinki",
        "term": {"start": start, "weeks": TERM_WEEKS},
        "closures": closures(start, TERM_WEEKS),
        "slot_minutes": 30,
        "hubs": hubs,
        "staff": staff,
        "templates": templates,
        "clients": waiting,
        **({"counsellors": counsellors} if service else {}),
        **kinds,
    }


def _group_kinds(clients: int, staff: list[Record], templates: list[Record], languages: list[str]) -> Record:
    """The handbook's kinds of group on a generated problem (in place): process groups closed after their second
    session over their own term, a hybrid model, peer instructors, and pop-up slots (one a week per 150
    waiting clients, two to twelve: a coordinator's setting, not a tuned constant)."""
    for template in templates:
        if template["id"] in PROCESS_SESSIONS:
            template["sessions"] = PROCESS_SESSIONS[template["id"]]
    templates += [{**template, "languages": languages} for template in HYBRID_TEMPLATES]
    for member in staff:
        member["peer"] = PEER_ROLE in member["skills"]
    return {"schema": PROBLEM_SCHEMA, "popup_slots": min(12, max(2, round(clients / 150)))}


# --- the calendar -------------------------------------------------------------------


def closures(start: date, weeks: int) -> list[date]:
    """Weekdays of the term without sessions: public holidays (the holidays package) and a training day."""
    end = start + timedelta(weeks=weeks)
    days = [start + timedelta(weeks=5, days=2)]  # koulutuspäivä: Wednesday of week six
    for year in range(start.year, end.year + 1):
        days += public_holidays(year)
    return sorted({day for day in days if start <= day < end and day.weekday() < 5})


# --- places -------------------------------------------------------------------------


def _expected_clients(region: Region, clients: int) -> dict[str, float]:
    """How many of the waiting clients each municipality can expect, by population."""
    total = sum(m.population for m in region.municipalities)
    return {m.name: clients * m.population / total for m in region.municipalities}


def _hubs(rng: random.Random, region: Region, expected: dict[str, float]) -> list[Record]:
    """Every base hub, with rooms by the region's clients per room (at least one per hub)."""
    hubs: list[Record] = []
    for municipality in region.municipalities:
        sites = [site for site in region.hubs if site.municipality == municipality.name]
        rooms = max(len(sites), math.ceil(expected[municipality.name] / region.clients_per_room))
        for index, site in enumerate(sites):
            count = rooms // len(sites) + (1 if index < rooms % len(sites) else 0)
            hubs.append(_hub(rng, site, count))
    return hubs


def _hub(rng: random.Random, site: HubSite, rooms: int) -> Record:
    names = ROOM_NAMES[site.kind, site.swedish]
    return {
        "id": site.id,
        "name": site.name,
        "municipality": site.municipality,
        "lat": site.lat,
        "lon": site.lon,
        "address": site.address,
        "rooms": [_room(rng, site, names, index) for index in range(rooms)],
    }


def _room(rng: random.Random, site: HubSite, names: tuple[str, ...], index: int) -> Record:
    """A group room: 8-14 seats, most accessible, open on weekdays by the hub's hours."""
    name = names[index % len(names)]
    if index >= len(names):
        name += f" {index // len(names) + 1}"
    return {
        "id": f"{site.id}/{_slug(name)}",
        "name": name,
        "capacity": rng.randint(8, 14),
        "accessible": index == 0 or rng.random() < 0.65,
        "available": _room_windows(rng, site.kind),
    }


def _room_windows(rng: random.Random, kind: str) -> list[Record]:
    """Opening windows; a room is sometimes booked by another service on one day."""
    days = list(WEEKDAYS[:4] if kind == "asukastalo" else WEEKDAYS)
    if rng.random() < 0.25:
        days.remove(rng.choice(days))
    windows: list[Record] = []
    for day in days:
        start, end = ROOM_HOURS[kind]
        if kind == "kirjasto" and rng.random() < 0.5:
            start, end = ROOM_HOURS["sote"]
        windows.append({"day": day, "start": start, "end": end})
    return windows


def _slug(text: str) -> str:
    """An ASCII, lowercase id part: "Keittiö 2" becomes "keittio-2"."""
    plain = text.lower().translate(str.maketrans("äöåé", "aoae"))
    return "-".join("".join(c if c.isascii() and c.isalnum() else " " for c in plain).split())


# --- staff --------------------------------------------------------------------------


def _staff(rng: random.Random, region: Region, clients: int, hubs: list[Record]) -> list[Record]:
    """One staff member per the region's clients per staff, one qualified in every municipality."""
    total = max(region.min_staff, len(region.municipalities), round(clients / region.clients_per_staff))
    counts = _apportion(total, [m.population for m in region.municipalities], floor=1)
    width = max(3, len(str(total)))
    staff: list[Record] = []
    for municipality, count in zip(region.municipalities, counts, strict=True):
        sites = [hub["id"] for hub in hubs if hub["municipality"] == municipality.name]
        for index in range(count):
            qualified = index == 0 or rng.random() < region.qualified_share
            part_time = region.part_time_share > 0 and qualified and rng.random() < region.part_time_share
            staff_id = f"s{len(staff) + 1:0{width}d}"
            staff.append(_staff_member(rng, staff_id, municipality, qualified, part_time, sites))
    return staff


def _apportion(total: int, weights: list[int], floor: int) -> list[int]:
    """Split `total` by weight (largest remainder), giving each at least `floor`."""
    rest = max(0, total - floor * len(weights))
    shares = [rest * w / sum(weights) for w in weights]
    counts = [floor + int(share) for share in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (int(shares[i]) - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _staff_member(
    rng: random.Random, staff_id: str, municipality: Municipality, qualified: bool, part_time: bool, sites: list[str]
) -> Record:
    """A social welfare professional or a partner, with role, languages and skills."""
    if part_time:
        minutes = PART_TIME_MINUTES
    else:
        minutes = EMPLOYEE_MINUTES if qualified else PARTNER_MINUTES
    roles = QUALIFIED_ROLES if qualified else PARTNER_ROLES
    role = rng.choices(roles, weights=[r.weight for r in roles])[0]
    languages = _staff_languages(rng, municipality)
    first_names, surnames = NAMES[languages[0]]
    return {
        "id": staff_id,
        "name": f"{rng.choice(first_names)} {rng.choice(surnames)}",
        "qualified": qualified,
        "languages": languages,
        "skills": [role.skill, *_skills(rng, role)],
        "base_hub": rng.choice(sites),
        "available": _staff_windows(rng, qualified and not part_time),
        "max_weekly_minutes": rng.randrange(*minutes),
    }


def _staff_languages(rng: random.Random, municipality: Municipality) -> list[str]:
    """Finnish for all but the area's few Swedish-only staff; Swedish by the area."""
    share = municipality.swedish_share
    if rng.random() < share:
        alone = municipality.swedish_only_staff > 0 and rng.random() < municipality.swedish_only_staff
        languages = ["sv"] if alone else ["sv", "fi"]
    else:
        languages = ["fi", "sv"] if rng.random() < min(0.9, 0.15 + share) else ["fi"]
    if rng.random() < 0.35:
        languages.append("en")
    return languages


def _skills(rng: random.Random, role: Role) -> list[str]:
    low, high = role.extra
    return _weighted_order(rng, role.skills)[: rng.randint(low, high)]


def _staff_windows(rng: random.Random, qualified: bool) -> list[Record]:
    """Employees work weekdays (some four days a week); partners and part-timers come two or three days."""
    if qualified:
        days = list(WEEKDAYS)
        if rng.random() < 0.25:
            days.remove(rng.choice(days))
        hours = ("08:00", "16:00")
    else:
        days = sorted(rng.sample(WEEKDAYS, rng.choice((2, 2, 3))), key=WEEKDAYS.index)
        hours = rng.choice((("08:00", "16:00"), ("09:00", "15:00")))
    return [{"day": day, "start": hours[0], "end": hours[1]} for day in days]


# --- waiting clients ----------------------------------------------------------------


def _clients(rng: random.Random, region: Region, count: int, term_start: date) -> list[Record]:
    """The waiting list, pseudonymous ids c0001.., no names."""
    width = max(4, len(str(count)))
    weights = [m.population for m in region.municipalities]
    towns = rng.choices(region.municipalities, weights=weights, k=count)
    return [waiting_client(rng, region, f"c{n + 1:0{width}d}", town, term_start) for n, town in enumerate(towns)]


def waiting_client(rng: random.Random, region: Region, client_id: str, town: Municipality, term_start: date) -> Record:
    """One waiting client of a target group, with home, languages, wishes and week (a simulated season's
    referrals are drawn with it too: `scheduler.scenario.referrals`)."""
    registered = _registered_language(rng, town)
    group = TARGET_GROUPS[4] if registered not in ("fi", "sv") else _target_group(rng)
    audiences = _audiences(rng, group)
    car = rng.random() < town.car_share
    return {
        "id": client_id,
        "languages": _client_languages(rng, town, registered),
        "home": _home(rng, region, town),
        "travel_mode": "car" if car else "transit",
        "max_travel_minutes": rng.randrange(*(region.car_minutes if car else region.transit_minutes)),
        "available": _client_windows(rng),
        "interests": _interests(rng, group, audiences),
        "audiences": audiences,
        "needs_accessible": rng.random() < 0.10,
        "remote_ok": rng.random() < group.remote_ok,
        "waiting_since": term_start - timedelta(days=round(rng.triangular(0, 160, 20))),
        "max_groups_per_week": 2 if rng.random() < 0.05 else 1,
    }


def _service(rng: random.Random, clients: list[Record], term_start: date) -> list[Record]:
    """Counsellors, and each client's case opening, assessment, decisions and evaluations (in place)."""
    count = max(1, round(len(clients) / CLIENTS_PER_COUNSELLOR))
    width = max(2, len(str(count)))
    first_names, surnames = NAMES["fi"]
    counsellors = [
        {"id": f"co-{n + 1:0{width}d}", "name": f"{rng.choice(first_names)} {rng.choice(surnames)}"}
        for n in range(count)
    ]
    last = term_end(term_start, TERM_WEEKS)
    for client in clients:
        client["counsellor"] = rng.choice(counsellors)["id"]
        opened: date = client["waiting_since"]
        draw = rng.random()
        if draw < ENDED_SHARE:  # an earlier service ended; waiting again for a new decision
            opened = term_start - timedelta(days=rng.randint(230, 330))
            starts = [opened + timedelta(days=rng.randint(14, 45))]
        elif draw < ENDED_SHARE + CAPPED_SHARE:  # continued until the 18-month cap, before the term
            opened = add_months(term_start, -18) - timedelta(days=rng.randint(60, 120))
            first = opened + timedelta(days=rng.randint(14, 45))
            starts = [add_months(first, DECISION_MONTHS * n) for n in range(4)]
        elif draw < ENDED_SHARE + CAPPED_SHARE + AFTER_TERM_SHARE:  # the decision is made late
            starts = [last + timedelta(days=rng.randint(1, 28))]
        else:
            start = opened + timedelta(days=rng.randint(14, 60))
            starts = [start]
            if add_months(start, DECISION_MONTHS) <= last and rng.random() < CONTINUED_SHARE:
                starts.append(add_months(start, DECISION_MONTHS))
        decisions = [
            {"start": start, "end": add_months(start, DECISION_MONTHS) - timedelta(days=1)} for start in starts
        ]
        assessed = min(starts[0], opened + timedelta(days=rng.randint(7, 30)))
        client.update(case_opened=opened, assessed=assessed, decisions=decisions)
        client["evaluations"] = _evaluations(starts[0], min(decisions[-1]["end"], term_start - timedelta(days=1)))
    return counsellors


def _evaluations(start: date, until: date) -> list[date]:
    """The evaluations held by `until`: three months into the service, then every six months."""
    held, due = [], add_months(start, FIRST_EVALUATION_MONTHS)
    while due <= until:
        held.append(due)
        due = add_months(due, EVALUATION_EVERY_MONTHS)
    return held


def _registered_language(rng: random.Random, town: Municipality) -> str:
    """Swedish by the municipality's share, a foreign language by its foreign share."""
    draw = rng.random()
    if draw < town.swedish_share:
        return "sv"
    if draw < town.swedish_share + town.foreign_share:
        return rng.choices(FOREIGN_LANGUAGES, weights=[w for _, w in FOREIGN_LANGUAGES])[0][0]
    return "fi"


def _client_languages(rng: random.Random, town: Municipality, registered: str) -> list[str]:
    """The registered language first, then the languages the client copes in."""
    share = town.swedish_share
    if registered == "sv":
        return ["sv", "fi"] if rng.random() < 0.5 else ["sv"]
    if registered == "fi":
        return ["fi", "sv"] if rng.random() < min(0.5, share) else ["fi"]
    local = "sv" if share >= 0.3 and rng.random() < share else "fi"
    extra = ["en"] if registered != "en" and rng.random() < 0.3 else []
    return [registered, local, *extra]


def _target_group(rng: random.Random) -> TargetGroup:
    groups = TARGET_GROUPS[:4]
    return rng.choices(groups, weights=[g.weight for g in groups])[0]


def _audiences(rng: random.Random, group: TargetGroup) -> list[str]:
    """Sex 50/50; young adults, nepsy and immigrants as the target group says."""
    audiences = [rng.choice(("women", "men"))]
    if rng.random() < group.youth:
        audiences.append("youth")
    if rng.random() < group.neuro:
        audiences.append("neuro")
    if group.number == 5:
        audiences.append("immigrants")
    return audiences


def _interests(rng: random.Random, group: TargetGroup, audiences: list[str]) -> list[str]:
    """Two to four themes, best first, among the groups suggested for the target group."""
    open_to = {t["theme"] for t in TEMPLATES if t["audience"] in ("all", *audiences)}
    themes = [(theme, weight) for theme, weight in group.interests if theme in open_to]
    return _weighted_order(rng, themes)[: rng.randint(2, 4)]


def _home(rng: random.Random, region: Region, town: Municipality) -> Record:
    """A home near one of the municipality's settlements, inside the municipality."""
    place = rng.choices(town.settlements, weights=[s.weight for s in town.settlements])[0]
    for _ in range(HOME_TRIES):
        lat = round(place.lat + rng.gauss(0, place.spread_km / KM_PER_DEGREE), 4)
        lon = round(place.lon + rng.gauss(0, place.spread_km / _km_per_degree_lon(lat)), 4)
        if municipality_at(lat, lon, region) == town.name:
            return {"lat": lat, "lon": lon}
    return {"lat": place.lat, "lon": place.lon}


def municipality_at(lat: float, lon: float, region: str | Region = DEFAULT_REGION) -> str:
    """The municipality of the region a point lies in: the one whose nearest settlement is closest."""
    area = find_region(region) if isinstance(region, str) else region

    def km2(settlement: Settlement) -> float:
        dy = (settlement.lat - lat) * KM_PER_DEGREE
        dx = (settlement.lon - lon) * _km_per_degree_lon(lat)
        return dx * dx + dy * dy

    return min(area.municipalities, key=lambda town: min(map(km2, town.settlements))).name


def _km_per_degree_lon(lat: float) -> float:
    return KM_PER_DEGREE * math.cos(math.radians(lat))


def _client_windows(rng: random.Random) -> list[Record]:
    """Two to four weekdays, each with a few hours the client can come."""
    days = sorted(rng.sample(WEEKDAYS, rng.randint(2, 4)), key=WEEKDAYS.index)
    windows: list[Record] = []
    for day in days:
        start, end = rng.choice(CLIENT_WINDOWS)
        windows.append({"day": day, "start": start, "end": end})
    return windows


def _weighted_order(rng: random.Random, items: Sequence[tuple[str, float]]) -> list[str]:
    """The items in a random order where heavier ones tend to come first."""
    keys = [(rng.random() ** (1.0 / weight), name) for name, weight in items]
    return [name for _, name in sorted(keys, reverse=True)]
