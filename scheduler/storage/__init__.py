"""Persistence: SQLAlchemy 2 tables, Alembic migrations, and mapping to and from the contract."""

# The offering stamp's session events are registered on import: every Session of the process moves the
# offering's version when it commits a change the offering shows.
from scheduler.storage import offering_stamp as offering_stamp  # noqa: E402
