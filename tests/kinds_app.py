"""The service over the group-kinds offering (`tests.kinds_data`) on a date of the test's choosing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from scheduler.services.clock import FixedClock
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.tokens import create_token
from tests.conftest import migrated
from tests.kinds_data import load_kinds_data

PUBLIC = "https://tarjotin.example"


def kinds_database(kind: str, tmp_path: Path) -> tuple[str, str]:
    """A database of the kind holding the kinds offering, and a coordinator's token."""
    url = migrated(kind, tmp_path)
    engine = make_engine(url)
    try:
        load_kinds_data(engine)
        with session_scope(engine) as session:
            _, token = create_token(session, "coordinator", "test coordinator")
    finally:
        engine.dispose()
    return url, token


@contextmanager
def kinds_client(url: str, on: date) -> Iterator[TestClient]:
    """The application over the database, today being `on`."""
    app = create_app(Settings(database_url=url, public_url=PUBLIC), clock=FixedClock.on(on))
    try:
        with TestClient(app, base_url="http://tarjotin.test") as client:
            yield client
    finally:
        app.state.engine.dispose()
