"""Retention: `purge` removes planning runs, stored answers and ended seats' clients past their age, keeps the young."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine, func, select, update

from scheduler.services.erasure import seat_history
from scheduler.services.planning.workflow import plan_run, publish_run
from scheduler.services.retention import ages_of, purge
from scheduler.settings import Settings
from scheduler.storage.database import session_scope
from scheduler.storage.models import (
    AttendanceRow,
    AuditEntry,
    ClientRow,
    EnrollmentRow,
    IdempotencyRecord,
    NoticeRow,
    OfferingVersion,
    OfferRow,
    PlanningRun,
)
from tests.database_dump import every_row
from tests.erasure_data import NOW, leave_traces
from tests.planning_stub import keep_and_open

OLD, YOUNG = NOW - timedelta(days=800), NOW - timedelta(days=10)


def _aged_world(engine: Engine) -> tuple[str, str]:
    """The erasure world, with a second published run, a draft, answers and ended seats of each age."""
    leave_traces(engine)
    with session_scope(engine) as session:
        publish_run(session, plan_run(session, keep_and_open, actor="test"), actor="test", today=date(2027, 1, 4))
    with session_scope(engine) as session:
        plan_run(session, keep_and_open, actor="test")
        session.execute(update(PlanningRun).values(created_at=NOW - timedelta(days=200)))
        session.execute(update(IdempotencyRecord).values(created_at=NOW - timedelta(hours=30)))
        session.add(
            IdempotencyRecord(
                caller="token:1",
                key="fresh",
                request_hash="2" * 64,
                status_code=201,
                response={},
                created_at=NOW - timedelta(hours=1),
            )
        )
        old_client, young_client = session.scalars(select(ClientRow.id).order_by(ClientRow.id).limit(2)).all()
        group = session.scalars(select(EnrollmentRow.group_id)).first()
        assert group is not None
        for client, ended in ((old_client, OLD), (young_client, YOUNG)):
            session.add(
                EnrollmentRow(
                    client_id=client,
                    group_id=group,
                    from_date=ended.date() - timedelta(days=60),
                    to_date=ended.date(),
                    status="completed",
                )
            )
            session.add(
                AuditEntry(actor="t", action="complete", entity="enrollment", at=ended, detail={"client": client})
            )
    return old_client, young_client


def test_purge_removes_the_old_and_keeps_the_young(engine: Engine) -> None:
    old_client, young_client = _aged_world(engine)
    with session_scope(engine) as session:
        runs = session.scalars(select(PlanningRun.id).order_by(PlanningRun.id)).all()
        live = session.scalar(select(OfferingVersion.run_id).order_by(OfferingVersion.id.desc()).limit(1))
        before = seat_history(session)
        done = purge(session, ages_of(Settings()), "retention", NOW)
    assert done.runs == len(runs) - 1 and done.idempotency_keys == 2 and done.seat_total == 1
    with session_scope(engine) as session:
        assert session.scalars(select(PlanningRun.id)).all() == [live]
        assert session.scalars(select(OfferingVersion.run_id).order_by(OfferingVersion.id)).all() == [None, live]
        assert session.scalars(select(IdempotencyRecord.key)).all() == ["fresh"]
        seats = session.scalars(select(EnrollmentRow.client_id).where(EnrollmentRow.status == "completed")).all()
        assert old_client not in seats and young_client in seats
        assert seat_history(session) == before
        record = session.scalars(select(AuditEntry).where(AuditEntry.action == "purge")).one()
        assert record.entity == "retention" and record.detail["runs_removed"] == done.runs
    text = every_row(engine)
    assert f'"client": "{old_client}"' not in text and f'"client": "{young_client}"' in text


def test_a_dry_run_counts_and_removes_nothing(engine: Engine) -> None:
    _aged_world(engine)
    before = every_row(engine)
    with session_scope(engine) as session:
        done = purge(session, ages_of(Settings()), "retention", NOW, dry_run=True)
    assert done.runs >= 1 and done.idempotency_keys == 2 and done.seat_total == 1
    assert every_row(engine) == before


def test_one_age_for_everything_keeps_what_is_younger(engine: Engine) -> None:
    _aged_world(engine)
    with session_scope(engine) as session:
        done = purge(session, ages_of(Settings(), older_than_days=1000), "retention", NOW)
        assert (done.runs, done.idempotency_keys, done.seat_total) == (0, 0, 0)
        assert session.scalar(select(func.count()).select_from(PlanningRun)) == 4


def test_purge_removes_old_answered_offers_and_keeps_pending_and_young(engine: Engine) -> None:
    old_client, young_client = _aged_world(engine)
    with session_scope(engine) as session:
        group = session.scalars(select(EnrollmentRow.group_id)).first()
        assert group is not None
        made = []
        for client, status, answered, reply_by in (
            (old_client, "declined", OLD, OLD.date()),  # answered long ago: removed
            (old_client, "expired", None, OLD.date()),  # expired long ago (no answer): removed
            (old_client, "pending", None, OLD.date()),  # still pending however old: kept
            (young_client, "accepted", YOUNG, YOUNG.date()),  # answered lately: kept
        ):
            offer = OfferRow(
                client_id=client,
                group_id=group,
                status=status,
                made_on=reply_by - timedelta(days=7),
                starts_on=reply_by,
                reply_by=reply_by,
                answered_at=answered,
            )
            session.add(offer)
            made.append(offer)
        session.flush()
        ids = [o.id for o in made]
    with session_scope(engine) as session:
        done = purge(session, ages_of(Settings()), "retention", NOW)
    assert done.offers == {"declined": 1, "expired": 1}
    with session_scope(engine) as session:
        kept = set(session.scalars(select(OfferRow.id)))
        assert sorted(kept & set(ids)) == ids[2:] and len(kept - set(ids)) == 2  # the erasure world's own two
        record = session.scalars(select(AuditEntry).where(AuditEntry.action == "purge")).one()
        assert record.detail["offers_removed"] == {"declined": 1, "expired": 1}


def test_purge_removes_old_attendance_marks_and_notices_and_keeps_the_young(engine: Engine) -> None:
    old_client, young_client = _aged_world(engine)
    with session_scope(engine) as session:
        group = session.scalars(select(EnrollmentRow.group_id)).first()
        assert group is not None
        for n, (client, when) in enumerate(((old_client, OLD), (young_client, YOUNG))):
            session.add(
                AttendanceRow(group_id=group, day=when.date(), client_id=client, status="absent", marked_by="t")
            )
            session.add(
                NoticeRow(
                    kind="absences",
                    recipient=f"staff:s{n}",
                    client_id=client,
                    ref=f"r{n}",
                    created_at=when,
                )
            )
    with session_scope(engine) as session:
        assert purge(session, ages_of(Settings()), "retention", NOW, dry_run=True).attendance == 1
    with session_scope(engine) as session:
        done = purge(session, ages_of(Settings()), "retention", NOW)
    assert (done.attendance, done.notices) == (1, 1)
    with session_scope(engine) as session:
        assert list(session.scalars(select(AttendanceRow.client_id))) == [young_client]
        assert list(session.scalars(select(NoticeRow.client_id))) == [young_client]
        record = session.scalars(select(AuditEntry).where(AuditEntry.action == "purge")).one()
        assert (record.detail["attendance_removed"], record.detail["notices_removed"]) == (1, 1)
