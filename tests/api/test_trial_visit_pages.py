"""Trial visits on the pages, over HTTP: the counsellor books from "my clients" (a plain form), sees the visit
on the client's card and, after the day, offers the group or lets the visit end; the leader's attendance page
lists the trial visitor, marked as one, and marks them; "my sessions" counts them.

The data and the clock are those of tests/api/test_trial_visits.py (today Monday 1 February 2027)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import AttendanceRow, OfferRow, TrialVisit
from tests.api.sign_in import sign_in
from tests.api.test_trial_visits import NEXT, OWN, TODAY, App, make_app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    yield from make_app("sqlite", tmp_path)


def _signed_in(app: App, who: str) -> TestClient:
    app.client.cookies.clear()
    sign_in(app.client, app.tokens[who])
    app.client.headers["Accept"] = "text/html"
    return app.client


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _visits(app: App) -> list[tuple[str, date, str]]:
    with session_scope(make_engine(app.url)) as session:
        rows = session.scalars(select(TrialVisit).where(TrialVisit.client_id == OWN).order_by(TrialVisit.id))
        return [(v.group_id, v.day, v.status) for v in rows]


def test_the_counsellor_books_on_the_card_and_a_bad_date_is_said_in_the_pages_language(app: App) -> None:
    riikka = _signed_in(app, "riikka")
    page = riikka.get("/my/clients?lang=en")
    assert page.status_code == 200 and f'action="/my/clients/{OWN}/trial-visits"' in page.text
    assert '<option value="g-mon">' in page.text and 'type="date"' in page.text
    bad = riikka.post(
        f"/my/clients/{OWN}/trial-visits",
        data={"csrf": _csrf(page.text), "group_id": "g-mon", "day": "2027-02-09"},
        follow_redirects=False,
    )
    assert bad.status_code == 422 and "Choose a date on which the group meets" in bad.text
    assert _visits(app) == []
    done = riikka.post(
        f"/my/clients/{OWN}/trial-visits",
        data={"csrf": _csrf(page.text), "group_id": "g-mon", "day": NEXT},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/my/clients?trial=book")
    card = riikka.get(done.headers["location"].split("#")[0] + "&lang=sv").text
    assert "Provbesöket är bokat." in card and "Provbesök 8.2.2027 i gruppen g-mon." in card
    assert "Avboka besöket" in card and "Erbjud gruppen" not in card  # offered only after the visit
    assert _visits(app) == [("g-mon", date.fromisoformat(NEXT), "booked")]


def test_after_the_visit_the_card_asks_for_attention_and_offers(app: App) -> None:
    with session_scope(make_engine(app.url)) as session:
        session.add(TrialVisit(client_id=OWN, group_id="g-mon", day=date(2027, 1, 25), booked_by="test"))
    riikka = _signed_in(app, "riikka")
    page = riikka.get("/my/clients?lang=en").text
    attention = page.split('id="attention-list"')[1].split("</ul>\n</section>")[0]
    assert "A trial visit is over: offer the group or let the visit end" in attention
    assert "Trial visited g-mon on 25.1.2027: offer the group or let the visit end." in attention
    visit = next(v for v in re.findall(r'/my/trial-visits/(\d+)/offer"', page))
    offered = riikka.post(f"/my/trial-visits/{visit}/offer", data={"csrf": _csrf(page)}, follow_redirects=False)
    assert offered.status_code == 303, offered.text
    assert _visits(app) == [("g-mon", date(2027, 1, 25), "offered")]
    with session_scope(make_engine(app.url)) as session:
        offer = session.scalars(select(OfferRow).where(OfferRow.client_id == OWN)).one()
        assert (offer.group_id, offer.status) == ("g-mon", "pending")
    after = riikka.get("/my/clients?lang=en").text
    assert "Trial visited" not in after and "Offered group" in after


def test_the_leader_lists_and_marks_the_trial_visitor(app: App) -> None:
    assert app.book("koe-2", TODAY.isoformat(), who="coordinator").status_code == 201
    aino = _signed_in(app, "aino")
    sessions = aino.get("/my/sessions?lang=en").text
    assert sessions.count("/my/sessions/g-mon/2027-02-01") >= 1
    page = aino.get(f"/my/sessions/g-mon/{TODAY.isoformat()}?lang=en")
    assert page.status_code == 200
    assert "trial visitor 1" in page.text and '<span class="tag trial">trial visit</span>' in page.text
    assert "koe-2" not in page.text
    seats = re.findall(r'name="(seat-\d+)" value="present"', page.text)
    assert len(seats) == 4
    saved = aino.post(
        f"/my/sessions/g-mon/{TODAY.isoformat()}",
        data={"csrf": _csrf(page.text), **dict.fromkeys(seats, "present")},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    with session_scope(make_engine(app.url)) as session:
        marked = session.scalars(select(AttendanceRow).where(AttendanceRow.client_id == "koe-2")).one()
        assert (marked.group_id, marked.day, marked.status) == ("g-mon", TODAY, "present")
