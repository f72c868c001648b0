"""A live application over a database holding a published scenario, and a token per role.

Requests go through httpx (FastAPI's TestClient is an httpx client over the ASGI app).

The scenario is planned once per test session (the solver is not what these tests are
about); each test gets its own database with that plan published (over SQLite, a copy of
one database published once per session).
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.app import create_app
from scheduler.contract import Plan, Problem, parse_problem
from scheduler.contract.service import OfferTerms
from scheduler.scenario import generate
from scheduler.services.planning.workflow import plan_run, publish_run
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import ClientRow
from scheduler.storage.repository import import_problem
from scheduler.storage.tokens import create_token
from solver import SolveParams, solve
from tests.conftest import migrated

SCENARIO_CLIENTS = 120


def shared_queue(problem: Problem) -> Problem:
    """The problem with every client in the team's shared queue (no responsible counsellor), service periods kept.

    The role tokens here belong to no counsellor, so they handle the shared queue: every client.
    Whose clients a counsellor handles has tests of its own (tests/api/test_counsellors.py)."""
    data = problem.dump()
    for client in data["clients"]:
        client.pop("counsellor", None)
    data["counsellors"] = []
    return parse_problem(data)


@pytest.fixture(scope="session")
def scenario() -> tuple[Problem, Plan]:
    """The built-in scenario (120 clients, in the shared queue) and a plan for it, made once."""
    problem = shared_queue(generate(SCENARIO_CLIENTS, 1))
    return problem, solve(problem, SolveParams(time_limit=4.0, workers=2))


@dataclass
class Service:
    """A running application over its own database, with a bearer header per role."""

    url: str
    client: httpx.Client
    headers: dict[str, dict[str, str]]
    problem: Problem
    plan: Plan

    def session(self) -> Session:
        return Session(make_engine(self.url), expire_on_commit=False)

    def as_(self, role: str) -> dict[str, str]:
        return self.headers[role]


def publish_scenario(url: str, problem: Problem, plan: Plan, at_once: bool = True) -> dict[str, dict[str, str]]:
    """Import and publish the scenario; a token per role (the staff token is the first leader's).

    `at_once`: the county accepts offers at once, so the plan's placements are seats (the tests of seats,
    reservations and the offering start from those); otherwise they are offers (tests/api/test_offers.py)."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        import_problem(session, problem.model_copy(update={"offers": OfferTerms(accept_at_once=at_once)}), actor="test")
    with session_scope(engine) as session:
        publish_run(session, plan_run(session, lambda _: plan, actor="test"), actor="test")
    headers = {}
    with session_scope(engine) as session:
        leader = plan.groups[0].leaders[0]
        for role in ("coordinator", "counsellor", "staff"):
            _, token = create_token(session, role, f"test {role}", staff_id=leader if role == "staff" else None)
            headers[role] = {"Authorization": f"Bearer {token}"}
    engine.dispose()
    headers["anonymous"] = {}
    return headers


def _serve(url: str, headers: dict[str, dict[str, str]], scenario: tuple[Problem, Plan]) -> Iterator[Service]:
    app = create_app(Settings(database_url=url))
    with TestClient(app, base_url="http://tarjotin.test") as client:
        yield Service(url, client, headers, *scenario)
    app.state.engine.dispose()


def _service(kind: str, tmp_path: Path, scenario: tuple[Problem, Plan]) -> Iterator[Service]:
    url = migrated(kind, tmp_path)
    yield from _serve(url, publish_scenario(url, *scenario), scenario)


@pytest.fixture(scope="session")
def published(
    tmp_path_factory: pytest.TempPathFactory, scenario: tuple[Problem, Plan]
) -> tuple[Path, dict[str, dict[str, str]]]:
    """A SQLite database holding the published scenario, and its bearer headers: made once, only ever copied."""
    folder = tmp_path_factory.mktemp("published")
    return folder / "tarjotin.db", publish_scenario(migrated("sqlite", folder), *scenario)


@pytest.fixture
def service(
    tmp_path: Path, scenario: tuple[Problem, Plan], published: tuple[Path, dict[str, dict[str, str]]]
) -> Iterator[Service]:
    """The application over SQLite: a database of its own, a copy of the published one."""
    path = tmp_path / "tarjotin.db"
    shutil.copyfile(published[0], path)
    yield from _serve(f"sqlite:///{path}", copy.deepcopy(published[1]), scenario)


@pytest.fixture
def pg_service(tmp_path: Path, scenario: tuple[Problem, Plan]) -> Iterator[Service]:
    """The application over PostgreSQL."""
    yield from _service("postgresql", tmp_path, scenario)


def fitting_clients(service: Service, group: dict[str, Any], count: int, prefix: str) -> list[str]:
    """New waiting clients whom the group suits in every way."""
    place = group["place"] or {"lat": 60.2, "lon": 24.6}
    ids = [f"{prefix}-{i}" for i in range(count)]
    with service.session() as session:
        for ident in ids:
            session.add(
                ClientRow(
                    id=ident,
                    languages=[group["language"]],
                    home_lat=place["lat"],
                    home_lon=place["lon"],
                    travel_mode="car",
                    max_travel_minutes=120,
                    available=[{"day": group["day"], "start": "00:00", "end": "23:59"}],
                    interests=[group["theme"]],
                    audiences=[group["audience"]],
                    needs_accessible=False,
                    remote_ok=True,
                    waiting_since=date(2026, 9, 1),
                    max_groups_per_week=1,
                )
            )
        session.commit()
    return ids
