"""Capacity by municipality × language in the county week."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from scheduler.services.week import load_capacity
from scheduler.storage.database import session_scope
from scheduler.storage.models import ClientRow
from tests.services.week.conftest import KARJAA

TODAY = date(2027, 1, 12)


def figures(engine: Engine) -> dict[tuple[str | None, str], tuple[int, int, int, int]]:
    with session_scope(engine) as session:
        table = load_capacity(session, TODAY)
    assert table.languages == ["fi", "sv"], "the languages groups run in, not every language spoken"
    return {
        (m, lang): (c.demand, c.seats, c.free, c.shortfall)
        for m in table.municipalities
        for lang in table.languages
        if (c := table.cell(m, lang)).demand or c.seats
    }


def test_demand_is_waiting_clients_by_their_nearest_hubs_municipality(week_engine: Engine) -> None:
    assert figures(week_engine) == {
        ("Lohja", "fi"): (1, 10, 4, 0),
        ("Raasepori", "fi"): (1, 0, 0, 1),
        ("Raasepori", "sv"): (2, 4, 2, 0),
        (None, "fi"): (0, 4, 3, 0),
    }


def test_a_client_out_of_service_no_longer_waits(week_engine: Engine) -> None:
    with session_scope(week_engine) as session:
        session.get(ClientRow, "w03").in_service = False
        session.add(
            ClientRow(
                id="w05",
                languages=["sv"],
                home_lat=KARJAA[0],
                home_lon=KARJAA[1],
                travel_mode="car",
                max_travel_minutes=30,
                available=[],
                interests=["art"],
                audiences=[],
                waiting_since=date(2026, 12, 1),
            )
        )
        session.add(
            ClientRow(
                id="w06",
                languages=["sv"],
                home_lat=KARJAA[0],
                home_lon=KARJAA[1],
                travel_mode="car",
                max_travel_minutes=30,
                available=[],
                interests=["art"],
                audiences=[],
                waiting_since=date(2026, 12, 1),
            )
        )
    assert figures(week_engine)[("Raasepori", "sv")] == (3, 4, 2, 1), "three wait for two free seats"
