"""The storage tests run against SQLite and PostgreSQL alike (`database_url` in tests/conftest.py)."""

from tests.engine_fixture import engine

__all__ = ["engine"]
