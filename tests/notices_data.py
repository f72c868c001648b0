"""The feed tests' small offering with counsellors, e-mail addresses, languages and aliases: notices' data.

Group g-mon meets on Mondays 09:00-12:00 in Lohja, led by aino (English mail) and mikko (Finnish);
its clients asiakas-01 and -02 are Anna's (Finnish mail), asiakas-03 is Björn's (Swedish mail).
g-wed's asiakas-04 is Emma's, who has no address; sanna has none either. The rest are in the queue.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from scheduler.storage.database import session_scope
from scheduler.storage.models import ClientRow, StaffRow
from scheduler.storage.repository import import_problem
from tests.builders import build
from tests.feeds_data import TERM_START, feed_problem

__all__ = [
    "ALIASES",
    "HELSINKI",
    "MONDAY",
    "OWNERS",
    "at",
    "load_notice_data",
]

HELSINKI = ZoneInfo("Europe/Helsinki")
MONDAY = date(2027, 1, 11)
"""g-mon's second session (09:00 in Helsinki)."""
OWNERS = {"asiakas-01": "c-anna", "asiakas-02": "c-anna", "asiakas-03": "c-bjorn", "asiakas-04": "c-emma"}
ALIASES = {"asiakas-01": "Matti Virtanen", "asiakas-02": "Liisa Korhonen", "asiakas-03": "Sven Holm"}
COUNSELLORS = [
    {"id": "c-anna", "name": "Anna Neuvoja", "email": "anna@county.example", "lang": "fi"},
    {"id": "c-bjorn", "name": "Björn Rådgivare", "email": "bjorn@county.example", "lang": "sv"},
    {"id": "c-emma", "name": "Emma Ohjaaja"},
]
STAFF_MAIL = {"aino": ("aino@county.example", "en"), "mikko": ("mikko@county.example", "fi")}


def at(day: date, clock: str) -> datetime:
    """A moment on the wall clock in Helsinki."""
    return datetime.combine(day, time.fromisoformat(clock), HELSINKI)


def load_notice_data(engine: Engine) -> None:
    """Import the feed problem with the counsellors above; give the staff their addresses and the clients aliases."""
    data = feed_problem()
    data["counsellors"] = COUNSELLORS
    for person in data["clients"]:
        if person["id"] in OWNERS:
            person["counsellor"] = OWNERS[person["id"]]
    with session_scope(engine) as session:
        import_problem(session, build(data), actor="test")
    with session_scope(engine) as session:
        for staff_id, (email, lang) in STAFF_MAIL.items():
            member = session.get(StaffRow, staff_id)
            assert member is not None
            member.email, member.lang = email, lang
        for client_id, alias in ALIASES.items():
            client = session.get(ClientRow, client_id)
            assert client is not None
            client.alias = alias
    assert TERM_START < MONDAY
