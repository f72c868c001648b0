"""The county's figures against a database whose answers are known (tests/figures_data.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scheduler.contract.errors import Invalid
from scheduler.contract.followup import DEFAULT_FEEDBACK_QUESTIONS, FeedbackQuestion
from scheduler.services.feedback import set_feedback_questions
from scheduler.services.figures import CountyFigures, county_figures, default_period, figure_rows
from scheduler.storage.models import HeadCount
from tests.figures_data import FEBRUARY, FROM, TO, build_county


@pytest.fixture
def county(engine: Engine) -> Engine:
    build_county(engine)
    return engine


def february(engine: Engine) -> CountyFigures:
    with Session(engine) as session:
        return county_figures(session, FROM, TO)


def test_clients_in_group_work_and_new_decisions(county: Engine) -> None:
    assert february(county).clients.model_dump() == FEBRUARY["clients"]


def test_wait_from_case_opening_to_first_session(county: Engine) -> None:
    waiting = february(county).waiting.model_dump()
    assert waiting.pop("still_waiting_on") == TO  # no today given: the period's end
    assert waiting == FEBRUARY["waiting"]


def test_offers_made_in_the_period_by_what_they_became(county: Engine) -> None:
    assert february(county).offers.model_dump() == FEBRUARY["offers"]


def test_attendance_rate_and_shares(county: Engine) -> None:
    assert february(county).attendance.model_dump() == FEBRUARY["attendance"]


def test_seats_by_municipality_language_and_kind_remote_last(county: Engine) -> None:
    assert [cell.model_dump() for cell in february(county).seats] == FEBRUARY["seats"]


def test_end_reasons_and_next_steps_of_seats_ended_in_the_period(county: Engine) -> None:
    assert february(county).endings.model_dump() == FEBRUARY["endings"]


def test_feedback_counts_means_and_nps(county: Engine) -> None:
    feedback = february(county).feedback
    expected = FEBRUARY["feedback"]
    assert feedback.forms == expected["forms"]
    assert {q.id: (q.answers, q.mean) for q in feedback.questions} == expected["answers"]
    recommend = next(q for q in feedback.questions if q.id == "recommend")
    assert recommend.model_dump(include={"promoters", "passives", "detractors", "nps"}) == expected["recommend"]
    assert [c.comment for c in feedback.comments] == expected["comments"]
    assert [c.group_id for c in feedback.comments] == ["g1", None]


def test_a_removed_question_keeps_its_answers_by_id(county: Engine) -> None:
    old = next(q for q in february(county).feedback.questions if q.id == "old_q")
    assert (old.current, old.scale, old.text, old.nps) == (False, None, {}, None)
    safety = FeedbackQuestion(id="safety", text={"fi": "Tunsitko olosi turvalliseksi?"})
    with Session(county) as session:
        set_feedback_questions(session, "test", [DEFAULT_FEEDBACK_QUESTIONS[0], safety])
        session.commit()
    questions = {q.id: q for q in february(county).feedback.questions}
    assert list(questions) == ["satisfaction", "safety", "benefit", "commitment", "old_q", "recommend"]
    assert (questions["safety"].answers, questions["safety"].mean) == (0, None)
    assert not questions["recommend"].current
    assert (questions["recommend"].scale, questions["recommend"].nps) == ("0-10", 33.3)  # the defaults know it


def test_the_term_cancellation_moves_the_first_session(county: Engine) -> None:
    """c1's seat starts on 11 January; the 12 January session was called off, so they first came on the 19th."""
    with Session(county) as session:
        january = county_figures(session, date(2027, 1, 1), date(2027, 1, 31)).waiting
    assert (january.first_sessions, january.median_days, january.bins["under_1"]) == (1, 30.0, 1)
    assert january.no_case_opening == 1  # c12, first on Wednesday 13 January


def test_before_the_term_the_weekday_stands_in(county: Engine) -> None:
    """c11's seat began on Friday 27 November 2026, before the term: the group's Tuesday, 1 December, is the first."""
    with Session(county) as session:
        december = county_figures(session, date(2026, 12, 1), date(2026, 12, 31))
    assert (december.waiting.first_sessions, december.waiting.median_days, december.waiting.bins["over_3"]) == (
        1,
        183.0,
        1,
    )
    assert december.waiting.still_waiting_past_three_months == 1  # c6: case opened 1 September
    assert december.waiting.still_waiting_on == date(2026, 12, 31)
    assert december.endings.reasons["completed"] == 1 and december.endings.next_steps["education"] == 1


def test_a_period_ending_later_counts_the_still_waiting_today(county: Engine) -> None:
    """c6's case opened on 1 September: on 1 December they are at the three-month day, on the 2nd past it."""
    with Session(county) as session:
        on_the_day = county_figures(session, date(2026, 12, 1), date(2026, 12, 31), today=date(2026, 12, 1))
        a_day_later = county_figures(session, date(2026, 12, 1), date(2026, 12, 31), today=date(2026, 12, 2))
    assert (on_the_day.waiting.still_waiting_past_three_months, on_the_day.waiting.still_waiting_on) == (
        0,
        date(2026, 12, 1),
    )
    assert a_day_later.waiting.still_waiting_past_three_months == 1


def test_an_empty_period_has_none_for_rates(county: Engine) -> None:
    with Session(county) as session:
        empty = county_figures(session, date(2020, 1, 1), date(2020, 1, 1))
    assert (empty.attendance.rate, empty.waiting.median_days, empty.offers.made, empty.seats) == (None, None, 0, [])


def test_a_reversed_period_names_from(county: Engine) -> None:
    with Session(county) as session, pytest.raises(Invalid) as refused:
        county_figures(session, TO, FROM)
    assert refused.value.errors[0].field == "from"


def test_the_tidy_rows_hold_every_figure(county: Engine) -> None:
    rows = figure_rows(february(county))
    assert ("clients", "in_group_work", "", "", "", "", 7) in rows
    assert ("waiting", "bins", "over_3", "", "", "", 1) in rows
    assert ("seats", "seats", "", "Raasepori", "sv", "peer", 3) in rows
    assert ("feedback", "nps", "recommend", "", "", "", 33.3) in rows
    assert ("feedback", "comments", "", "", "", "", 2) in rows
    assert not any("Hyvä ryhmä" in str(cell) for row in rows for cell in row)


def test_the_default_period_is_this_month_so_far() -> None:
    assert default_period(date(2027, 2, 17)) == (date(2027, 2, 1), date(2027, 2, 17))


def test_pop_up_head_counts_of_the_period_are_counted_beside_the_marks(county: Engine) -> None:
    with Session(county) as session:
        session.add_all(
            [
                HeadCount(group_id="g1", day=date(2027, 2, 2), head_count=7, marked_by="s1"),
                HeadCount(group_id="g1", day=date(2027, 2, 9), head_count=4, marked_by="s1"),
                HeadCount(group_id="g1", day=date(2027, 3, 2), head_count=9, marked_by="s1"),  # after the period
            ]
        )
        session.commit()
    attendance = february(county).attendance
    assert (attendance.popup_sessions, attendance.popup_heads) == (2, 11)
    assert attendance.marked == FEBRUARY["attendance"]["marked"]  # head counts are not marks
    rows = {(r[0], r[1]): r[6] for r in figure_rows(february(county))}
    assert rows[("attendance", "popup_sessions")] == 2 and rows[("attendance", "popup_heads")] == 11
