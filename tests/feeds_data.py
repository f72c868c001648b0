"""A small published offering for the feed tests: a term spanning Epiphany and Easter 2027.

Term: Monday 4 January 2027, 16 weeks (to Sunday 25 April). Epiphany is Wednesday 6 January,
Good Friday 26 March, Easter Monday 29 March; the county closes on Wednesday 10 February.
Names and addresses carry hostile characters, so every feed test also tests escaping.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine

from scheduler.contract import Plan, PlanMetrics, Problem
from scheduler.services.planning.workflow import plan_run, publish_run, resolve_run
from scheduler.storage.database import session_scope
from scheduler.storage.repository import import_problem
from tests.builders import build, client, hub, leader, problem, room, template, window

TERM_START = date(2027, 1, 4)
WEEKS = 16
EPIPHANY, GOOD_FRIDAY, EASTER_MONDAY = date(2027, 1, 6), date(2027, 3, 26), date(2027, 3, 29)
CLOSURE = date(2027, 2, 10)
HOSTILE_NAME = "Luonto;ryhmä, \\ ja: metsä\nEND:VEVENT\r\nATTENDEE:mailto:x@y 🌲 " + "Ääkkösiä ja åäö " * 6
HOSTILE_ADDRESS = "Kauppakatu 1, 08100 Lohja\nBEGIN:VALARM"
EVERY_DAY = [window(d, "08:00", "18:00") for d in ("mon", "tue", "wed", "thu", "fri")]


def _group(
    ident: str,
    day: str,
    start: str,
    end: str,
    leaders: list[str],
    people: list[str],
    hub_id: str | None = "lohja",
    room_id: str | None = "lohja/sali",
    model: str = "nature",
) -> dict[str, Any]:
    return {
        "id": ident,
        "template": model,
        "modality": "in_person" if hub_id else "remote",
        "hub": hub_id,
        "room": room_id,
        "language": "fi",
        "day": day,
        "start": start,
        "end": end,
        "leaders": leaders,
        "participants": people,
        "pinned": True,
    }


def feed_problem() -> dict[str, Any]:
    """Three in-person groups (Monday, Wednesday, Friday) and a remote one (Thursday)."""
    lohja = hub("lohja", rooms=[room("lohja/sali", available=EVERY_DAY), room("lohja/pieni", available=EVERY_DAY)])
    lohja["address"], lohja["name"] = HOSTILE_ADDRESS, "Lohjan asukastalo"
    nummela = hub(
        "nummela", at=(60.3326, 24.3254), rooms=[room("nummela/sali", available=EVERY_DAY)], municipality="Vihti"
    )
    nature = template("nature")
    nature["name"] = {"fi": HOSTILE_NAME, "sv": "Naturgrupp", "en": "Nature group"}
    people = [client(f"asiakas-{i:02d}", available=EVERY_DAY) for i in range(1, 13)]
    groups = [
        _group("g-mon", "mon", "09:00", "12:00", ["aino", "mikko"], [p["id"] for p in people[0:3]]),
        _group("g-wed", "wed", "13:00", "16:00", ["aino"], [p["id"] for p in people[3:6]], room_id="lohja/pieni"),
        _group("g-fri", "fri", "10:00", "13:00", ["mikko", "sanna"], [p["id"] for p in people[6:9]]),
        _group("g-remote", "thu", "12:00", "14:00", ["sanna"], [p["id"] for p in people[9:12]], None, None, "remote"),
    ]
    return problem(
        hubs=[lohja, nummela],
        staff=[
            leader("aino", available=EVERY_DAY),
            leader("mikko", available=EVERY_DAY),
            leader("sanna", available=EVERY_DAY),
        ],
        templates=[nature, template("remote", theme="wellbeing", minutes=120, modality="remote")],
        people=people,
        groups=groups,
        term={"start": TERM_START.isoformat(), "weeks": WEEKS},
        closures=[CLOSURE.isoformat()],
    )


def load_feed_data(engine: Engine) -> None:
    """Import the problem: its groups are running, as after a publish."""
    with session_scope(engine) as session:
        import_problem(session, build(feed_problem()), actor="test")


def republish(engine: Engine, changes: dict[str, dict[str, Any]]) -> None:
    """Plan again with some groups changed (`{group: {field: value}}`) and publish: the weekly round."""

    def planned(problem: Problem) -> Plan:
        groups = [g.model_copy(update=changes.get(g.id, {})) for g in problem.groups]
        metrics = PlanMetrics(
            placed=sum(len(g.participants) for g in groups), unassigned=0, groups_new=0, groups_total=len(groups)
        )
        return Plan(status="feasible", groups=groups, metrics=metrics)

    with session_scope(engine) as session:
        plan_run(session, planned, actor="test", allow_moves=True)
    with session_scope(engine) as session:
        publish_run(session, resolve_run(session, "latest"), actor="test")
