# ruff: noqa: F811 - the `county` fixture is imported and then taken as a parameter
"""The feedback forms as pages: who may open and send them, the questions in the page's language, anonymity."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from scheduler.services.clock import FixedClock
from scheduler.storage.database import session_scope
from scheduler.storage.models import FeedbackRow
from scheduler.storage.sign_in_sessions import start_sign_in
from scheduler.storage.tokens import lookup_token
from tests.api.sign_in import SESSION, sign_in
from tests.figures_app import TODAY, County, county  # noqa: F401 - the fixture

HTML = {"Accept": "text/html"}


def signed_in(county: County, who: str) -> None:
    """Sign the test client in as `who`; a staff member's sign-in is started in storage (the sign-in form is
    for counsellors and coordinators)."""
    if "leader" not in who:
        sign_in(county.client, county.tokens[who])
        return
    from scheduler.storage.database import make_engine

    engine = make_engine(county.url)
    with session_scope(engine) as session:
        token = lookup_token(session, county.tokens[who])
        assert token is not None
        cookie = start_sign_in(session, token, FixedClock.on(TODAY).now(), timedelta(hours=1))
    engine.dispose()
    county.client.cookies.set(SESSION, cookie)


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def stored(county: County) -> list[FeedbackRow]:
    with county.session() as session:
        return list(session.scalars(select(FeedbackRow).where(FeedbackRow.given_on == TODAY)))


def test_a_counsellor_fills_in_their_clients_form(county: County) -> None:
    signed_in(county, "counsellor")
    form = county.client.get("/my/clients/c2/feedback", params={"lang": "fi"}, headers=HTML)
    assert form.status_code == 200
    assert "Kuinka tyytyväinen olet saamaasi palveluun?" in form.text
    assert form.text.count('type="radio"') == 3 * 6 + 12  # three 1-5 questions, one 0-10, each with "no answer"
    sent = county.client.post(
        "/my/clients/c2/feedback",
        data={"csrf": csrf(form.text), "q.satisfaction": "4", "q.recommend": "9", "q.benefit": "", "comment": "Hyvä"},
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/my/clients/c2/feedback?sent=true"
    (row,) = stored(county)
    assert (row.kind, row.group_id, row.answers, row.comment) == (
        "client",
        None,
        {"satisfaction": 4, "recommend": 9},
        "Hyvä",
    )
    thanks = county.client.get(sent.headers["location"], headers=HTML)
    assert 'id="sent"' in thanks.text


def test_the_questions_follow_the_page_language(county: County) -> None:
    signed_in(county, "counsellor")
    sv = county.client.get("/my/clients/c2/feedback", params={"lang": "sv"}, headers=HTML).text
    assert "Hur nöjd är du med tjänsten du fått?" in sv and "Inget svar" in sv


@pytest.mark.parametrize(("who", "client", "status"), [("other_counsellor", "c2", 403), ("counsellor", "c6", 403),
                                                       ("counsellor", "nobody", 404)])  # fmt: skip
def test_another_counsellors_client_is_refused(county: County, who: str, client: str, status: int) -> None:
    signed_in(county, who)
    assert county.client.get(f"/my/clients/{client}/feedback", headers=HTML).status_code == status


def test_an_off_scale_answer_is_refused_and_nothing_stored(county: County) -> None:
    signed_in(county, "counsellor")
    form = county.client.get("/my/clients/c2/feedback", params={"lang": "en"}, headers=HTML)
    sent = county.client.post("/my/clients/c2/feedback", data={"csrf": csrf(form.text), "q.satisfaction": "7"})
    assert sent.status_code == 422 and "not on this form" in sent.text
    empty = county.client.post("/my/clients/c2/feedback", data={"csrf": csrf(form.text)})
    assert empty.status_code == 422 and "at least one question" in empty.text
    assert stored(county) == []


def test_a_form_without_its_token_is_refused(county: County) -> None:
    signed_in(county, "counsellor")
    county.client.get("/my/clients/c2/feedback", headers=HTML)
    assert county.client.post("/my/clients/c2/feedback", data={"q.satisfaction": "4"}).status_code == 403
    assert stored(county) == []


def test_a_leader_fills_in_their_groups_forms_one_by_one(county: County) -> None:
    signed_in(county, "leader")
    form = county.client.get("/group/g1/feedback", params={"lang": "en"}, headers=HTML)
    assert form.status_code == 200 and "How satisfied are you" in form.text
    for value in ("5", "3"):
        sent = county.client.post("/group/g1/feedback", data={"csrf": csrf(form.text), "q.satisfaction": value})
        assert sent.status_code == 200 and 'id="sent"' in sent.text  # the redirect followed: a blank form again
    assert sorted(r.answers["satisfaction"] for r in stored(county)) == [3, 5]
    assert {(r.kind, r.group_id) for r in stored(county)} == {("group", "g1")}


@pytest.mark.parametrize(("who", "status"), [("other_leader", 403), ("counsellor", 403)])
def test_only_the_groups_leaders_open_its_form(county: County, who: str, status: int) -> None:
    signed_in(county, who)
    assert county.client.get("/group/g1/feedback", headers=HTML).status_code == status


def test_an_anonymous_visitor_signs_in_first(county: County) -> None:
    answer = county.client.get("/group/g1/feedback", headers=HTML, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/signin")


def test_my_clients_links_each_clients_form(county: County) -> None:
    signed_in(county, "counsellor")
    page = county.client.get("/my/clients", headers=HTML).text
    assert 'href="/my/clients/c2/feedback"' in page


@pytest.mark.parametrize(("who", "linked"), [("leader", True), ("other_leader", False), ("counsellor", False)])
def test_the_group_page_links_the_form_for_its_leaders(county: County, who: str, linked: bool) -> None:
    signed_in(county, who)
    page = county.client.get("/group/g1", headers=HTML)
    assert page.status_code == 200
    assert ('href="/group/g1/feedback"' in page.text) is linked
