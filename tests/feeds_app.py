"""The service over the small Epiphany-and-Easter offering (`tests.feeds_data`), with a coordinator's token."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from scheduler.services.clock import FixedClock
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.tokens import create_token
from tests.conftest import migrated
from tests.feeds_data import load_feed_data

PUBLIC = "https://tarjotin.example"
ON = date(2027, 1, 1)


@dataclass
class FeedService:
    client: TestClient
    engine: Engine
    coordinator: dict[str, str]
    url: str


def feed_service(kind: str, tmp_path: Path) -> Iterator[FeedService]:
    """The application over a database holding the feed offering; today is 1 January 2027."""
    url = migrated(kind, tmp_path)
    engine = make_engine(url)
    load_feed_data(engine)
    with session_scope(engine) as session:
        _, token = create_token(session, "coordinator", "test coordinator")
    app = create_app(Settings(database_url=url, public_url=PUBLIC), clock=FixedClock.on(ON))
    with TestClient(app, base_url="http://tarjotin.test") as client:
        yield FeedService(client, engine, {"Authorization": f"Bearer {token}"}, url)
    app.state.engine.dispose()
    engine.dispose()
