"""Every row of every table as text: what a search for a person's traces goes through."""

from __future__ import annotations

import json

from sqlalchemy import Engine, select

from scheduler.storage.models import Base

__all__ = ["every_row"]


def every_row(engine: Engine) -> str:
    """One line per row of every table the models know, its columns as JSON (floats as Python writes them)."""
    lines = []
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                lines.append(f"{table.name}: {json.dumps(dict(row._mapping), default=str, ensure_ascii=False)}")
    return "\n".join(lines)
