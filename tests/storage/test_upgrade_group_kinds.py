"""A database made before group kinds (schema 0007) upgrades and plans as it did.

The county of `test_upgrade_followup` is stored at 0007, then upgraded to the head: every
group model takes joiners (`rolling`, as a problem/1 document is read, even a process model:
the county decides when its process groups close), no model has its own number of sessions,
nobody is a peer instructor, every running group runs the whole season, every seat and offer
is taken in the room, no pop-up slots are set, and no head count, partner activity or trial
visit exists.
"""

from __future__ import annotations

from sqlalchemy import func, select, text

from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope, upgrade
from scheduler.storage.models import (
    EnrollmentRow,
    GroupModelRow,
    GroupRow,
    HeadCount,
    OfferRow,
    PartnerActivity,
    PlanningSettings,
    StaffRow,
    TrialVisit,
)
from scheduler.storage.repository import export_problem
from tests.storage.test_upgrade_followup import _add_at_0006
from tests.storage.test_upgrade_service_periods import _fill_at_0005, url  # noqa: F401  (url: the fixture)


def test_a_0007_database_upgrades_and_plans_as_before(url: str) -> None:  # noqa: F811
    upgrade(Settings(database_url=url), "0005")
    _fill_at_0005(url)
    upgrade(Settings(database_url=url), "0006")
    _add_at_0006(url)
    upgrade(Settings(database_url=url), "0007")
    engine = make_engine(url)
    with engine.begin() as db:
        db.execute(text("UPDATE group_models SET kind = 'process'"))
        kinds_before = dict(db.execute(text("SELECT id, kind FROM group_models")).all())
    engine.dispose()
    upgrade(Settings(database_url=url))
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            models = session.scalars(select(GroupModelRow)).all()
            assert models and {m.id: m.kind for m in models} == kinds_before
            assert {(m.admission, m.closes_after, m.sessions) for m in models} == {("rolling", 2, None)}
            assert not any(s.peer for s in session.scalars(select(StaffRow)))
            groups = session.scalars(select(GroupRow)).all()
            assert groups and {(g.start_date, g.sessions, g.reach) for g in groups} == {(None, None, None)}
            assert not any(e.remote for e in session.scalars(select(EnrollmentRow)))
            assert session.scalars(select(OfferRow.remote)).all() == [False]
            frame = session.get(PlanningSettings, 1)
            assert frame is not None and frame.popup_slots == 0
            for table in (HeadCount, PartnerActivity, TrialVisit):
                assert session.scalar(select(func.count()).select_from(table)) == 0
            problem = export_problem(session)
            assert problem.schema_ == "tarjotin.problem/2" and problem.popup_slots == 0
            assert {t.admission for t in problem.templates} == {"rolling"}
            assert all(g.start_date is None and g.sessions is None for g in problem.groups)
    finally:
        engine.dispose()
