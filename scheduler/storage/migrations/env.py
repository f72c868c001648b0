"""Alembic environment: the URL comes from the config built in scheduler.storage.database."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from scheduler.storage.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")


def run_migrations_online() -> None:
    if url is None:
        raise RuntimeError("the Alembic config names no sqlalchemy.url; build it with alembic_config(url)")
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
