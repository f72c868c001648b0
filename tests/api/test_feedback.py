# ruff: noqa: F811 - the `county` fixture is imported and then taken as a parameter
"""Feedback routes: the question list, the group and client forms, their role rules and checks, anonymity."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from scheduler.storage.models import AuditEntry, FeedbackRow
from tests.figures_app import TODAY, County, county  # noqa: F401 - the fixture

FORM = {"answers": {"satisfaction": 5, "recommend": 10}, "comment": "Kiitos"}


def _forms(county: County) -> list[FeedbackRow]:
    with county.session() as session:
        return list(session.scalars(select(FeedbackRow).where(FeedbackRow.given_on == TODAY)))


@pytest.mark.parametrize(
    ("who", "status"),
    [("leader", 201), ("coordinator", 201), ("other_leader", 403), ("counsellor", 403), ("anonymous", 401)],
)
def test_only_the_groups_leaders_and_coordinators_give_group_feedback(county: County, who: str, status: int) -> None:
    answer = county.client.post("/groups/g1/feedback", json=FORM, headers=county.as_(who))
    assert answer.status_code == status, answer.text
    stored = _forms(county)
    assert len(stored) == (1 if status == 201 else 0)
    if stored:
        assert (stored[0].kind, stored[0].group_id, stored[0].answers) == ("group", "g1", FORM["answers"])
        assert answer.json() == {"kind": "group", "given_on": TODAY.isoformat(), "answered": 2}


@pytest.mark.parametrize(
    ("who", "status"),
    [("counsellor", 201), ("coordinator", 201), ("other_counsellor", 403), ("leader", 403), ("anonymous", 401)],
)
def test_only_the_clients_counsellor_and_coordinators_give_client_feedback(
    county: County, who: str, status: int
) -> None:
    answer = county.client.post("/clients/c2/feedback", json=FORM, headers=county.as_(who))
    assert answer.status_code == status, answer.text
    assert len(_forms(county)) == (1 if status == 201 else 0)


def test_a_client_form_names_no_client_anywhere(county: County) -> None:
    answer = county.client.post("/clients/c2/feedback", json=FORM, headers=county.as_("counsellor"))
    assert answer.status_code == 201
    assert "c2" not in answer.text and "id" not in answer.json()
    (form,) = _forms(county)
    assert (form.kind, form.group_id) == ("client", None)
    assert "c2" not in repr([form.given_by, form.answers, form.comment])
    with county.session() as session:
        audit = list(session.scalars(select(AuditEntry)))
    assert not [e for e in audit if "c2" in repr([e.entity_id, e.detail, e.note]) or "feedback" in e.entity]


def test_unknown_group_or_client_is_a_404(county: County) -> None:
    assert county.client.post("/groups/nope/feedback", json=FORM, headers=county.as_("coordinator")).status_code == 404
    assert county.client.post("/clients/nope/feedback", json=FORM, headers=county.as_("coordinator")).status_code == 404


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"answers": {"satisfaction": 6}}, ["answers.satisfaction"]),
        ({"answers": {"recommend": 11, "benefit": 0}}, ["answers.recommend", "answers.benefit"]),
        ({"answers": {"hunch": 3}}, ["answers.hunch"]),
        ({"answers": {"satisfaction": "5"}}, ["answers.satisfaction"]),
        ({"answers": {"satisfaction": True}}, ["answers.satisfaction"]),
        ({"answers": {}}, ["answers"]),
        ({"answers": {"satisfaction": 3}, "comment": "x" * 2001}, ["comment"]),
        ({"answers": {"satisfaction": 3}, "mood": "ok"}, ["mood"]),
    ],
)
def test_answers_off_the_form_are_a_422_naming_each(county: County, body: dict[str, Any], fields: list[str]) -> None:
    answer = county.client.post("/groups/g1/feedback", json=body, headers=county.as_("coordinator"))
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == fields
    assert _forms(county) == []


def test_a_comment_alone_is_a_form(county: County) -> None:
    answer = county.client.post("/groups/g1/feedback", json={"comment": "Hyvä"}, headers=county.as_("leader"))
    assert answer.status_code == 201 and answer.json()["answered"] == 0


def test_the_county_sets_its_own_questions(county: County) -> None:
    coordinator = county.as_("coordinator")
    defaults = county.client.get("/feedback/questions", headers=coordinator).json()["questions"]
    assert [q["id"] for q in defaults] == ["satisfaction", "commitment", "benefit", "recommend"]
    mine = [
        {"id": "safety", "kinds": ["client"], "scale": "1-5", "text": {"fi": "Turvallinen?", "sv": "Trygg?"}},
        {"id": "recommend", "scale": "0-10", "text": {"fi": "Suosittelisitko?"}},
    ]
    saved = county.client.put("/feedback/questions", json={"questions": mine}, headers=coordinator)
    assert saved.status_code == 200, saved.text
    assert [q["id"] for q in county.client.get("/feedback/questions", headers=coordinator).json()["questions"]] == [
        "safety",
        "recommend",
    ]
    # a group form no longer asks about safety (a client question) nor satisfaction (removed)
    refused = county.client.post(
        "/groups/g1/feedback", json={"answers": {"safety": 4, "satisfaction": 4}}, headers=coordinator
    )
    assert [e["field"] for e in refused.json()["errors"]] == ["answers.safety", "answers.satisfaction"]
    assert (
        county.client.post("/clients/c2/feedback", json={"answers": {"safety": 4}}, headers=coordinator).status_code
        == 201
    )
    figures = county.client.get(
        "/reports/county", params={"from": "2027-02-01", "to": "2027-02-28"}, headers=coordinator
    )
    questions = {q["id"]: q for q in figures.json()["feedback"]["questions"]}
    assert (questions["safety"]["answers"], questions["satisfaction"]["answers"]) == (1, 3)  # old answers stay
    assert not questions["satisfaction"]["current"]


@pytest.mark.parametrize(
    ("questions", "field"),
    [
        ([{"id": "a", "scale": "1-7", "text": {"fi": "?"}}], "questions[0].scale"),
        ([{"id": "a", "text": {"sv": "?"}}], "questions[0].text.fi"),
        ([{"id": "a", "text": {"fi": "?"}}, {"id": "a", "text": {"fi": "!"}}], "questions[1].id"),
        ([{"id": "a", "kinds": [], "text": {"fi": "?"}}], "questions[0].kinds"),
        ([], "questions"),
    ],
)
def test_a_bad_question_list_is_a_422_naming_the_field(county: County, questions: list[Any], field: str) -> None:
    answer = county.client.put("/feedback/questions", json={"questions": questions}, headers=county.as_("coordinator"))
    assert answer.status_code == 422
    assert field in [e["field"] for e in answer.json()["errors"]]


@pytest.mark.parametrize("who", ["counsellor", "leader"])
def test_only_coordinators_see_or_set_the_questions(county: County, who: str) -> None:
    assert county.client.get("/feedback/questions", headers=county.as_(who)).status_code == 403
    assert county.client.put("/feedback/questions", json={"questions": []}, headers=county.as_(who)).status_code == 403
