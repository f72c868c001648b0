"""Attendance at one session: who may be marked, when, overwriting, and absences in a row notifying the
counsellor once per streak (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from scheduler.contract.errors import Invalid
from scheduler.services.attendance import Mark, absence_streaks, mark_attendance, read_attendance
from scheduler.services.caseload import standings
from scheduler.services.session_changes import cancel_session
from scheduler.storage.database import session_scope
from scheduler.storage.enrollments import end_enrollment
from scheduler.storage.models import AttendanceRow, AuditEntry, ClientRow, CounsellorRow, EnrollmentRow, NoticeRow
from tests.feeds_data import TERM_START, load_feed_data

MONDAYS = [TERM_START + timedelta(weeks=w) for w in range(8)]
"""g-mon meets on Mondays from 4 January 2027; asiakas-01..03 hold its seats from the term start."""
LATE = date(2027, 3, 1)
NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)
OWN = "asiakas-01"
QUEUED = "asiakas-02"
THIRD = "asiakas-03"


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    load_feed_data(engine)
    with session_scope(engine) as session:
        session.add(CounsellorRow(id="riikka", name="Riikka"))
        session.flush()
        own = session.get(ClientRow, OWN)
        assert own is not None
        own.counsellor_id, own.alias = "riikka", "Maija"
    return engine


def _mark(engine: Engine, day: date, marks: list[Mark], today: date = LATE) -> list[tuple[str, str | None]]:
    with session_scope(engine) as session:
        found = mark_attendance(session, "g-mon", day, marks, "staff:aino", today, NOW)
        return [(p.client_id, p.status) for p in found.participants]


def _notices(engine: Engine) -> list[tuple[str, str, int]]:
    with session_scope(engine) as session:
        rows = session.scalars(select(NoticeRow).order_by(NoticeRow.id))
        return [(n.recipient, n.ref, n.args["count"]) for n in rows]


def test_participants_are_the_seats_covering_the_day_unmarked_first(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        found = read_attendance(session, "g-mon", MONDAYS[0])
    assert [(p.client_id, p.status) for p in found.participants] == [(OWN, None), (QUEUED, None), (THIRD, None)]
    assert found.participants[0].alias == "Maija"


def test_marking_again_overwrites_and_answers_the_whole_session(loaded: Engine) -> None:
    assert _mark(loaded, MONDAYS[0], [Mark("present", OWN), Mark("absent", QUEUED)]) == [
        (OWN, "present"),
        (QUEUED, "absent"),
        (THIRD, None),
    ]
    assert _mark(loaded, MONDAYS[0], [Mark("excused", QUEUED)]) == [
        (OWN, "present"),
        (QUEUED, "excused"),
        (THIRD, None),
    ]
    with session_scope(loaded) as session:
        assert session.scalar(select(func.count()).select_from(AttendanceRow)) == 2
        row = session.get(AttendanceRow, ("g-mon", MONDAYS[0], QUEUED))
        assert row is not None and row.marked_by == "staff:aino"
        audits = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "attendance")))
    assert [a.detail for a in audits][-1] == {"marked": 1, "present": 0, "excused": 1, "absent": 0}
    assert all(OWN not in str(a.detail) and "Maija" not in str(a.detail) for a in audits)


def test_a_seat_by_its_number_names_the_same_participant(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        seat = read_attendance(session, "g-mon", MONDAYS[0]).participants[2].seat
    assert _mark(loaded, MONDAYS[0], [Mark("present", seat=seat)])[2] == (THIRD, "present")


def test_a_client_without_a_seat_that_day_is_refused_naming_the_line(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        end_enrollment(session, THIRD, "g-mon", "interrupted", MONDAYS[1], "test", reason="own_wish")
    assert _mark(loaded, MONDAYS[1], [Mark("present", THIRD)])[2] == (THIRD, "present")  # their last day
    with pytest.raises(Invalid) as refused:
        _mark(loaded, MONDAYS[2], [Mark("present", OWN), Mark("present", "asiakas-04"), Mark("absent", THIRD)])
    assert [e.field for e in refused.value.errors] == ["body[1].client_id", "body[2].client_id"]
    assert "has no seat in group 'g-mon' on 2027-01-18" in refused.value.errors[0].message
    with session_scope(loaded) as session:
        assert read_attendance(session, "g-mon", MONDAYS[2]).participants[0].status is None  # nothing stored


def test_a_client_listed_twice_is_refused(loaded: Engine) -> None:
    with pytest.raises(Invalid) as refused:
        _mark(loaded, MONDAYS[0], [Mark("present", OWN), Mark("absent", OWN)])
    assert [e.field for e in refused.value.errors] == ["body[1].client_id"]


def test_a_day_not_held_yet_a_cancelled_session_and_a_day_off_rhythm_are_refused_naming_day(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        cancel_session(session, "g-mon", MONDAYS[3], "ohjaaja sairastui", actor="test")
    faults = []
    for day, today in ((MONDAYS[4], MONDAYS[3]), (MONDAYS[3], LATE), (MONDAYS[0] + timedelta(days=1), LATE)):
        with pytest.raises(Invalid) as refused:
            _mark(loaded, day, [Mark("present", OWN)], today=today)
        faults.append((refused.value.errors[0].field, refused.value.detail))
    assert [field for field, _ in faults] == ["day", "day", "day"]
    assert "mark its attendance on that day or later" in faults[0][1]
    assert "is cancelled (ohjaaja sairastui)" in faults[1][1]
    assert "has no session on 2027-01-05" in faults[2][1]
    assert _mark(loaded, MONDAYS[4], [Mark("present", OWN)], today=MONDAYS[4])[0] == (OWN, "present")  # on the day


def test_two_absences_in_a_row_notify_the_counsellor_once_and_a_new_streak_again(loaded: Engine) -> None:
    _mark(loaded, MONDAYS[0], [Mark("absent", OWN)])
    assert _notices(loaded) == []
    _mark(loaded, MONDAYS[1], [Mark("absent", OWN)])
    first = ("counsellor:riikka", f"g-mon:{MONDAYS[0]}:{OWN}", 2)
    assert _notices(loaded) == [first]
    _mark(loaded, MONDAYS[1], [Mark("absent", OWN)])  # marked again: the same streak
    _mark(loaded, MONDAYS[2], [Mark("absent", OWN)])  # the streak goes on
    assert _notices(loaded) == [first]
    _mark(loaded, MONDAYS[3], [Mark("present", OWN)])
    _mark(loaded, MONDAYS[4], [Mark("absent", OWN)])
    _mark(loaded, MONDAYS[5], [Mark("absent", OWN)])
    assert _notices(loaded) == [first, ("counsellor:riikka", f"g-mon:{MONDAYS[4]}:{OWN}", 2)]
    _mark(loaded, MONDAYS[5], [Mark("present", OWN)])  # present again: the notice stays
    assert len(_notices(loaded)) == 2


def test_absent_with_notice_breaks_the_streak_and_notifies_nobody(loaded: Engine) -> None:
    for day, status in zip(MONDAYS[:5], ("absent", "excused", "absent", "excused", "excused"), strict=True):
        _mark(loaded, day, [Mark(status, OWN)])
    assert _notices(loaded) == []


def test_the_shared_queue_gets_no_notice_but_the_caseload_flags_the_streak(loaded: Engine) -> None:
    _mark(loaded, MONDAYS[0], [Mark("absent", QUEUED), Mark("absent", OWN)])
    _mark(loaded, MONDAYS[1], [Mark("absent", QUEUED), Mark("present", OWN)])
    assert _notices(loaded) == []
    with session_scope(loaded) as session:
        assert absence_streaks(session, [OWN, QUEUED, THIRD]) == {QUEUED: {"g-mon": 2}}
        found = {s.id: s for s in standings(session, session.scalars(select(ClientRow)), LATE)}
    assert "absences" in found[QUEUED].attention and found[QUEUED].absences == {"g-mon": 2}
    assert "absences" not in found[OWN].attention


def test_a_streak_of_an_ended_seat_no_longer_needs_attention(loaded: Engine) -> None:
    _mark(loaded, MONDAYS[0], [Mark("absent", QUEUED)])
    _mark(loaded, MONDAYS[1], [Mark("absent", QUEUED)])
    with session_scope(loaded) as session:
        end_enrollment(session, QUEUED, "g-mon", "interrupted", MONDAYS[2], "test", reason="absences")
        assert absence_streaks(session, [QUEUED]) == {}
        seat = session.scalars(select(EnrollmentRow).where(EnrollmentRow.client_id == QUEUED)).one()
        assert (seat.end_reason, seat.status) == ("absences", "interrupted")
