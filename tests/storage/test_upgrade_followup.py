"""A database made before attendance and notices (schema 0006) upgrades and keeps its seats, counsellors and offers.

The 0005 county of `test_upgrade_service_periods` is stored at 0006 as that release would have it
(a counsellor owning a client, an ended seat, a pending offer), then upgraded to the head: every row
is there, an ended seat has no end reason on record, nobody has an e-mail address and notices would be
written in Finnish, the county's feedback form is THL's default, and nothing was marked or noticed.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, text

from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope, upgrade
from scheduler.storage.models import (
    AttendanceRow,
    ClientRow,
    CounsellorRow,
    EnrollmentRow,
    FeedbackRow,
    NoticeRow,
    OfferRow,
    PlanningSettings,
    StaffRow,
)
from scheduler.storage.repository import export_problem
from tests.storage.test_upgrade_service_periods import TINY, _fill_at_0005, url  # noqa: F401  (url: the fixture)


def _add_at_0006(database_url: str) -> None:
    engine = make_engine(database_url)
    first, second = (c["id"] for c in TINY["clients"][:2])
    with engine.begin() as db:
        db.execute(text("INSERT INTO counsellors (id, name) VALUES ('c-anna', 'Anna')"))
        db.execute(text("UPDATE clients SET counsellor_id = 'c-anna', alias = 'Maija' WHERE id = :id"), {"id": first})
        db.execute(
            text("UPDATE enrollments SET status = 'interrupted', to_date = :end WHERE client_id = :id"),
            {"id": second, "end": date.fromisoformat(TINY["term"]["start"])},
        )
        db.execute(
            text(
                "INSERT INTO offers (client_id, group_id, status, made_on, starts_on, reply_by)"
                " VALUES (:c, 'g-1', 'pending', :on, :on, :on)"
            ),
            {"c": TINY["clients"][2]["id"], "on": date.fromisoformat(TINY["term"]["start"])},
        )
    engine.dispose()


def test_a_0006_database_upgrades_and_keeps_its_seats_counsellors_and_offers(url: str) -> None:  # noqa: F811
    upgrade(Settings(database_url=url), "0005")
    _fill_at_0005(url)
    upgrade(Settings(database_url=url), "0006")
    _add_at_0006(url)
    upgrade(Settings(database_url=url))
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            seats = session.scalars(select(EnrollmentRow).order_by(EnrollmentRow.client_id)).all()
            assert len(seats) == 3 and sorted(s.status for s in seats) == ["active", "active", "interrupted"]
            assert all(s.end_reason is None and s.next_step is None for s in seats)
            counsellor = session.get(CounsellorRow, "c-anna")
            assert counsellor is not None and (counsellor.name, counsellor.email, counsellor.lang) == (
                "Anna",
                None,
                "fi",
            )
            assert all((s.email, s.lang) == (None, "fi") for s in session.scalars(select(StaffRow)))
            client = session.get(ClientRow, TINY["clients"][0]["id"])
            assert client is not None and (client.counsellor_id, client.alias) == ("c-anna", "Maija")
            assert session.scalars(select(OfferRow.status)).all() == ["pending"]
            frame = session.get(PlanningSettings, 1)
            assert frame is not None and frame.feedback_questions is None
            for table in (AttendanceRow, NoticeRow, FeedbackRow):
                assert session.scalar(select(func.count()).select_from(table)) == 0
            problem = export_problem(session)
            assert [c.model_dump(exclude_none=True) for c in problem.counsellors] == [
                {"id": "c-anna", "name": "Anna", "lang": "fi"}
            ]
    finally:
        engine.dispose()
