"""A small county whose shortage numbers are known (tests/services/test_shortage.py, tests/api/test_shortage_api.py).

Two hubs: Lohja (one room, Tuesday 09:00-15:00) and Tammisaari in Raasepori (two rooms,
Tuesday and Wednesday 09:00-15:00). Aino leads two 120-minute groups in Lohja's room on
Tuesday (09:00-11:00 and 13:00-15:00); Mikko leads none. Two Swedish speakers living in
Karjaa (Raasepori) wait for want of leaders; a bilingual client in Lohja waits for want of
a free seat and wants two themes; one Lohja client has two reasons.
"""

from __future__ import annotations

from typing import Any

from scheduler.contract import Plan, Problem
from tests.builders import build, client, hub, leader, problem, room, template, window

TAMMISAARI, KARJAA = (59.974, 23.436), (60.071, 23.662)
TWO_DAYS = [window("tue"), window("wed")]


def county() -> Problem:
    hubs = [
        hub("lohja"),
        hub(
            "tammisaari",
            TAMMISAARI,
            [room("tammisaari/a", available=TWO_DAYS), room("tammisaari/b", available=[window("wed", "12:00")])],
            municipality="Raasepori",
        ),
    ]
    staff = [
        {**leader("aino", weekly=600), "name": "Aino Virtanen"},
        # overlapping windows: the minutes they hold count once (09:00-13:00 = 240)
        leader("mikko", available=[window("tue", "09:00", "12:00"), window("tue", "11:00", "13:00")], weekly=300),
    ]
    people = [
        client("sv1", languages=("sv",), at=KARJAA),
        client("sv2", languages=("sv",), at=KARJAA),
        client("bi", languages=("fi", "sv"), interests=("nature", "art")),
        client("two", interests=("art",)),
        *[client(f"p{i}") for i in range(6)],
    ]
    templates = [template("nature", minutes=120), template("art", "art", minutes=180)]
    return build(problem(hubs, staff, templates, people))


def group(gid: str, start: str, end: str, participants: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "id": gid,
        "template": "nature",
        "modality": "in_person",
        "hub": "lohja",
        "room": "lohja/room",
        "language": "fi",
        "day": "tue",
        "start": start,
        "end": end,
        "leaders": ["aino"],
        "participants": participants,
        "new": True,
        **extra,
    }


def reason(code: str) -> dict[str, Any]:
    return {"code": code, "detail": f"because of {code}"}


def plan() -> Plan:
    return Plan.model_validate(
        {
            "status": "feasible",
            "groups": [
                group("morning", "09:00", "11:00", ["p0", "p1", "p2"]),
                group("afternoon", "13:00", "15:00", ["p3", "p4", "p5"]),
            ],
            "unassigned": [
                {"client": "sv1", "reasons": [reason("leaders")]},
                {"client": "sv2", "reasons": [reason("leaders")]},
                {"client": "bi", "reasons": [reason("capacity")]},
                {"client": "two", "reasons": [reason("remote"), reason("travel"), reason("travel")]},
            ],
            "metrics": {"placed": 6, "unassigned": 4, "groups_new": 2, "groups_total": 2},
        }
    )
