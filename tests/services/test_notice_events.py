"""Notices made by events, in the transaction of the change (SQLite and PostgreSQL): a session cancelled or moved
within 48 hours (both ways of the window), a whole group cancelled, offers made and about to expire."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from scheduler.services.erasure import erase_client
from scheduler.services.notice_events import OFFER_EXPIRING_DAYS
from scheduler.services.notices import notify
from scheduler.services.offers import daily_step, make_offers
from scheduler.services.session_changes import cancel_group, cancel_session, change_session
from scheduler.storage.database import session_scope
from scheduler.storage.models import NoticeRow, OfferRow
from tests.notices_data import MONDAY, at, load_notice_data

DAY_BEFORE = at(MONDAY, "12:00") - timedelta(days=1)
"""21 hours before g-mon's session of MONDAY."""
THREE_DAYS_BEFORE = at(MONDAY, "09:00") - timedelta(days=3)


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    load_notice_data(engine)
    return engine


def notices(engine: Engine) -> list[NoticeRow]:
    with session_scope(engine) as session:
        return list(session.scalars(select(NoticeRow).order_by(NoticeRow.id)))


def recipients(engine: Engine, kind: str | None = None) -> set[str]:
    return {n.recipient for n in notices(engine) if kind is None or n.kind == kind}


def test_a_session_cancelled_the_day_before_notifies_its_leaders_and_each_counsellor_once(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        cancel_session(session, "g-mon", MONDAY, "ohjaaja sairastui", actor="test", now=DAY_BEFORE)
    found = notices(loaded)
    assert {n.recipient for n in found} == {"staff:aino", "staff:mikko", "counsellor:c-anna", "counsellor:c-bjorn"}
    assert len(found) == 4 and all(n.kind == "session_cancelled" for n in found)
    anna = next(n for n in found if n.recipient == "counsellor:c-anna")
    assert anna.client_id == "asiakas-01" and anna.args["clients"] == 2  # her two clients: one notice
    assert all(n.client_id is None for n in found if n.staff_id is not None)
    assert anna.args["from"] == {"day": "2027-01-11", "start": "09:00", "end": "12:00", "hub": "lohja"}
    assert anna.args["reason"] == "ohjaaja sairastui" and anna.day == MONDAY and anna.group_id == "g-mon"


def test_a_change_three_days_ahead_makes_no_notice(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        cancel_session(session, "g-mon", MONDAY, None, actor="test", now=THREE_DAYS_BEFORE)
        change_session(session, "g-mon", MONDAY + timedelta(weeks=1), {"start": "10:00"}, "test", DAY_BEFORE)
    assert notices(loaded) == []


def test_a_session_moved_into_the_window_notifies_though_it_was_far_off(loaded: Engine) -> None:
    """The window holds either way: the old start three days off, the new one tomorrow."""
    next_monday, tuesday = MONDAY + timedelta(weeks=1), MONDAY + timedelta(days=1)
    with session_scope(loaded) as session:
        change_session(session, "g-mon", next_monday, {"moved_to": tuesday}, "test", at(MONDAY, "12:00"))
    assert recipients(loaded, "session_moved") == {
        "staff:aino",
        "staff:mikko",
        "counsellor:c-anna",
        "counsellor:c-bjorn",
    }
    moved = notices(loaded)[0]
    assert moved.args["to"]["day"] == "2027-01-12" and moved.args["from"]["day"] == "2027-01-18"


def test_a_session_moved_out_of_the_window_notifies_too(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        change_session(session, "g-mon", MONDAY, {"moved_to": MONDAY + timedelta(days=3)}, "test", DAY_BEFORE)
    assert len(recipients(loaded, "session_moved")) == 4


def test_a_substitute_alone_is_no_move(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        change_session(session, "g-mon", MONDAY, {"leaders": ["aino", "sanna"]}, "test", DAY_BEFORE)
    assert notices(loaded) == []


def test_a_substitute_leader_of_a_moved_session_hears_of_it(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        change_session(
            session,
            "g-mon",
            MONDAY,
            {"start": "10:00", "end": "13:00", "leaders": ["aino", "sanna"]},
            "test",
            DAY_BEFORE,
        )
    assert {"staff:aino", "staff:mikko", "staff:sanna"} <= recipients(loaded)


def test_two_changes_of_one_session_are_two_events(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        change_session(session, "g-mon", MONDAY, {"start": "10:00", "end": "13:00"}, "test", DAY_BEFORE)
    with session_scope(loaded) as session:
        cancel_session(session, "g-mon", MONDAY, None, "test", DAY_BEFORE)
    found = notices(loaded)
    assert len(found) == 8 and len({n.ref for n in found}) == 2


def test_a_group_cancelled_tells_of_its_session_within_the_window_only(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        cancel_group(session, "g-mon", MONDAY, "the hub closes", "test", DAY_BEFORE)
    found = notices(loaded)
    assert {n.day for n in found} == {MONDAY}  # the later Mondays are weeks away
    assert {n.recipient for n in found} == {"staff:aino", "staff:mikko", "counsellor:c-anna", "counsellor:c-bjorn"}


def test_mail_status_is_pending_only_with_mail_on_and_an_address(
    loaded: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(loaded) as session:
        cancel_session(session, "g-mon", MONDAY, None, "test", DAY_BEFORE)
    assert {n.mail_status for n in notices(loaded)} == {"none"}  # no mail server configured
    monkeypatch.setenv("TARJOTIN_SMTP_HOST", "127.0.0.1")
    with session_scope(loaded) as session:
        cancel_session(session, "g-wed", MONDAY + timedelta(days=2), None, "test", DAY_BEFORE + timedelta(days=2))
    wed = {n.recipient: n.mail_status for n in notices(loaded) if n.group_id == "g-wed"}
    assert wed == {"staff:aino": "pending", "counsellor:c-emma": "none"}  # Emma has no address


def _offer(engine: Engine, client: str, made_on_days_before_reply: int = 7) -> None:
    with session_scope(engine) as session:
        make_offers(session, [(client, "g-fri")], MONDAY, MONDAY, made_on_days_before_reply, run=1)


def test_an_offer_made_tells_the_clients_counsellor_and_a_queue_client_nobody(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        make_offers(session, [("asiakas-01", "g-fri"), ("asiakas-10", "g-fri")], MONDAY, MONDAY, 7, run=1)
        offer = session.scalars(select(OfferRow).where(OfferRow.client_id == "asiakas-01")).one()
    found = notices(loaded)
    assert [(n.kind, n.recipient, n.client_id, n.ref) for n in found] == [
        ("offer_made", "counsellor:c-anna", "asiakas-01", f"offer:{offer.id}")
    ]
    assert found[0].args == {"starts_on": "2027-01-11", "reply_by": "2027-01-18"}


def test_an_offer_about_to_expire_is_told_once(loaded: Engine) -> None:
    _offer(loaded, "asiakas-03")  # reply by 18 January
    reply_by = MONDAY + timedelta(days=7)
    with session_scope(loaded) as session:
        early = daily_step(session, reply_by - timedelta(days=OFFER_EXPIRING_DAYS + 1), "test", DAY_BEFORE)
    assert early.reminded == 0 and recipients(loaded, "offer_expiring") == set()
    for days_left in (OFFER_EXPIRING_DAYS, OFFER_EXPIRING_DAYS - 1, 0):
        with session_scope(loaded) as session:
            daily_step(session, reply_by - timedelta(days=days_left), "test", DAY_BEFORE)
    expiring = [n for n in notices(loaded) if n.kind == "offer_expiring"]
    assert [(n.recipient, n.client_id) for n in expiring] == [("counsellor:c-bjorn", "asiakas-03")]


def test_erasing_a_client_removes_the_notices_that_name_them(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        cancel_session(session, "g-mon", MONDAY, None, "test", DAY_BEFORE)
    with session_scope(loaded) as session:
        erase_client(session, "asiakas-01", "test", DAY_BEFORE)
    left = notices(loaded)
    assert "counsellor:c-anna" not in {n.recipient for n in left} and len(left) == 3
    assert all(n.client_id != "asiakas-01" for n in left)


def test_two_transactions_telling_of_one_event_at_once_make_one_notice(loaded: Engine) -> None:
    """As when two server processes run the daily step together: neither fails, one notice is made."""
    start, made, failed = threading.Barrier(2), [], []

    def tell() -> None:
        try:
            with session_scope(loaded) as session:
                start.wait()
                made.append(notify(session, "offer_expiring", "offer:race", counsellor_id="c-anna", now=DAY_BEFORE))
                time.sleep(0.3)  # hold the transaction open while the other one tries
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            failed.append(error)

    threads = [threading.Thread(target=tell) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failed == [] and sum(row is not None for row in made) == 1
    assert len(notices(loaded)) == 1
