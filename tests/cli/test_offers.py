"""`tarjotin offers ...` and publishing from the command line: offers made, listed, expired by the daily step."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import func, select

from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import AuditEntry, EnrollmentRow, OfferRow
from tests.cli.test_app import QUICK, database, invoke

__all__ = ["database"]


def test_publish_offers_then_the_daily_step_expires_them(database: str) -> None:
    assert invoke("plan", *QUICK).exit_code == 0
    published = invoke("publish")
    assert published.exit_code == 0, published.output
    assert "offers made, waiting for the clients' answers" in published.stdout
    listed = invoke("offers", "list", "--status", "pending", "--json")
    assert listed.exit_code == 0, listed.output
    pending = json.loads(listed.stdout)["offers"]
    assert pending and {o["status"] for o in pending} == {"pending"}
    reply_by = max(date.fromisoformat(o["reply_by"]) for o in pending)
    early = invoke("offers", "expire", "--today", reply_by.isoformat())
    assert early.exit_code == 0 and "0 offers expired" in early.stdout
    late = invoke("offers", "expire", "--today", (reply_by + timedelta(days=1)).isoformat(), "--json")
    assert late.exit_code == 0, late.output
    assert json.loads(late.stdout) == {"offers_expired": len(pending), "seats_completed": 0, "expiring_notices": 0}
    engine = make_engine(database)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).where(OfferRow.status == "expired")) == len(pending)
        assert session.scalar(select(func.count()).where(AuditEntry.action == "expire")) == len(pending)
    engine.dispose()
    assert invoke("offers", "list", "--status", "bogus").exit_code == 2
    assert invoke("offers", "expire", "--today", "tomorrow").exit_code == 2


def test_the_daily_step_completes_seats_whose_service_period_ended(database: str) -> None:
    assert invoke("offers", "settings", "--accept-at-once").exit_code == 0
    assert invoke("plan", *QUICK).exit_code == 0
    published = invoke("publish")
    assert "seats made at once" in published.stdout, published.output
    engine = make_engine(database)
    with session_scope(engine) as session:
        seat = session.scalars(select(EnrollmentRow).order_by(EnrollmentRow.id)).first()
        assert seat is not None and seat.status == "active"
        seat.to_date, seat_id = date(2027, 2, 1), seat.id
    done = invoke("offers", "expire", "--today", "2027-02-02")
    assert done.exit_code == 0 and "1 seats completed" in done.stdout, done.output
    with session_scope(engine) as session:
        assert session.get(EnrollmentRow, seat_id).status == "completed"  # type: ignore[union-attr]
    engine.dispose()


def test_offer_settings_show_and_change(database: str) -> None:
    shown = invoke("offers", "settings")
    assert shown.exit_code == 0 and "reply within 7 days" in shown.stdout and "offers the client" in shown.stdout
    changed = invoke("offers", "settings", "--reply-days", "10", "--accept-at-once")
    assert changed.exit_code == 0 and "reply within 10 days" in changed.stdout and "at once" in changed.stdout
    back = invoke("offers", "settings", "--ask")
    assert "reply within 10 days" in back.stdout and "offers the client" in back.stdout
    assert invoke("offers", "settings", "--reply-days", "0").exit_code == 64
