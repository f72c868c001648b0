"""A small published offering with every kind of admission, for the seat and head-count tests.

Term: Monday 4 January 2027, 16 weeks. Today (the tests' clock) is Wednesday 20 January 2027.

- g-proc: a process group (closed after its second session) on Mondays from the season's start:
  its second session was on 11 January, so it takes no new joiner today;
- g-late: a process group with its own term from Monday 1 February (10 sessions): it takes joiners
  up to 8 February, and a seat starts on 1 February;
- g-short: a theme group (rolling) of two sessions from Tuesday 5 January: its last was on 12 January;
- g-pop: an open pop-up on Wednesdays in lohja/sali (12 places), led by aino: no roster;
- g-hyb: a hybrid group on Thursdays in lohja/pieni (5 places, two leaders: three present), with three
  present participants: its room is full, its size limit (ten) is not.

Clients: `near` lives at Lohja and cannot take part remotely; `near-remote` lives at Lohja and can;
`far-remote` lives at Hanko (too far) and can take part remotely; `far` lives at Hanko and cannot.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine

from scheduler.storage.database import session_scope
from scheduler.storage.repository import import_problem
from tests.builders import HANKO, build, client, hub, leader, problem, room, template, window

TERM_START = date(2027, 1, 4)
TODAY = date(2027, 1, 20)
EVERY_DAY = [window(d, "08:00", "18:00") for d in ("mon", "tue", "wed", "thu", "fri")]
THEMES = ("nature", "wellbeing")


def _template(ident: str, kind: str, **more: Any) -> dict[str, Any]:
    model = template(ident, theme="nature", minutes=180, languages=("fi",), **more)
    model["kind"] = kind
    return model


def _group(ident: str, model: str, day: str, people: list[str], **more: Any) -> dict[str, Any]:
    group = {
        "id": ident,
        "template": model,
        "modality": "in_person",
        "hub": "lohja",
        "room": "lohja/sali",
        "language": "fi",
        "day": day,
        "start": "09:00",
        "end": "12:00",
        "leaders": ["aino", "mikko"],
        "participants": people,
        "pinned": True,
    }
    group.update(more)
    return group


def _people(prefix: str, count: int) -> list[dict[str, Any]]:
    return [client(f"{prefix}{i}", available=EVERY_DAY, interests=THEMES) for i in range(1, count + 1)]


def kinds_problem() -> dict[str, Any]:
    lohja = hub(
        "lohja",
        rooms=[
            room("lohja/sali", capacity=12, available=EVERY_DAY),
            room("lohja/pieni", capacity=5, available=EVERY_DAY),
        ],
    )
    members = {name: _people(f"{name}-", 3) for name in ("proc", "late", "short", "hyb")}
    people = [p for group in members.values() for p in group] + [
        client("near", available=EVERY_DAY, interests=THEMES, max_travel=60),
        client("near-remote", available=EVERY_DAY, interests=THEMES, max_travel=60, remote_ok=True),
        client("far-remote", at=HANKO, available=EVERY_DAY, interests=THEMES, max_travel=30, remote_ok=True),
        client("far", at=HANKO, available=EVERY_DAY, interests=THEMES, max_travel=30),
    ]
    ids = {name: [p["id"] for p in group] for name, group in members.items()}
    return problem(
        schema="tarjotin.problem/2",
        hubs=[lohja],
        staff=[
            leader("aino", available=EVERY_DAY),
            leader("mikko", available=EVERY_DAY),
            leader("sanna", available=EVERY_DAY),
        ],
        templates=[
            _template("process", "process"),
            _template("theme", "theme"),
            _template("popup", "popup"),
            _template("hybrid", "theme", modality="hybrid"),
        ],
        people=people,
        groups=[
            _group("g-proc", "process", "mon", ids["proc"]),
            _group(
                "g-late",
                "process",
                "mon",
                ids["late"],
                start="13:00",
                end="16:00",
                start_date="2027-02-01",
                sessions=10,
            ),
            _group("g-short", "theme", "tue", ids["short"], start_date="2027-01-05", sessions=2),
            _group("g-pop", "popup", "wed", [], leaders=["aino"]),
            _group("g-hyb", "hybrid", "thu", ids["hyb"], modality="hybrid", room="lohja/pieni"),
        ],
        term={"start": TERM_START.isoformat(), "weeks": 16},
    )


def load_kinds_data(engine: Engine) -> None:
    """Import the problem: its groups are running, as after a publish."""
    with session_scope(engine) as session:
        import_problem(session, build(kinds_problem()), actor="test")
