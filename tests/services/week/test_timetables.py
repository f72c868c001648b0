"""`load_timetables`: every staff member's week at once, each as `load_timetable` has it, in the staff list's order."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from scheduler.services.week import load_staff_loads, load_timetable, load_timetables
from scheduler.storage.database import session_scope

TODAY = date(2027, 1, 12)


def test_every_members_timetable_is_the_one_of_their_own_page(week_engine: Engine) -> None:
    with session_scope(week_engine) as session:
        tables = load_timetables(session, TODAY)
        loads = load_staff_loads(session, TODAY)
        each = [load_timetable(session, load.id, TODAY) for load in loads]
    assert [t.load.id for t in tables] == [load.id for load in loads] == ["aino", "mikko"]
    assert tables == each
    assert [t.drive_minutes for t in tables] == [70, 56]
