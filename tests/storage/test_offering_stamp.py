"""The offering's version moves with every committed write the offering shows, in that write's transaction,
and with nothing else; concurrent writers on PostgreSQL neither deadlock nor lose a move."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from scheduler.scenario import generate
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import (
    ClientRow,
    Closure,
    HubRow,
    OfferingStamp,
    StaffRow,
)
from scheduler.storage.offering_stamp import offering_version
from scheduler.storage.repository import import_problem


def _version(engine: Engine) -> int:
    with Session(engine) as session:
        return offering_version(session)


def _loaded(engine: Engine) -> int:
    with session_scope(engine) as session:
        import_problem(session, generate(30, 1), actor="test")
    return _version(engine)


def test_a_write_the_offering_shows_moves_the_version_once_per_commit(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        start = _loaded(engine)
        assert start >= 2, "the import changed what the offering shows"
        with session_scope(engine) as session:  # a unit-of-work change: a leader's name, a closure
            member = session.scalars(select(StaffRow).order_by(StaffRow.id)).first()
            assert member is not None
            member.name = "Uusi Nimi"
            session.add(Closure(day=date(2027, 3, 3)))
            session.flush()
            hub = session.scalars(select(HubRow).order_by(HubRow.id)).first()
            assert hub is not None
            hub.address = "Uusi katu 1"
        assert _version(engine) == start + 1, "one commit, one move, however many flushes"
        with session_scope(engine) as session:  # a bulk statement
            session.execute(update(StaffRow).values(max_weekly_minutes=600))
        assert _version(engine) == start + 2
        with session_scope(engine) as session:  # what the offering does not show: clients, nothing at all
            client = session.scalars(select(ClientRow).order_by(ClientRow.id)).first()
            assert client is not None
            client.max_travel_minutes = 59
        with session_scope(engine) as session:
            member = session.scalars(select(StaffRow).order_by(StaffRow.id)).first()
            assert member is not None
            member.name = "Uusi Nimi"  # the same value: not a change
        assert _version(engine) == start + 2
        try:
            with session_scope(engine) as session:
                session.add(Closure(day=date(2027, 3, 4)))
                session.flush()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        assert _version(engine) == start + 2, "a rolled-back write moves nothing"
        with session_scope(engine) as session:
            session.execute(delete(OfferingStamp))  # a restore without the row: the next write makes it again
        with session_scope(engine) as session:
            session.add(Closure(day=date(2027, 3, 5)))
        assert _version(engine) == 2
    finally:
        engine.dispose()


def test_concurrent_writers_each_move_the_version_without_waiting_on_each_other(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        start = _loaded(engine)
        with Session(engine) as session:
            staff = list(session.scalars(select(StaffRow.id).order_by(StaffRow.id)))[:6]
        errors: list[BaseException] = []

        def write(staff_id: str) -> None:
            try:
                for n in range(5):
                    with session_scope(engine) as session:
                        member = session.get(StaffRow, staff_id)
                        assert member is not None
                        member.max_weekly_minutes = 300 + n
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=write, args=(s,)) for s in staff]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors and not any(t.is_alive() for t in threads)
        assert _version(engine) == start + 5 * len(staff)
    finally:
        engine.dispose()
