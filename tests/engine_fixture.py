"""An engine on an empty database of each kind (`database_url` in tests/conftest.py), for tests that keep data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from scheduler.storage.database import make_engine


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()
