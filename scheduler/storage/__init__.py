"""Persistence: SQLAlchemy 2 tables, Alembic migrations, and mapping to and from the contract."""
