"""A group's term sessions with their status, and the changes that make them: one session cancelled,
moved or led by a substitute, a group cancelled; each raises the group's sequence."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from scheduler.services.session_changes import (
    ChangeError,
    cancel_group,
    cancel_session,
    change_session,
    restore_session,
)
from scheduler.services.term_sessions import group_sessions
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope, upgrade
from scheduler.storage.models import EnrollmentRow, GroupRow, OfferRow
from scheduler.storage.repository import held_seats
from tests.conftest import fresh_postgres
from tests.feeds_data import CLOSURE, EASTER_MONDAY, EPIPHANY, TERM_START, WEEKS, load_feed_data


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    load_feed_data(engine)
    return engine


def test_holidays_and_closures_are_cancelled_with_their_reason(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        wednesday = group_sessions(session, "g-wed")
        monday = group_sessions(session, "g-mon")
    assert len(wednesday) == WEEKS and wednesday[0].planned == date(2027, 1, 6)
    by_day = {s.planned: s for s in wednesday}
    assert by_day[EPIPHANY].status == "cancelled" and by_day[EPIPHANY].cause == "holiday"
    assert by_day[EPIPHANY].reason == "Loppiainen"
    assert by_day[CLOSURE].cause == "closure"
    assert {s.planned for s in monday if not s.held} == {EASTER_MONDAY}
    assert all(s.status == "held" for s in monday if s.planned != EASTER_MONDAY)


def test_one_session_cancelled_moved_and_substituted(loaded: Engine) -> None:
    first, second, third = (TERM_START + timedelta(weeks=w) for w in (1, 2, 3))
    with session_scope(loaded) as session:
        before = session.get(GroupRow, "g-mon").sequence
        cancel_session(session, "g-mon", first, "ohjaaja sairastui", actor="test")
        change_session(
            session, "g-mon", second, {"start": "10:00", "end": "13:00", "room_id": "lohja/pieni"}, actor="test"
        )
        change_session(session, "g-mon", third, {"leaders": ["sanna", "mikko"]}, actor="test")
    with session_scope(loaded) as session:
        sessions = {s.planned: s for s in group_sessions(session, "g-mon")}
        after = session.get(GroupRow, "g-mon").sequence
    assert sessions[first].status == "cancelled" and sessions[first].reason == "ohjaaja sairastui"
    assert sessions[first].cause == "session"
    assert sessions[second].status == "moved" and sessions[second].start == "10:00"
    assert sessions[second].room_id == "lohja/pieni" and sessions[second].changed_at is not None
    assert sessions[third].status == "substitute" and sessions[third].leaders == ("sanna", "mikko")
    assert after == before + 3
    with session_scope(loaded) as session:
        restore_session(session, "g-mon", first, actor="test")
    with session_scope(loaded) as session:
        assert {s.planned: s for s in group_sessions(session, "g-mon")}[first].status == "held"


def test_a_change_on_a_date_without_a_session_names_the_field(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        with pytest.raises(ChangeError) as wrong_day:
            cancel_session(session, "g-mon", date(2027, 1, 5), None, actor="test")
        with pytest.raises(ChangeError) as holiday:
            cancel_session(session, "g-mon", EASTER_MONDAY, None, actor="test")
        with pytest.raises(ChangeError) as room:
            change_session(session, "g-mon", TERM_START, {"hub_id": "nummela"}, actor="test")
        with pytest.raises(ChangeError) as times:
            change_session(session, "g-mon", TERM_START, {"start": "13:00"}, actor="test")
    assert (wrong_day.value.field, holiday.value.field, room.value.field, times.value.field) == (
        "day",
        "day",
        "room_id",
        "end",
    )
    assert "Toinen pääsiäispäivä" in holiday.value.message


def test_a_cancelled_group_ends_its_seats_and_cancels_what_is_left(loaded: Engine) -> None:
    on = TERM_START + timedelta(weeks=4)
    with session_scope(loaded) as session:
        cancel_group(session, "g-fri", on, "liian vähän osallistujia", actor="test")
    with session_scope(loaded) as session:
        group = session.get(GroupRow, "g-fri")
        sessions = group_sessions(session, "g-fri")
        seats = list(session.scalars(select(EnrollmentRow).where(EnrollmentRow.group_id == "g-fri")))
    assert group.status == "cancelled" and group.sequence == 1
    assert all(s.cause == "group" for s in sessions if s.planned >= on and s.cause != "holiday")
    assert all(s.held for s in sessions if s.planned < on)
    assert seats and all(s.status == "interrupted" and s.to_date == on for s in seats)
    with session_scope(loaded) as session, pytest.raises(ChangeError):
        cancel_session(session, "g-fri", on, None, actor="test")


def test_a_cancelled_group_withdraws_its_pending_offers(loaded: Engine) -> None:
    """An offer of a group called off holds no seat: it is withdrawn, so the next plan's snapshot (which lists
    running groups only) and the held seats agree, and publishing that plan is not refused as stale."""
    on = TERM_START + timedelta(weeks=4)
    with session_scope(loaded) as session:
        made = date(2027, 2, 1)
        session.add(
            OfferRow(
                client_id="asiakas-01",
                group_id="g-fri",
                status="pending",
                made_on=made,
                starts_on=on,
                reply_by=made + timedelta(days=7),
            )
        )
    with session_scope(loaded) as session:
        cancel_group(session, "g-fri", on, None, actor="test")
    with session_scope(loaded) as session:
        offer = session.scalars(select(OfferRow).where(OfferRow.group_id == "g-fri")).one()
        held = held_seats(session)
    assert offer.status == "withdrawn" and offer.answered_by == "test"
    assert not any(group == "g-fri" for _, group in held)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_upgrade_gives_groups_that_exist_a_sequence_and_a_time(kind: str, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}" if kind == "sqlite" else fresh_postgres()
    upgrade(Settings(database_url=url), "0002")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text("""INSERT INTO group_models VALUES ('m', '{"fi": "a", "sv": "b"}', 'theme', 'nature',
                             'all', 'remote', 120, 3, 8, '["fi"]', '[]')""")
        )
        conn.execute(
            text("""INSERT INTO groups (id, template_id, modality, language, day, start, "end", leaders,
                             pinned, status) VALUES ('g', 'm', 'remote', 'fi', 'tue', '09:00', '11:00', '["a"]',
                             true, 'running')""")
        )
    upgrade(Settings(database_url=url))
    with session_scope(engine) as session:
        group = session.get(GroupRow, "g")
        assert group.sequence == 0 and group.updated_at is not None and group.status == "running"
    engine.dispose()


def test_a_changed_session_takes_no_room_or_leader_another_session_holds(loaded: Engine) -> None:
    monday = TERM_START + timedelta(weeks=1)
    wednesday = monday + timedelta(days=2)  # g-wed meets 13:00-16:00 in lohja/pieni, led by aino
    with session_scope(loaded) as session:
        with pytest.raises(ChangeError) as room:
            change_session(
                session,
                "g-mon",
                monday,
                {
                    "moved_to": wednesday,
                    "start": "14:00",
                    "end": "17:00",
                    "room_id": "lohja/pieni",
                    "leaders": ["sanna"],
                },
                actor="test",
            )
        assert room.value.field == "room_id" and "'g-wed'" in room.value.message and "13:00" in room.value.message
        with pytest.raises(ChangeError) as leader:
            change_session(
                session, "g-mon", monday, {"moved_to": wednesday, "start": "12:00", "end": "14:00"}, actor="test"
            )
        assert leader.value.field == "leaders" and "'aino' leads group 'g-wed'" in leader.value.message
        change_session(
            session, "g-mon", monday, {"moved_to": wednesday, "start": "10:00", "end": "13:00"}, actor="test"
        )  # ends as g-wed begins: no clash
    with session_scope(loaded) as session:
        with pytest.raises(ChangeError) as moved_here:  # the moved session holds aino on that Wednesday now
            change_session(session, "g-wed", wednesday, {"start": "11:00", "end": "14:00"}, actor="test")
        assert moved_here.value.field == "leaders" and "'g-mon'" in moved_here.value.message
        change_session(
            session, "g-wed", wednesday + timedelta(weeks=1), {"start": "11:00", "end": "14:00"}, actor="test"
        )  # a week later g-mon is back on its Monday
