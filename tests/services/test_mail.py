"""Notices by e-mail through a real SMTP server (aiosmtpd), on SQLite and PostgreSQL: what arrives, in whose
language, never naming a client; retried while the server is down, failed after the limit, never sent twice."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import Engine, select

from scheduler.services.mail import BACKOFF_MINUTES, deliver, send_pending
from scheduler.services.notices import MAIL_ON, notify
from scheduler.services.offers import make_offers
from scheduler.services.session_changes import cancel_session
from scheduler.settings import Settings
from scheduler.storage.database import session_scope
from scheduler.storage.models import NoticeRow
from tests.notices_data import ALIASES, MONDAY, OWNERS, at, load_notice_data
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["smtp_server"]

NOW = (at(MONDAY, "12:00") - timedelta(days=1)).astimezone(UTC)
PUBLIC = "https://tarjotin.example"
CLIENT_WORDS = [*OWNERS, *ALIASES.values(), *(word for alias in ALIASES.values() for word in alias.split())]
"""Every client id and alias (and each word of an alias) that must never be in a mail."""


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    load_notice_data(engine)
    return engine


def settings_for(server: SmtpServer, attempts: int = 5) -> Settings:
    return Settings(
        smtp_host="127.0.0.1",
        smtp_port=server.port,
        smtp_security="none",
        mail_from="tarjotin@county.example",
        mail_attempts=attempts,
        public_url=PUBLIC,
    )


def cancel_monday(engine: Engine) -> None:
    """g-mon's Monday session cancelled the day before, with mail on: four notices, each to an address."""
    with session_scope(engine) as session:
        session.info[MAIL_ON] = True
        cancel_session(session, "g-mon", MONDAY, "ohjaaja sairastui", "test", NOW)


def rows(engine: Engine) -> dict[str, NoticeRow]:
    with session_scope(engine) as session:
        return {n.recipient: n for n in session.scalars(select(NoticeRow))}


def assert_names_no_client(raw: bytes, text: str) -> None:
    for word in CLIENT_WORDS:
        assert word.encode() not in raw and word not in text, word


def test_each_recipient_gets_one_mail_in_their_language_naming_no_client(
    loaded: Engine, smtp_server: SmtpServer
) -> None:
    cancel_monday(loaded)
    done = send_pending(loaded, settings_for(smtp_server), NOW)
    assert (done.sent, done.retrying, done.failed) == (4, 0, 0)
    arrived = {m.rcpt_tos: m for m in smtp_server.arrived}
    assert set(arrived) == {
        ("aino@county.example",),
        ("mikko@county.example",),
        ("anna@county.example",),
        ("bjorn@county.example",),
    }
    aino, mikko = arrived[("aino@county.example",)], arrived[("mikko@county.example",)]
    anna, bjorn = arrived[("anna@county.example",)], arrived[("bjorn@county.example",)]
    assert aino.message["Subject"].startswith("Cancelled: Nature group on Monday")
    assert mikko.message["Subject"].startswith("Peruttu: Luonto;ryhmä")
    assert "\n" not in mikko.message["Subject"]  # the Finnish name holds a newline: the header stays one line
    assert bjorn.message["Subject"].startswith("Inställt: Naturgrupp")
    assert [m.message["Content-Language"] for m in (aino, mikko, anna, bjorn)] == ["en", "fi", "fi", "sv"]
    assert "Asia koskee 2 asiakastasi." in anna.text and "Det gäller en av dina klienter." in bjorn.text
    assert "It concerns" not in aino.text  # a leader's mail is about the session only
    assert "klo 09:00–12:00" in mikko.text and "Syy: ohjaaja sairastui" in mikko.text
    for mail in arrived.values():
        assert mail.message["From"] == "tarjotin@county.example"
        assert f"{PUBLIC}/my/notices" in mail.text
        assert_names_no_client(mail.raw, mail.text)
    sent = rows(loaded)
    assert {n.mail_status for n in sent.values()} == {"sent"}
    assert all(n.mail_attempts == 1 and n.mailed_at is not None for n in sent.values())
    assert send_pending(loaded, settings_for(smtp_server), NOW + timedelta(hours=1)).sent == 0


def test_an_offer_made_is_mailed_to_the_counsellor_without_the_client(loaded: Engine, smtp_server: SmtpServer) -> None:
    with session_scope(loaded) as session:
        session.info[MAIL_ON] = True
        make_offers(session, [("asiakas-03", "g-fri"), ("asiakas-11", "g-fri")], MONDAY, MONDAY, 7, run=1)
    send_pending(loaded, settings_for(smtp_server), NOW)
    (mail,) = smtp_server.arrived
    assert mail.rcpt_tos == ("bjorn@county.example",)
    assert mail.message["Subject"] == "En av dina klienter erbjöds en plats i en grupp: Naturgrupp"
    assert "senast måndag 18.1.2027" in mail.text
    assert_names_no_client(mail.raw, mail.text)


def test_a_mail_is_retried_after_the_server_was_down(loaded: Engine, smtp_server: SmtpServer) -> None:
    cancel_monday(loaded)
    smtp_server.stop()
    settings = settings_for(smtp_server)
    first = send_pending(loaded, settings, NOW)
    assert (first.sent, first.retrying) == (0, 4)
    waiting = rows(loaded)
    assert all(n.mail_status == "pending" and n.mail_attempts == 1 and n.mail_error for n in waiting.values())
    assert {n.mail_next_at.replace(tzinfo=UTC) for n in waiting.values() if n.mail_next_at} == {
        NOW + timedelta(minutes=BACKOFF_MINUTES[0])
    }
    smtp_server.start()
    assert send_pending(loaded, settings, NOW + timedelta(seconds=30)).sent == 0  # not due yet
    later = send_pending(loaded, settings, NOW + timedelta(minutes=2))
    assert later.sent == 4 and len(smtp_server.arrived) == 4
    assert all(n.mail_status == "sent" and n.mail_attempts == 2 and n.mail_error is None for n in rows(loaded).values())


def test_a_mail_fails_after_the_attempts_allowed(loaded: Engine, smtp_server: SmtpServer) -> None:
    cancel_monday(loaded)
    smtp_server.stop()
    settings = settings_for(smtp_server, attempts=2)
    assert send_pending(loaded, settings, NOW).retrying == 4
    assert send_pending(loaded, settings, NOW + timedelta(minutes=2)).failed == 4
    failed = rows(loaded)
    assert all(n.mail_status == "failed" and n.mail_attempts == 2 for n in failed.values())
    assert all("ConnectionRefusedError" in (n.mail_error or "") for n in failed.values())
    smtp_server.start()
    assert send_pending(loaded, settings, NOW + timedelta(days=1)).sent == 0
    assert smtp_server.arrived == []


def test_two_senders_racing_never_send_a_notice_twice(loaded: Engine, smtp_server: SmtpServer) -> None:
    with session_scope(loaded) as session:
        session.info[MAIL_ON] = True
        for n in range(30):
            notify(session, "offer_made", f"race:{n}", counsellor_id="c-anna", group_id="g-fri", day=MONDAY, now=NOW)
    settings = settings_for(smtp_server)
    start = threading.Barrier(2)
    results = []

    def slow(settings: Settings, message: EmailMessage) -> None:
        deliver(settings, message)
        threading.Event().wait(0.005)

    def sender() -> None:
        start.wait()
        results.append(send_pending(loaded, settings, NOW, slow))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(r.sent for r in results) == 30
    assert len(smtp_server.wait_for(30, 2)) == 30
    assert all(n.mail_status == "sent" and n.mail_attempts == 1 for n in rows_all(loaded))


def rows_all(engine: Engine) -> list[NoticeRow]:
    with session_scope(engine) as session:
        return list(session.scalars(select(NoticeRow)))


def test_without_a_mail_server_notices_stay_on_the_lists(loaded: Engine) -> None:
    with session_scope(loaded) as session:
        cancel_session(session, "g-mon", MONDAY, None, "test", NOW)  # no TARJOTIN_SMTP_HOST: mail is off
    assert {n.mail_status for n in rows_all(loaded)} == {"none"}
    assert send_pending(loaded, Settings(), NOW).sent == 0


def test_a_mail_server_down_at_the_start_of_a_day_leaves_the_notice_waiting(loaded: Engine) -> None:
    """No server on the port at all (never started): the attempt is counted and the error kept."""
    cancel_monday(loaded)
    down = Settings(smtp_host="127.0.0.1", smtp_port=SmtpServer().port, smtp_security="none")
    assert send_pending(loaded, down, datetime(2027, 1, 10, 10, tzinfo=UTC)).retrying == 4


def test_absences_in_a_row_are_mailed_like_any_notice(loaded: Engine, smtp_server: SmtpServer) -> None:
    """As the attendance marking makes them: the last absence's day and the run's length."""
    with session_scope(loaded) as session:
        session.info[MAIL_ON] = True
        notify(
            session,
            "absences",
            "g-mon:2027-01-04:asiakas-03",
            counsellor_id="c-bjorn",
            client_id="asiakas-03",
            group_id="g-mon",
            day=MONDAY,
            args={"count": 2},
            now=NOW,
        )
    assert send_pending(loaded, settings_for(smtp_server), NOW).sent == 1
    (mail,) = smtp_server.arrived
    assert mail.message["Subject"] == "Frånvaro utan anmälan i gruppen Naturgrupp"
    assert "2 gånger i rad" in mail.text and "senast måndag 11.1.2027" in mail.text
    assert_names_no_client(mail.raw, mail.text)


def test_a_notice_that_cannot_be_written_fails_at_once_and_the_rest_go(loaded: Engine, smtp_server: SmtpServer) -> None:
    cancel_monday(loaded)
    with session_scope(loaded) as session:
        session.add(NoticeRow(kind="mystery", recipient="staff:aino", staff_id="aino", ref="x", mail_status="pending"))
    done = send_pending(loaded, settings_for(smtp_server), NOW)
    assert (done.sent, done.failed) == (4, 1) and len(smtp_server.arrived) == 4
    (odd,) = [n for n in rows_all(loaded) if n.kind == "mystery"]
    assert odd.mail_status == "failed" and (odd.mail_error or "").startswith("not composed: KeyError")
