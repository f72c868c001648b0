"""The locks a seat change takes: the clients' rows, then the groups' rows, each in id order.

Whoever makes, moves or ends a seat takes these locks before reading what the seat
rules read (seats taken, the client's other seats), so two seat changes that touch the
same client or the same group take turns, and the second one counts what the first one
wrote. The order is fixed (clients before groups, each by id) so that two changes never
wait for each other in a circle.

PostgreSQL: `SELECT ... ORDER BY id FOR NO KEY UPDATE` row locks. They block other seat
changes and updates of those rows, but not inserts that merely refer to them (a
waiting-list place, a travel time), which take only a key-share lock.
SQLite: an update that changes nothing takes the database's write lock, which
serialises every writer; the reads after it see the last commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from scheduler.storage.models import ClientRow, GroupRow

__all__ = ["lock_seat_holders"]


def lock_seat_holders(session: Session, clients: Iterable[str], groups: Iterable[str]) -> None:
    """Lock the named clients, then the named groups, until the transaction ends (rows not there are skipped)."""
    client_ids, group_ids = sorted(set(clients)), sorted(set(groups))
    if session.get_bind().dialect.name == "sqlite":
        # one write is enough: SQLite's write lock covers the whole database
        statement = update(GroupRow).where(GroupRow.id.in_(group_ids)).values(status=GroupRow.status)
        session.execute(statement.execution_options(synchronize_session=False))
        return
    for table, ids in ((ClientRow, client_ids), (GroupRow, group_ids)):
        if ids:
            session.execute(
                select(table.id).where(table.id.in_(ids)).order_by(table.id).with_for_update(key_share=True)
            )
