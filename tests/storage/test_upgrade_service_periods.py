"""A database made before service periods (schema 0005) upgrades and keeps every group, seat, run and token.

The database is filled at 0005 the way that release wrote it (plain rows: the release's models had
none of the new columns), then upgraded to the head. Every row is still there, the new client
fields read as "no decision on record", and the county plans as before.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope, upgrade
from scheduler.storage.models import ApiToken, ClientRow, EnrollmentRow, GroupRow, OfferRow, PlanningRun
from scheduler.storage.repository import export_problem
from tests.conftest import fresh_postgres
from tests.paths import ROOT

TINY = json.loads((ROOT / "tests" / "data" / "tiny-problem.json").read_text())


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'tarjotin.db'}" if request.param == "sqlite" else fresh_postgres()


def _fill_at_0005(url: str) -> None:
    """What the 0005 release stored for the tiny county: its records, a running group with three seats,
    a published run and a counsellor token."""
    engine = make_engine(url)
    hub = TINY["hubs"][0]
    room = hub["rooms"][0]
    staff = TINY["staff"][0]
    template = TINY["templates"][0]
    clients = TINY["clients"][:3]
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO planning_settings (id, region, timezone, term_start, term_weeks, slot_minutes, policy)"
                " VALUES (1, 'tiny', 'Europe/Helsinki', :start, :weeks, 30, NULL)"
            ),
            {"start": date.fromisoformat(TINY["term"]["start"]), "weeks": TINY["term"]["weeks"]},
        )
        db.execute(
            text("INSERT INTO hubs (id, name, municipality, lat, lon) VALUES (:id, :name, :m, :lat, :lon)"),
            {"id": hub["id"], "name": hub["name"], "m": hub["municipality"], "lat": hub["lat"], "lon": hub["lon"]},
        )
        db.execute(
            text(
                "INSERT INTO rooms (id, hub_id, capacity, accessible, available) VALUES (:id, :hub, :cap, :acc, :avail)"
            ),
            {
                "id": room["id"],
                "hub": hub["id"],
                "cap": room["capacity"],
                "acc": room.get("accessible", False),
                "avail": json.dumps(room["available"]),
            },
        )
        db.execute(
            text(
                "INSERT INTO staff (id, qualified, languages, skills, base_hub, available, max_weekly_minutes)"
                " VALUES (:id, :q, :langs, '[]', :hub, :avail, :most)"
            ),
            {
                "id": staff["id"],
                "q": staff["qualified"],
                "langs": json.dumps(staff["languages"]),
                "hub": hub["id"],
                "avail": json.dumps(staff["available"]),
                "most": staff["max_weekly_minutes"],
            },
        )
        db.execute(
            text(
                "INSERT INTO group_models (id, name, kind, theme, audience, modality, duration_minutes, min_size,"
                " max_size, languages, required_skills) VALUES (:id, :name, :kind, :theme, :aud, :mod, :dur, 3, 8,"
                " :langs, '[]')"
            ),
            {
                "id": template["id"],
                "name": json.dumps(template["name"]),
                "kind": template["kind"],
                "theme": template["theme"],
                "aud": template["audience"],
                "mod": template["modality"],
                "dur": template["duration_minutes"],
                "langs": json.dumps(template["languages"]),
            },
        )
        for client in clients:
            db.execute(
                text(
                    "INSERT INTO clients (id, languages, home_lat, home_lon, travel_mode, max_travel_minutes,"
                    " available, interests, audiences, needs_accessible, remote_ok, waiting_since,"
                    " max_groups_per_week, in_service) VALUES (:id, :langs, :lat, :lon, :mode, :most, :avail,"
                    " :interests, '[]', false, false, :since, 1, true)"
                ),
                {
                    "id": client["id"],
                    "langs": json.dumps(client["languages"]),
                    "lat": client["home"]["lat"],
                    "lon": client["home"]["lon"],
                    "mode": client["travel_mode"],
                    "most": client["max_travel_minutes"],
                    "avail": json.dumps(client["available"]),
                    "interests": json.dumps(client["interests"]),
                    "since": date.fromisoformat(client["waiting_since"]),
                },
            )
        db.execute(
            text(
                'INSERT INTO groups (id, template_id, modality, hub_id, room_id, language, day, start, "end",'
                " leaders, pinned, status, sequence) VALUES ('g-1', :t, 'in_person', :hub, :room, 'fi', 'tue',"
                " '10:00', :end, :leaders, true, 'running', 0)"
            ),
            {
                "t": template["id"],
                "hub": hub["id"],
                "room": room["id"],
                "end": f"{10 + template['duration_minutes'] // 60:02d}:{template['duration_minutes'] % 60:02d}",
                "leaders": json.dumps([staff["id"]]),
            },
        )
        for client in clients:
            db.execute(
                text(
                    "INSERT INTO enrollments (client_id, group_id, from_date, status)"
                    " VALUES (:c, 'g-1', :start, 'active')"
                ),
                {"c": client["id"], "start": date.fromisoformat(TINY["term"]["start"])},
            )
        db.execute(
            text(
                "INSERT INTO planning_runs (created_at, status, based_on_version, problem)"
                " VALUES (CURRENT_TIMESTAMP, 'published', 0, :problem)"
            ),
            {"problem": json.dumps(TINY)},
        )
        db.execute(
            text(
                "INSERT INTO api_tokens (name, role, token_hash, created_at)"
                " VALUES ('Anna', 'counsellor', :hash, CURRENT_TIMESTAMP)"
            ),
            {"hash": "a" * 64},
        )
    engine.dispose()


def test_a_0005_database_upgrades_and_keeps_its_groups_seats_runs_and_tokens(url: str) -> None:
    upgrade(Settings(database_url=url), "0005")
    _fill_at_0005(url)
    upgrade(Settings(database_url=url))
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            assert session.scalars(select(GroupRow.id)).all() == ["g-1"]
            seats = session.scalars(select(EnrollmentRow).where(EnrollmentRow.status == "active")).all()
            assert sorted(s.client_id for s in seats) == sorted(c["id"] for c in TINY["clients"][:3])
            assert all(s.to_date is None for s in seats)
            assert session.scalar(select(func.count()).select_from(PlanningRun)) == 1
            token = session.scalars(select(ApiToken)).one()
            assert token.role == "counsellor" and token.counsellor_id is None
            client = session.get(ClientRow, TINY["clients"][0]["id"])
            assert client is not None
            assert (client.decisions, client.evaluations, client.declined) == ([], [], [])
            assert client.case_opened is None and client.counsellor_id is None and client.alias is None
            assert session.scalar(select(func.count()).select_from(OfferRow)) == 0
            problem = export_problem(session)
            assert [g.participants for g in problem.groups] == [sorted(c["id"] for c in TINY["clients"][:3])]
            assert all(not c.decisions and c.counsellor is None for c in problem.clients)
            assert problem.offers.reply_days == 7 and not problem.offers.accept_at_once
    finally:
        engine.dispose()
