"""A small county week with known figures, on SQLite and PostgreSQL.

Three hubs: Lohja, Nummela (Vihti) and Karjaa (Raasepori), with a known drive of 35
minutes Lohja–Karjaa (a travel override). Aino leads a Finnish nature group in Lohja
on Tuesday morning and, alone, a Swedish art group in Karjaa that afternoon; Mikko
leads the nature group with her and a remote digital group on Wednesday. Nine clients
hold seats; four wait.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.repository import import_problem
from tests.builders import LOHJA, NUMMELA, build, client, hub, leader, problem, room, template, window

KARJAA = (60.071, 23.662)
NATURE_FI, ART_SV, DIGITAL = "g-lohja-nature-fi", "g-karjaa-art-sv", "g-remote-digital"
WEEK = [window(d, "08:00", "17:00") for d in ("mon", "tue", "wed", "thu", "fri")]


def county() -> dict:
    hubs = [
        hub("lohja", LOHJA, [room("lohja/room", 12, available=WEEK)]),
        hub("nummela", NUMMELA, [room("nummela/room", 10, available=WEEK)], municipality="Vihti"),
        hub("karjaa", KARJAA, [room("karjaa/room", 6, available=WEEK)], municipality="Raasepori"),
    ]
    staff = [
        {**leader("aino", languages=("fi", "sv"), available=WEEK, weekly=240), "name": "Aino Virtanen"},
        {**leader("mikko", base="nummela", available=WEEK), "name": "Mikko Laine"},
    ]
    templates = [
        template("nature", minutes=180),
        template("art", "art", minutes=120, max_size=6),
        template("digital", "digital", minutes=120, modality="remote", languages=("fi",)),
    ]
    seated = [client(f"c{i:02d}") for i in range(1, 10)]
    waiting = [
        client("w01"),
        client("w02", ("fi", "sv"), KARJAA),
        client("w03", ("sv",), KARJAA),
        client("w04", ("en",), NUMMELA),
    ]
    groups = [
        _group(NATURE_FI, "nature", "lohja", "fi", "tue", "09:00", "12:00", ["aino", "mikko"], 1, 6),
        _group(ART_SV, "art", "karjaa", "sv", "tue", "13:00", "15:00", ["aino"], 7, 8),
        _group(DIGITAL, "digital", None, "fi", "wed", "10:00", "12:00", ["mikko"], 9, 9),
    ]
    return problem(hubs, staff, templates, seated + waiting, groups, travel={"hub_minutes": {"lohja": {"karjaa": 35}}})


def _group(
    gid: str,
    model: str,
    at: str | None,
    lang: str,
    day: str,
    start: str,
    end: str,
    leaders: list[str],
    first: int,
    last: int,
) -> dict:
    return {
        "id": gid,
        "template": model,
        "modality": "remote" if at is None else "in_person",
        "hub": at,
        "room": f"{at}/room" if at else None,
        "language": lang,
        "day": day,
        "start": start,
        "end": end,
        "leaders": leaders,
        "participants": [f"c{i:02d}" for i in range(first, last + 1)],
        "pinned": True,
    }


@pytest.fixture
def week_engine(database_url: str) -> Iterator[Engine]:
    """A database holding the county week, its groups running."""
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        import_problem(session, build(county()), actor="test")
    yield engine
    engine.dispose()
