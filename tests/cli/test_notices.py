"""`tarjotin notices ...`: the command line mails what is pending (notices the CLI made too), counts the mail,
lists the notices without any client."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from scheduler.services.offers import make_offers
from scheduler.storage.database import session_scope
from tests.cli.test_app import invoke
from tests.conftest import cli_database
from tests.notices_data import MONDAY, load_notice_data
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["smtp_server"]


def _offered(engine: Engine) -> None:
    load_notice_data(engine)
    with session_scope(engine) as session:
        make_offers(session, [("asiakas-03", "g-fri")], MONDAY, MONDAY, 7, run=1)  # Björn's client


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp_server: SmtpServer) -> str:
    for name, value in {"HOST": "127.0.0.1", "PORT": str(smtp_server.port), "SECURITY": "none"}.items():
        monkeypatch.setenv(f"TARJOTIN_SMTP_{name}", value)
    monkeypatch.setenv("TARJOTIN_PUBLIC_URL", "https://tarjotin.example")
    return cli_database(tmp_path, monkeypatch, _offered)


def test_the_daily_step_and_notices_send_mail_an_offer_about_to_expire(database: str, smtp_server: SmtpServer) -> None:
    assert json.loads(invoke("notices", "status", "--json").stdout) == {"none": 0, "pending": 1, "sent": 0, "failed": 0}
    reply_by = MONDAY + timedelta(days=7)
    step = invoke("offers", "expire", "--today", (reply_by - timedelta(days=1)).isoformat(), "--json")
    assert json.loads(step.stdout)["expiring_notices"] == 1, step.output
    sent = invoke("notices", "send", "--json")
    assert sent.exit_code == 0, sent.output
    assert json.loads(sent.stdout) == {"sent": 2, "retrying": 0, "failed": 0}
    subjects = sorted(m.message["Subject"] for m in smtp_server.arrived)
    assert subjects == [
        "En av dina klienter erbjöds en plats i en grupp: Naturgrupp",
        "Ett erbjudande till en av dina klienter går snart ut: Naturgrupp",
    ]
    assert all("asiakas" not in m.raw.decode() for m in smtp_server.arrived)
    assert "none 0, pending 0, sent 2, failed 0" in invoke("notices", "status").stdout
    listed = json.loads(invoke("notices", "list", "--json").stdout)["notices"]
    assert [(n["kind"], n["recipient"], n["mail"]) for n in listed] == [
        ("offer_expiring", "counsellor:c-bjorn", "sent"),
        ("offer_made", "counsellor:c-bjorn", "sent"),
    ]
    assert "asiakas" not in json.dumps(listed)
    assert invoke("notices", "list", "--mail", "bogus").exit_code == 2


def test_notices_send_without_a_mail_server_says_what_to_set(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TARJOTIN_SMTP_HOST")
    refused = invoke("notices", "send")
    assert refused.exit_code == 2 and "TARJOTIN_SMTP_HOST" in refused.stderr
