"""Retention of trial visits: the purge removes visits offered, let end or cancelled whose day is past the
seats' age, counts them in its record, and keeps a booked visit however old and the young ones."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select

from scheduler.services.retention import ages_of, purge
from scheduler.settings import Settings
from scheduler.storage.database import session_scope
from scheduler.storage.models import AuditEntry, EnrollmentRow, TrialVisit
from tests.erasure_data import NOW
from tests.services.test_retention import OLD, YOUNG, _aged_world


def test_purge_removes_old_visits_that_were_acted_on(engine: Engine) -> None:
    old_client, young_client = _aged_world(engine)
    with session_scope(engine) as session:
        group = session.scalars(select(EnrollmentRow.group_id)).first()
        assert group is not None
        made = []
        for client, status, when in (
            (old_client, "ended", OLD),  # removed
            (old_client, "cancelled", OLD),  # removed
            (old_client, "offered", OLD),  # removed
            (old_client, "booked", OLD),  # kept: still waits for its counsellor
            (young_client, "ended", YOUNG),  # kept: young
        ):
            visit = TrialVisit(client_id=client, group_id=group, day=when.date(), status=status, booked_by="t")
            session.add(visit)
            made.append(visit)
        session.flush()
        ids = [v.id for v in made]
    with session_scope(engine) as session:
        assert purge(session, ages_of(Settings()), "retention", NOW, dry_run=True).trial_visits == 3
    with session_scope(engine) as session:
        assert sorted(session.scalars(select(TrialVisit.id))) == ids  # a dry run removes nothing
        done = purge(session, ages_of(Settings()), "retention", NOW)
    assert done.trial_visits == 3
    with session_scope(engine) as session:
        assert sorted(session.scalars(select(TrialVisit.id))) == ids[3:]
        record = session.scalars(select(AuditEntry).where(AuditEntry.action == "purge")).one()
        assert record.detail["trial_visits_removed"] == 3
    assert timedelta(days=730) < NOW - OLD
