"""A small published offering with every kind of group the offering shows, for the offering, feed and page tests.

Season: Monday 4 January 2027, 16 weeks (to Sunday 25 April); the county closes on Wednesday
10 February; Easter Monday is 29 March. The groups:

- `g-roll`: a rolling theme group over the whole season (Mondays), two waiting for it;
- `g-full`: a full rolling group (Fridays, a small room), three waiting for it;
- `g-popup`: a pop-up (Tuesdays, one leader in a room of 12): just come, at most 8 (the model's size);
- `g-process`: a closed process group with its own term: from Wednesday 3 February, four weeks, the
  closure skipping 10 February, so its sessions are 3, 17 and 24 February; it closes after its third
  week (17 February: the closed week counts, as the checker, the solver and the seats read it);
- `g-hybrid`: a hybrid group (Thursdays in Nummela, two leaders in a room of 5), one of its three
  joining from home: 7 free seats, of them 1 in the room.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine

from scheduler.storage.database import session_scope
from scheduler.storage.models import WaitlistEntry
from scheduler.storage.repository import import_problem
from tests.builders import build, client, hub, leader, problem, room, template, window

TERM_START = date(2027, 1, 4)
WEEKS = 16
SEASON_END = date(2027, 4, 25)
CLOSURE = date(2027, 2, 10)
EASTER_MONDAY = date(2027, 3, 29)
PROCESS_SESSIONS = [date(2027, 2, 3), date(2027, 2, 17), date(2027, 2, 24)]
PROCESS_CLOSES_ON = date(2027, 2, 17)
POPUP_REACH = 7
EVERY_DAY = [window(d, "08:00", "20:00") for d in ("mon", "tue", "wed", "thu", "fri")]
WAITING = {"g-roll": 2, "g-full": 3}


def _group(ident: str, model: str, day: str, start: str, end: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "template": model,
        "modality": "in_person",
        "hub": "lohja",
        "room": "lohja/sali",
        "language": "fi",
        "day": day,
        "start": start,
        "end": end,
        "leaders": ["aino", "mikko"],
        "participants": [],
        "pinned": True,
        **fields,
    }


def _model(ident: str, names: tuple[str, str, str], **fields: Any) -> dict[str, Any]:
    model = template(ident)
    model["name"] = dict(zip(("fi", "sv", "en"), names, strict=True))
    return {**model, **fields}


def kinds_problem() -> dict[str, Any]:
    """The problem (schema tarjotin.problem/2) with the five groups."""
    lohja = hub(
        "lohja",
        rooms=[room("lohja/sali", 12, available=EVERY_DAY), room("lohja/pieni", 6, available=EVERY_DAY)],
    )
    nummela = hub(
        "nummela", at=(60.3326, 24.3254), rooms=[room("nummela/sali", 5, available=EVERY_DAY)], municipality="Vihti"
    )
    models = [
        _model("nature", ("Luontoryhmä", "Naturgrupp", "Nature group")),
        _model("popup", ("Avoin kahvila", "Öppet kafé", "Open café"), kind="popup", max_size=8, min_size=3),
        _model(
            "process", ("Prosessiryhmä", "Processgrupp", "Process group"), kind="process", closes_after=3, sessions=4
        ),
        _model("hybrid", ("Hybridiryhmä", "Hybridgrupp", "Hybrid group"), modality="hybrid"),
    ]
    people = [client(f"asiakas-{i:02d}", available=EVERY_DAY, remote_ok=True) for i in range(1, 21)]
    ids = [p["id"] for p in people]
    groups = [
        _group("g-roll", "nature", "mon", "09:00", "12:00", participants=ids[0:3]),
        _group(
            "g-full", "nature", "fri", "10:00", "13:00", room="lohja/pieni", leaders=["sanna"], participants=ids[3:7]
        ),
        _group("g-popup", "popup", "tue", "15:00", "18:00", leaders=["sanna"], reach=POPUP_REACH),
        _group(
            "g-process",
            "process",
            "wed",
            "13:00",
            "16:00",
            participants=ids[7:10],
            start_date="2027-02-03",
            sessions=4,
        ),
        _group(
            "g-hybrid",
            "hybrid",
            "thu",
            "12:00",
            "14:00",
            modality="hybrid",
            hub="nummela",
            room="nummela/sali",
            leaders=["mikko", "sanna"],
            participants=ids[10:13],
            remote_participants=[ids[12]],
        ),
    ]
    return problem(
        schema="tarjotin.problem/2",
        hubs=[lohja, nummela],
        staff=[leader(s, available=EVERY_DAY) for s in ("aino", "mikko", "sanna")],
        templates=models,
        people=people,
        groups=groups,
        term={"start": TERM_START.isoformat(), "weeks": WEEKS},
        closures=[CLOSURE.isoformat()],
    )


def waiting_clients() -> dict[str, list[str]]:
    """Who waits for which group (clients in no group); the tests only ever see the counts."""
    return {"g-roll": ["asiakas-14", "asiakas-15"], "g-full": ["asiakas-16", "asiakas-17", "asiakas-18"]}


def load_kinds_data(engine: Engine) -> None:
    """Import the problem (its groups running, as after a publish) and fill the waiting lists; one entry that
    was already offered a seat (status `offered`) does not count."""
    with session_scope(engine) as session:
        import_problem(session, build(kinds_problem()), actor="test")
        session.flush()
        for group_id, clients in waiting_clients().items():
            session.add_all(WaitlistEntry(group_id=group_id, client_id=c) for c in clients)
        session.add(WaitlistEntry(group_id="g-full", client_id="asiakas-19", status="offered"))
