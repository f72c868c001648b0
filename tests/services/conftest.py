"""The service tests that keep data run against SQLite and PostgreSQL alike, as the storage tests do."""

from tests.engine_fixture import engine

__all__ = ["engine"]
