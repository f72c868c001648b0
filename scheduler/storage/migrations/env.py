"""Alembic environment: the URL comes from the config built in scheduler.storage.database.

`scheduler.storage.database.upgrade` hands over the connection it holds the migration lock on
(`config.attributes["connection"]`, Alembic's cookbook "Sharing a Connection") and a list that
collects the revisions applied (`config.attributes["applied"]`); a config without a connection
(Alembic's own commands, some tests) gets an engine of its own.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection, create_engine

from scheduler.storage.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")


def _record(applied: list[str] | None) -> Any:
    def on_version_apply(*, step: Any, **_: Any) -> None:
        if applied is not None and step.is_upgrade:
            applied.append(str(step.up_revision_id))

    return on_version_apply


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        on_version_apply=_record(config.attributes.get("applied")),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    shared: Connection | None = config.attributes.get("connection")
    if shared is not None:
        run_migrations(shared)
        return
    if url is None:
        raise RuntimeError("the Alembic config names no sqlalchemy.url; build it with alembic_config(url)")
    engine = create_engine(url)
    with engine.connect() as connection:
        run_migrations(connection)
        connection.commit()
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
