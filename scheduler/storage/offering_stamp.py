"""The offering's version, moved in the same transaction as every write that changes what the offering shows.

What the offering shows comes from the groups, their models, hubs, rooms, leaders' names, closures, session
changes, seats, offers, trial visits, waiting lists, partners' activities, the planning frame and the
published versions (`WATCHED`). A session that writes any of them — through the ORM's unit of work or an ORM
bulk statement — is marked, and just before it commits, after its last flush, `offering_stamp.version` moves
by one in the same transaction. So a reader who reads the version first and then the data never keeps data
older than the version it files it under, and a commit that changed the offering (a seat booked) is never
followed by a read of the old version.

The version is moved last of all, in the commit itself: on PostgreSQL its row lock is held only while the
transaction commits, after every other lock the transaction takes, so two writers cannot wait on each other
through it. A rolled-back savepoint may leave the mark: the version then moves with nothing changed, which
only costs a rebuild. Writes outside a Session (raw SQL on a connection) are not seen.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, event, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from scheduler.storage.models import (
    Closure,
    EnrollmentRow,
    GroupModelRow,
    GroupRow,
    HubRow,
    OfferingStamp,
    OfferingVersion,
    OfferRow,
    PartnerActivity,
    PlanningSettings,
    RoomRow,
    SessionChange,
    StaffRow,
    TrialVisit,
    WaitlistEntry,
)

__all__ = ["WATCHED", "offering_version"]

WATCHED: tuple[type[Any], ...] = (
    Closure,
    EnrollmentRow,
    GroupModelRow,
    GroupRow,
    HubRow,
    OfferRow,
    OfferingVersion,
    PartnerActivity,
    PlanningSettings,
    RoomRow,
    SessionChange,
    StaffRow,
    TrialVisit,
    WaitlistEntry,
)
"""The tables whose rows the offering (its groups, free seats, sessions, waiting counts, partners) shows."""
_TABLES = frozenset(model.__table__.name for model in WATCHED)
MARK = "tarjotin.offering_changed"
VERSION = select(OfferingStamp.version).where(OfferingStamp.id == 1)


def offering_version(db: Session | Connection) -> int:
    """The offering's version now (0 before the schema has its stamp row)."""
    return int(db.execute(VERSION).scalar() or 0)


def _watched(instances: Any) -> bool:
    return any(isinstance(obj, WATCHED) for obj in instances)


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: UOWTransaction) -> None:
    """Mark the session when the flush wrote a watched row (the lists still hold what the flush wrote)."""
    if (
        _watched(session.new)
        or _watched(session.deleted)
        or any(
            isinstance(obj, WATCHED) and session.is_modified(obj, include_collections=False) for obj in session.dirty
        )
    ):
        session.info[MARK] = True


@event.listens_for(Session, "do_orm_execute")
def _bulk(state: ORMExecuteState) -> None:
    """Mark the session for an ORM insert, update or delete statement on a watched table."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and getattr(table, "name", None) in _TABLES:
        state.session.info[MARK] = True


@event.listens_for(Session, "before_commit")
def _stamp(session: Session) -> None:
    """Move the version, last, in the committing transaction of a marked session."""
    if session.info.get(MARK) is None and not session.new and not session.dirty and not session.deleted:
        return
    session.flush()  # the commit's own flush, made now so that what it writes is marked too
    if session.info.pop(MARK, False):
        _move(session)


def _move(session: Session) -> None:
    """version + 1; the row made (at 2, past the 0 read without it) if a restore or a test emptied the table."""
    moved = update(OfferingStamp).where(OfferingStamp.id == 1)
    now = datetime.now(UTC)
    if session.execute(moved.values(version=OfferingStamp.version + 1, changed_at=now)).rowcount:  # type: ignore[attr-defined]
        return
    try:
        with session.begin_nested():
            session.execute(insert(OfferingStamp).values(id=1, version=2, changed_at=now))
    except IntegrityError:  # another transaction made it meanwhile: move theirs
        session.execute(moved.values(version=OfferingStamp.version + 1, changed_at=now))


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    """A transaction rolled back changed nothing."""
    session.info.pop(MARK, None)
