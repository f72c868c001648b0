"""`tarjotin popups slots`: how many open pop-up sessions a week the planner may place."""

from __future__ import annotations

from sqlalchemy import select

from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import AuditEntry, PlanningSettings
from scheduler.storage.repository import export_problem
from tests.cli.test_app import database, invoke

__all__ = ["database"]


def test_pop_up_slots_show_and_change_and_reach_the_planning_problem(database: str) -> None:
    shown = invoke("popups", "slots")
    assert shown.exit_code == 0 and "0 pop-up slots a week" in shown.stdout
    changed = invoke("popups", "slots", "4", "--actor", "koordinaattori")
    assert changed.exit_code == 0 and "4 pop-up slots a week" in changed.stdout
    assert "4 pop-up slots a week" in invoke("popups", "slots").stdout
    assert invoke("popups", "slots", "-1").exit_code != 0
    assert invoke("popups", "slots", "201").exit_code != 0
    engine = make_engine(database)
    with session_scope(engine) as session:
        assert session.get(PlanningSettings, 1).popup_slots == 4  # type: ignore[union-attr]
        assert export_problem(session).popup_slots == 4
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity == "planning_settings")).one()
        assert audit.actor == "koordinaattori" and audit.detail == {"popup_slots": 4, "before": 0}
    engine.dispose()
