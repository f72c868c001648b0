"""A blank text is no text: names and every other required text are trimmed and never empty.

A name of spaces, no-break spaces or zero-width characters is refused with a 422 naming
the field, so the public offering, its pages, feeds, recommendations and reservations
keep working; a blank name stored before the check shows the leader's id instead.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

from scheduler.storage.models import GroupRow, HubRow, StaffRow
from tests.api.conftest import Service, fitting_clients
from tests.api.test_resources import NEW_CLIENT, NEW_HUB, NEW_MODEL, faults, post

BLANKS = [" ", "\u00a0", "\u200b", "\u3000\ufeff\u2060", "\t"]
"""A space, a no-break space, a zero-width space, an ideographic space with invisible joiners, a tab."""


def a_leader(service: Service) -> str:
    with service.session() as session:
        leaders = session.scalars(select(GroupRow.leaders).where(GroupRow.status == "running")).first()
    assert leaders
    return str(leaders[0])


def assert_the_offering_answers(service: Service) -> None:
    """The public offering, its page, its feed, a recommendation and a reservation all answer."""
    client = service.client
    offering = client.get("/offering", params={"limit": 500})
    assert offering.status_code == 200, offering.text
    assert client.get("/").status_code == 200
    assert client.get("/calendars/offering.ics").status_code == 200
    profile = {"profile": {"home": {"lat": 60.25, "lon": 24.07}, "languages": ["fi"]}}
    assert client.post("/offering/recommend", json=profile).status_code == 200
    group = max(offering.json()["items"], key=lambda g: (g["free_seats"], g["id"]))
    seat = {"client_id": fitting_clients(service, group, 1, "blank")[0]}
    reserved = client.post(f"/groups/{group['id']}/enrollments", json=seat, headers=service.as_("counsellor"))
    assert reserved.status_code == 201, reserved.text


@pytest.mark.parametrize("blank", BLANKS)
def test_a_blank_staff_name_is_refused_and_the_offering_stays_up(service: Service, blank: str) -> None:
    leader = a_leader(service)
    answer = service.client.patch(f"/staff/{leader}", json={"name": blank}, headers=service.as_("coordinator"))
    assert "name" in faults(answer)
    with service.session() as session:
        assert (session.get(StaffRow, leader) or StaffRow()).name
    assert_the_offering_answers(service)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/hubs", {**NEW_HUB, "name": "\u00a0"}, "name"),
        ("/hubs", {**NEW_HUB, "municipality": " \u200b "}, "municipality"),
        ("/hubs", {**NEW_HUB, "id": "\u200b"}, "id"),
        ("/group-models", {**NEW_MODEL, "name": {"fi": "\u200b", "sv": "Testgrupp"}}, "name.fi"),
        ("/group-models", {**NEW_MODEL, "theme": "  "}, "theme"),
        ("/clients", {**NEW_CLIENT, "interests": ["nature", "\u00a0"]}, "interests[1]"),
    ],
)
def test_every_required_text_is_refused_blank_naming_its_field(
    service: Service, path: str, body: dict[str, Any], field: str
) -> None:
    named = faults(post(service, path, body))
    assert field in named and "blank" in named[field]


def test_texts_are_stored_trimmed(service: Service) -> None:
    created = post(service, "/hubs", {**NEW_HUB, "id": " lohja-testitalo\u200b", "name": "\u00a0Testitalo \u200b"})
    assert created.status_code == 201, created.text
    assert created.json()["id"] == "lohja-testitalo" and created.json()["name"] == "Testitalo"
    with service.session() as session:
        assert (session.get(HubRow, "lohja-testitalo") or HubRow()).name == "Testitalo"


def test_a_blank_name_stored_before_the_check_shows_the_leaders_id(service: Service) -> None:
    leader = a_leader(service)
    with service.session() as session:
        session.execute(update(StaffRow).where(StaffRow.id == leader).values(name="\u200b\u00a0\u200b"))
        session.commit()
    assert_the_offering_answers(service)
    offering = service.client.get("/offering", params={"limit": 500}).json()["items"]
    shown = {name for group in offering for name in group["leaders"]}
    assert leader in shown and not any(name.strip("\u200b\u00a0") == "" for name in shown)


def test_a_blank_required_text_stored_before_the_check_stops_planning_with_a_409_naming_it(service: Service) -> None:
    hub = service.problem.hubs[0].id
    with service.session() as session:
        session.execute(update(HubRow).where(HubRow.id == hub).values(municipality="\u200b"))
        session.commit()
    answer = service.client.post("/plans", json={"time_limit": 1}, headers=service.as_("coordinator"))
    assert answer.status_code == 409, answer.text
    assert f"hubs/{hub}.municipality" in answer.json()["detail"] and "blank" in answer.json()["detail"]
