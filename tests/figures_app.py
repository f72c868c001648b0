"""The application over the known county (tests/figures_data.py), on a fixed day, with a token per role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.app import create_app
from scheduler.services.clock import FixedClock
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.tokens import create_token
from tests.conftest import migrated
from tests.figures_data import build_county

TODAY = date(2027, 2, 17)
ROLE_TOKENS = {
    "coordinator": {},
    "counsellor": {"counsellor_id": "k1"},
    "other_counsellor": {"counsellor_id": "k2"},
    "leader": {"staff_id": "s1"},
    "other_leader": {"staff_id": "s3"},
}


@dataclass
class County:
    url: str
    client: TestClient
    tokens: dict[str, str]

    def as_(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who != "anonymous" else {}

    def session(self) -> Session:
        return Session(make_engine(self.url))


def tokens_for(url: str) -> dict[str, str]:
    engine = make_engine(url)
    tokens = {}
    with session_scope(engine) as session:
        for who, owner in ROLE_TOKENS.items():
            role = "staff" if "leader" in who else who.removeprefix("other_")
            tokens[who] = create_token(session, role, f"test {who}", actor="test", **owner)[1]
    engine.dispose()
    return tokens


def serve_county(kind: str, tmp_path: Path) -> Iterator[County]:
    url = migrated(kind, tmp_path)
    engine = make_engine(url)
    build_county(engine)
    engine.dispose()
    tokens = tokens_for(url)
    app = create_app(Settings(database_url=url), clock=FixedClock.on(TODAY))
    with TestClient(app, base_url="http://tarjotin.test") as client:
        yield County(url, client, tokens)
    app.state.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def county(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[County]:
    """The known county served on 17 February 2027, over each database."""
    yield from serve_county(request.param, tmp_path)
