"""Notices over HTTP: a change answers at once while the mail server is slow or down (the outbox mails after the
commit), `GET /me/notices` and the `/my/notices` page show each reader their own only (a counsellor's names their
client, a leader's never), marking read, and e-mail and language on staff and counsellors in the resource API."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from api.app import create_app
from api.pages.context import SESSION_COOKIE
from scheduler.services.clock import FixedClock
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import ClientRow, NoticeRow
from scheduler.storage.sign_in_sessions import start_sign_in
from scheduler.storage.tokens import create_token
from tests.api.sign_in import sign_in
from tests.conftest import migrated
from tests.notices_data import MONDAY, at, load_notice_data
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["smtp_server"]

NOW = at(MONDAY, "12:00") - timedelta(days=1)
CANCEL = f"/groups/g-mon/sessions/{MONDAY.isoformat()}/cancel"
ROLES = {
    "coordinator": ("coordinator", None, None),
    "anna": ("counsellor", "c-anna", None),
    "bjorn": ("counsellor", "c-bjorn", None),
    "aino": ("staff", None, "aino"),
    "sanna": ("staff", None, "sanna"),
}


@dataclass
class NoticeService:
    client: TestClient
    engine: Engine
    tokens: dict[str, str]
    staff_cookie: str

    def as_(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def cancel_monday(self) -> float:
        """Cancel g-mon's Monday session the day before; how long the answer took, in seconds."""
        began = time.monotonic()
        answer = self.client.post(CANCEL, json={"reason": "ohjaaja sairastui"}, headers=self.as_("coordinator"))
        took = time.monotonic() - began
        assert answer.status_code == 200, answer.text
        return took

    def notices(self) -> list[NoticeRow]:
        with session_scope(self.engine) as session:
            return list(session.scalars(select(NoticeRow).order_by(NoticeRow.id)))

    def wait_for_mail_status(self, wanted: set[str], seconds: float) -> set[str]:
        """The notices' mail statuses once they are `wanted` (or as they are after `seconds`)."""
        deadline = time.monotonic() + seconds
        while (statuses := {n.mail_status for n in self.notices()}) != wanted and time.monotonic() < deadline:
            time.sleep(0.05)
        return statuses


@pytest.fixture(params=["sqlite", "postgresql"])
def service(request: pytest.FixtureRequest, tmp_path: Path, smtp_server: SmtpServer) -> Iterator[NoticeService]:
    url = migrated(request.param, tmp_path)
    engine = make_engine(url)
    load_notice_data(engine)
    tokens = {}
    with session_scope(engine) as session:
        for who, (role, counsellor, staff) in ROLES.items():
            row, tokens[who] = create_token(session, role, who, staff_id=staff, counsellor_id=counsellor)
            if who == "aino":
                staff_cookie = start_sign_in(session, row, NOW.astimezone(UTC), timedelta(hours=8))
    settings = Settings(
        database_url=url,
        public_url="https://tarjotin.example",
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        smtp_security="none",
    )
    app = create_app(settings, clock=FixedClock(NOW))
    with TestClient(app, base_url="http://tarjotin.test") as client:
        yield NoticeService(client, engine, tokens, staff_cookie)
    app.state.engine.dispose()
    engine.dispose()


def test_a_cancel_answers_at_once_while_the_mail_server_is_slow(
    service: NoticeService, smtp_server: SmtpServer
) -> None:
    smtp_server.handler.delay = 3.0  # each message takes the server 3 s to accept: 12 s for the four
    assert service.cancel_monday() < 2.5  # less than one message's wait (3 s), with room for a loaded machine
    arrived = smtp_server.wait_for(4, seconds=40)
    assert len(arrived) == 4  # mailed after the answer, by the outbox
    # The server holds the fourth message before the outbox has its "250" and records it as sent.
    assert service.wait_for_mail_status({"sent"}, seconds=10) == {"sent"}


def test_a_cancel_answers_at_once_while_the_mail_server_is_down(
    service: NoticeService, smtp_server: SmtpServer
) -> None:
    smtp_server.stop()
    assert service.cancel_monday() < 2.0
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not all(n.mail_error for n in service.notices()):
        time.sleep(0.05)
    tried = service.notices()
    assert len(tried) == 4 and all(n.mail_status == "pending" and n.mail_error for n in tried)


def test_each_reader_sees_their_own_notices_and_only_a_counsellor_sees_the_client(service: NoticeService) -> None:
    service.cancel_monday()
    anna = service.client.get("/me/notices", headers=service.as_("anna")).json()
    assert (anna["unread"], anna["total"]) == (1, 1)
    (item,) = anna["items"]
    assert item["kind"] == "session_cancelled" and item["client_id"] == "asiakas-01"
    assert item["alias"] == "Matti Virtanen" and item["title"].startswith("Peruttu:")  # Anna reads Finnish
    assert "Asia koskee 2 asiakastasi." in item["text"]
    english = service.client.get("/me/notices?lang=en", headers=service.as_("anna")).json()
    assert english["items"][0]["title"].startswith("Cancelled: Nature group")
    aino = service.client.get("/me/notices", headers=service.as_("aino")).json()
    assert [(i["client_id"], i["alias"]) for i in aino["items"]] == [(None, None)]
    assert "Virtanen" not in str(aino) and "asiakas" not in str(aino)
    sanna = service.client.get("/me/notices", headers=service.as_("sanna")).json()
    assert sanna == {"unread": 0, "total": 0, "items": []}  # she does not lead g-mon
    assert service.client.get("/me/notices", headers=service.as_("coordinator")).status_code == 403
    assert service.client.get("/me/notices").status_code == 401


def test_a_notice_stops_naming_a_client_who_moved_to_another_counsellor(service: NoticeService) -> None:
    service.cancel_monday()
    with session_scope(service.engine) as session:
        client = session.get(ClientRow, "asiakas-01")
        assert client is not None
        client.counsellor_id = "c-emma"
    (item,) = service.client.get("/me/notices", headers=service.as_("anna")).json()["items"]
    assert (item["client_id"], item["alias"]) == (None, None)


def test_notices_are_marked_read_one_or_all_and_anothers_is_not_found(service: NoticeService) -> None:
    service.cancel_monday()
    mine = service.client.get("/me/notices", headers=service.as_("aino")).json()["items"][0]["id"]
    bjorns = service.client.get("/me/notices", headers=service.as_("bjorn")).json()["items"][0]["id"]
    refused = service.client.post(f"/me/notices/{bjorns}/read", headers=service.as_("aino"))
    assert refused.status_code == 404
    assert service.client.post(f"/me/notices/{mine}/read", headers=service.as_("aino")).status_code == 204
    assert service.client.get("/me/notices", headers=service.as_("aino")).json()["unread"] == 0
    assert service.client.get("/me/notices", headers=service.as_("bjorn")).json()["unread"] == 1
    assert service.client.post("/me/notices/read", headers=service.as_("bjorn")).json() == {"marked": 1}
    assert service.client.post("/me/notices/read", headers=service.as_("bjorn")).json() == {"marked": 0}


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_the_counsellors_notices_page_names_their_client_and_marks_read_without_javascript(
    service: NoticeService,
) -> None:
    service.cancel_monday()
    sign_in(service.client, service.tokens["anna"])
    page = service.client.get("/my/notices?lang=sv")
    assert page.status_code == 200
    assert "Meddelanden" in page.text and "Inställt: Naturgrupp" in page.text
    assert "Matti Virtanen" in page.text and 'href="/my/clients#client-asiakas-01"' in page.text
    assert "Olästa: 1 av 1." in page.text
    notice_id = service.client.get("/me/notices", headers=service.as_("anna")).json()["items"][0]["id"]
    marked = service.client.post(
        f"/my/notices/{notice_id}/read", data={"csrf": _csrf(page.text)}, follow_redirects=False
    )
    assert marked.status_code == 303
    assert "Olästa: 0 av 1." in service.client.get("/my/notices?lang=sv").text
    forged = service.client.post("/my/notices/read", data={"csrf": "forged"}, follow_redirects=False)
    assert forged.status_code == 403


def test_a_leaders_notices_page_names_no_client(service: NoticeService) -> None:
    service.cancel_monday()
    service.client.cookies.set(SESSION_COOKIE, service.staff_cookie)
    page = service.client.get("/my/notices?lang=en")
    assert page.status_code == 200
    assert "Cancelled: Nature group" in page.text and 'href="/my/notices"' in page.text
    assert "Virtanen" not in page.text and "asiakas-0" not in page.text
    finnish = service.client.get("/my/notices?lang=fi")
    assert "Ilmoitukset" in finnish.text and "Merkitse luetuksi" in finnish.text


def test_email_and_language_of_staff_and_counsellors_in_the_resource_api(service: NoticeService) -> None:
    coordinator = service.as_("coordinator")
    for wrong_address in ("not an address", "", " anna@county.example"):
        bad = service.client.patch("/counsellors/c-emma", json={"email": wrong_address}, headers=coordinator)
        assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["email"]
    wrong = service.client.patch("/staff/sanna", json={"lang": "de"}, headers=coordinator)
    assert wrong.status_code == 422 and [e["field"] for e in wrong.json()["errors"]] == ["lang"]
    changed = service.client.patch(
        "/counsellors/c-emma", json={"email": "emma@county.example", "lang": "sv"}, headers=coordinator
    )
    assert changed.status_code == 200 and (changed.json()["email"], changed.json()["lang"]) == (
        "emma@county.example",
        "sv",
    )
    read = service.client.get("/staff/aino", headers=coordinator).json()
    assert (read["email"], read["lang"]) == ("aino@county.example", "en")
    cleared = service.client.patch("/staff/aino", json={"email": None}, headers=coordinator)
    assert cleared.status_code == 200 and cleared.json()["email"] is None
    made = service.client.post(
        "/counsellors", json={"id": "c-new", "email": "new@county.example", "lang": "en"}, headers=coordinator
    )
    assert made.status_code == 201 and made.json()["lang"] == "en"
