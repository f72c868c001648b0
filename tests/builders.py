"""Small contract documents for tests, built from role-named pieces.

Everything happens at Lohja (LOHJA) unless a test moves it; every window is Tuesday
09:00-15:00 unless a test narrows it.
"""

from __future__ import annotations

import copy
from typing import Any

from scheduler.contract import Problem, parse_problem

LOHJA = (60.2486, 24.0652)
NUMMELA = (60.3326, 24.3254)
HANKO = (59.824, 22.968)
TUE = [{"day": "tue", "start": "09:00", "end": "15:00"}]


def window(day: str = "tue", start: str = "09:00", end: str = "15:00") -> dict[str, str]:
    return {"day": day, "start": start, "end": end}


def room(
    id: str = "lohja/room", capacity: int = 12, accessible: bool = True, available: list | None = None
) -> dict[str, Any]:
    return {"id": id, "capacity": capacity, "accessible": accessible, "available": available or TUE}


def hub(
    id: str = "lohja", at: tuple[float, float] = LOHJA, rooms: list | None = None, municipality: str = "Lohja"
) -> dict[str, Any]:
    return {
        "id": id,
        "name": id.title(),
        "municipality": municipality,
        "lat": at[0],
        "lon": at[1],
        "rooms": rooms if rooms is not None else [room(f"{id}/room")],
    }


def leader(
    id: str,
    qualified: bool = True,
    languages: tuple[str, ...] = ("fi",),
    skills: tuple[str, ...] = (),
    base: str = "lohja",
    available: list | None = None,
    weekly: int = 960,
) -> dict[str, Any]:
    return {
        "id": id,
        "qualified": qualified,
        "languages": list(languages),
        "skills": list(skills),
        "base_hub": base,
        "available": available or TUE,
        "max_weekly_minutes": weekly,
    }


def template(
    id: str = "nature",
    theme: str = "nature",
    minutes: int = 180,
    languages: tuple[str, ...] = ("fi", "sv"),
    skills: tuple[str, ...] = (),
    audience: str = "all",
    modality: str = "in_person",
    min_size: int = 3,
    max_size: int = 10,
) -> dict[str, Any]:
    return {
        "id": id,
        "name": {"fi": f"{id} fi", "sv": f"{id} sv", "en": f"{id} en"},
        "kind": "theme",
        "theme": theme,
        "audience": audience,
        "modality": modality,
        "duration_minutes": minutes,
        "min_size": min_size,
        "max_size": max_size,
        "languages": list(languages),
        "required_skills": list(skills),
    }


def client(
    id: str,
    languages: tuple[str, ...] = ("fi",),
    at: tuple[float, float] = LOHJA,
    interests: tuple[str, ...] = ("nature",),
    available: list | None = None,
    max_travel: int = 45,
    mode: str = "transit",
    audiences: tuple[str, ...] = (),
    accessible: bool = False,
    remote_ok: bool = False,
    waiting_since: str = "2026-11-01",
    groups: int = 1,
) -> dict[str, Any]:
    return {
        "id": id,
        "languages": list(languages),
        "home": {"lat": at[0], "lon": at[1]},
        "travel_mode": mode,
        "max_travel_minutes": max_travel,
        "available": available or TUE,
        "interests": list(interests),
        "audiences": list(audiences),
        "needs_accessible": accessible,
        "remote_ok": remote_ok,
        "waiting_since": waiting_since,
        "max_groups_per_week": groups,
    }


def clients(prefix: str, count: int, **kwargs: Any) -> list[dict[str, Any]]:
    return [client(f"{prefix}{i:02d}", **kwargs) for i in range(1, count + 1)]


def running_group(participants: list[str], leaders: list[str] | None = None, pinned: bool = True) -> dict[str, Any]:
    """A group that runs already: the nature group in Lohja on Tuesday mornings, led by aino and mikko."""
    return {
        "id": "running",
        "template": "nature",
        "modality": "in_person",
        "hub": "lohja",
        "room": "lohja/room",
        "language": "fi",
        "day": "tue",
        "start": "09:00",
        "end": "12:00",
        "leaders": ["aino", "mikko"] if leaders is None else leaders,
        "participants": participants,
        "pinned": pinned,
    }


def problem(
    hubs: list | None = None,
    staff: list | None = None,
    templates: list | None = None,
    people: list | None = None,
    groups: list | None = None,
    **extra: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "schema": "tarjotin.problem/1",
        "region": "test",
        "term": {"start": "2027-01-11", "weeks": 12},
        "hubs": hubs if hubs is not None else [hub()],
        "staff": staff if staff is not None else [leader("aino"), leader("mikko")],
        "templates": templates if templates is not None else [template()],
        "clients": people if people is not None else [],
        "groups": groups or [],
    }
    data.update(extra)
    return data


def build(data: dict[str, Any]) -> Problem:
    return parse_problem(copy.deepcopy(data))
