"""The board and the staff timetables of the county week."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from scheduler.services.week import Drive, WeekGroup, load_board, load_staff_loads, load_timetable
from scheduler.storage.database import session_scope
from scheduler.storage.models import EnrollmentRow
from tests.services.week.conftest import ART_SV, DIGITAL, NATURE_FI

TODAY = date(2027, 1, 12)


def test_board_places_each_group_by_hub_and_weekday(week_engine: Engine) -> None:
    with session_scope(week_engine) as session:
        board = load_board(session, TODAY)
    assert board.days == ["mon", "tue", "wed", "thu", "fri"]
    cells = {(row.hub_id, day): [g.id for g in groups] for row in board.rows for day, groups in row.cells.items()}
    assert cells == {("lohja", "tue"): [NATURE_FI], ("karjaa", "tue"): [ART_SV], (None, "wed"): [DIGITAL]}
    assert board.rows[-1].hub_id is None, "remote groups come last, in a row of their own"
    assert board.idle_hubs == ["Nummela"]


def test_fill_counts_active_seats_out_of_the_capacity_the_rules_allow(week_engine: Engine) -> None:
    with session_scope(week_engine) as session:
        groups = {g.id: g for g in load_board(session, TODAY).groups}
    nature, art = groups[NATURE_FI], groups[ART_SV]
    assert (nature.taken, nature.capacity, nature.leaders) == (6, 10, ("Aino Virtanen", "Mikko Laine"))
    assert (art.taken, art.capacity) == (2, 4), "one leader: at most four"
    assert nature.fill_percent == 60 and art.free == 2


def test_a_seat_given_up_shows_at_once(week_engine: Engine) -> None:
    with session_scope(week_engine) as session:
        seat = session.query(EnrollmentRow).filter_by(group_id=ART_SV, client_id="c07").one()
        seat.status = "completed"
    with session_scope(week_engine) as session:
        art = next(g for g in load_board(session, TODAY).groups if g.id == ART_SV)
    assert art.taken == 1


def test_timetable_drives_between_hubs_with_the_known_override(week_engine: Engine) -> None:
    with session_scope(week_engine) as session:
        table = load_timetable(session, "aino", TODAY)
    assert table is not None and [d.day for d in table.days] == ["tue"]
    items = table.days[0].items
    kinds = [i.id if isinstance(i, WeekGroup) else (i.from_hub, i.to_hub, i.minutes) for i in items]
    assert kinds == [NATURE_FI, ("Lohja", "Karjaa", 35), ART_SV, ("Karjaa", "Lohja", 35)]
    assert table.drive_minutes == 70
    assert (table.load.session_minutes, table.load.max_weekly_minutes, table.load.over) == (300, 240, True)


def test_timetable_drives_from_the_base_and_a_remote_session_is_held_there(week_engine: Engine) -> None:
    with session_scope(week_engine) as session:
        table = load_timetable(session, "mikko", TODAY)
    assert table is not None
    tuesday, wednesday = table.days
    drives = [i for i in tuesday.items if isinstance(i, Drive)]
    assert [(d.from_hub, d.to_hub) for d in drives] == [("Nummela", "Lohja"), ("Lohja", "Nummela")]
    assert drives[0].minutes == drives[1].minutes == 28, "the formula both ways"
    assert [type(i) for i in wednesday.items] == [WeekGroup]
    assert not table.load.over


def test_unknown_staff_has_no_timetable_and_loads_list_everyone(week_engine: Engine) -> None:
    with session_scope(week_engine) as session:
        assert load_timetable(session, "nobody", TODAY) is None
        loads = {s.id: (s.sessions, s.session_minutes, s.base_hub) for s in load_staff_loads(session, TODAY)}
    assert loads == {"aino": (2, 300, "Lohja"), "mikko": (2, 300, "Nummela")}
