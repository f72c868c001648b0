"""Coordinators manage the records behind the offering: life cycles, faults named by field,
conflicts that say what to do, role limits, and an audit entry for every change."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from scheduler.storage.models import ApiToken, AuditEntry, EnrollmentRow, GroupRow, TravelOverride
from scheduler.storage.tokens import create_token
from tests.api.conftest import Service

NEW_HUB: dict[str, Any] = {
    "id": "lohja-testitalo",
    "name": "Testitalo",
    "municipality": "Lohja",
    "lat": 60.25,
    "lon": 24.07,
    "address": "Testikatu 1",
}
WINDOW = {"day": "tue", "start": "09:00", "end": "15:00"}
NEW_ROOM: dict[str, Any] = {
    "id": "lohja-testitalo/sali",
    "hub_id": "lohja-testitalo",
    "name": "Sali",
    "capacity": 12,
    "accessible": True,
    "available": [WINDOW],
}
NEW_MODEL: dict[str, Any] = {
    "id": "testiryhma",
    "name": {"fi": "Testiryhmä", "sv": "Testgrupp"},
    "kind": "theme",
    "theme": "nature",
    "audience": "all",
    "modality": "in_person",
    "duration_minutes": 180,
    "min_size": 3,
    "max_size": 8,
    "languages": ["fi"],
    "required_skills": [],
}
NEW_CLIENT: dict[str, Any] = {
    "id": "c-test-1",
    "languages": ["fi"],
    "home_lat": 60.26,
    "home_lon": 24.08,
    "travel_mode": "transit",
    "max_travel_minutes": 45,
    "available": [WINDOW],
    "interests": ["nature"],
    "waiting_since": "2026-09-01",
}


def coordinator(service: Service) -> dict[str, str]:
    return service.as_("coordinator")


def post(service: Service, path: str, body: dict[str, Any], role: str = "coordinator") -> httpx.Response:
    return service.client.post(path, json=body, headers=service.as_(role))


def faults(answer: httpx.Response) -> dict[str, str]:
    """A 422 answer's faults by field."""
    assert answer.status_code == 422, answer.text
    return {item["field"]: item["message"] for item in answer.json()["errors"]}


def first_leader(service: Service) -> str:
    """The first staff member who may lead the new group (`new_group`): qualified, Finnish-speaking,
    available on Tuesday 10-13 and leading no group yet (the leader rules hold on a create)."""
    leading = {leader for group in service.plan.groups for leader in group.leaders}
    return next(
        s.id
        for s in service.problem.staff
        if s.qualified
        and "fi" in s.languages
        and s.id not in leading
        and any(w.day == "tue" and w.start <= "10:00" and "13:00" <= w.end for w in s.available)
    )


def new_group(service: Service, **changes: Any) -> dict[str, Any]:
    """An in-person group at the new room, run by a scenario staff member."""
    return {
        "id": "g-test",
        "template_id": "testiryhma",
        "modality": "in_person",
        "hub_id": "lohja-testitalo",
        "room_id": "lohja-testitalo/sali",
        "language": "fi",
        "day": "tue",
        "start": "10:00",
        "end": "13:00",
        "leaders": [first_leader(service)],
        **changes,
    }


def make_place_and_model(service: Service) -> None:
    for path, body in (("/hubs", NEW_HUB), ("/rooms", NEW_ROOM), ("/group-models", NEW_MODEL)):
        assert post(service, path, body).status_code == 201


def life_cycle_of_a_hub(service: Service) -> None:
    client, headers = service.client, coordinator(service)
    created = post(service, "/hubs", NEW_HUB)
    assert created.status_code == 201 and created.json() == NEW_HUB
    assert client.get("/hubs/lohja-testitalo", headers=headers).json()["name"] == "Testitalo"
    page = client.get("/hubs", params={"municipality": "Lohja", "limit": 1, "offset": 0}, headers=headers).json()
    lohja = [h for h in service.problem.hubs if h.municipality == "Lohja"]
    assert page["total"] == len(lohja) + 1 and len(page["items"]) == 1 and page["limit"] == 1
    everything = client.get("/hubs", params={"municipality": "Lohja", "limit": 500}, headers=headers).json()["items"]
    assert [h["id"] for h in everything] == sorted(h["id"] for h in everything)
    changed = client.patch("/hubs/lohja-testitalo", json={"name": "Uusi nimi", "address": None}, headers=headers)
    assert changed.status_code == 200 and changed.json() == {**NEW_HUB, "name": "Uusi nimi", "address": None}
    assert client.delete("/hubs/lohja-testitalo", headers=headers).status_code == 204
    assert client.get("/hubs/lohja-testitalo", headers=headers).status_code == 404


def test_a_hub_is_created_read_listed_changed_and_deleted(service: Service) -> None:
    life_cycle_of_a_hub(service)


def test_a_hub_life_cycle_on_postgresql(pg_service: Service) -> None:
    life_cycle_of_a_hub(pg_service)


def test_a_room_with_a_slash_in_its_id_has_a_life_cycle(service: Service) -> None:
    client, headers = service.client, coordinator(service)
    post(service, "/hubs", NEW_HUB)
    assert post(service, "/rooms", NEW_ROOM).status_code == 201
    assert client.get("/rooms/lohja-testitalo/sali", headers=headers).json()["capacity"] == 12
    accessible = client.get("/rooms", params={"hub_id": "lohja-testitalo", "accessible": True}, headers=headers)
    assert [r["id"] for r in accessible.json()["items"]] == ["lohja-testitalo/sali"]
    changed = client.patch("/rooms/lohja-testitalo/sali", json={"capacity": 8}, headers=headers).json()
    assert changed["capacity"] == 8 and changed["available"] == [WINDOW]
    assert client.delete("/rooms/lohja-testitalo/sali", headers=headers).status_code == 204
    assert client.get("/rooms/lohja-testitalo/sali", headers=headers).status_code == 404


def test_a_group_and_a_seat_have_a_life_cycle(service: Service) -> None:
    client, headers = service.client, coordinator(service)
    make_place_and_model(service)
    assert post(service, "/groups", new_group(service)).status_code == 201
    listed = client.get("/groups", params={"template_id": "testiryhma", "day": "tue"}, headers=headers).json()
    assert [g["id"] for g in listed["items"]] == ["g-test"] and listed["items"][0]["status"] == "running"
    assert post(service, "/clients", NEW_CLIENT).status_code == 201
    seat = post(service, "/enrollments", {"client_id": "c-test-1", "group_id": "g-test", "from_date": "2027-01-04"})
    assert seat.status_code == 201 and seat.json()["status"] == "active"
    number = seat.json()["id"]
    seats = client.get("/enrollments", params={"group_id": "g-test"}, headers=headers).json()
    assert seats["total"] == 1 and seats["items"][0]["id"] == number
    ended = client.patch(
        f"/enrollments/{number}", json={"status": "completed", "to_date": "2027-03-01"}, headers=headers
    )
    assert ended.status_code == 200 and ended.json()["to_date"] == "2027-03-01"
    assert client.patch("/groups/g-test", json={"status": "closed"}, headers=headers).json()["status"] == "closed"
    assert client.delete(f"/enrollments/{number}", headers=headers).status_code == 204
    assert client.get(f"/enrollments/{number}", headers=headers).status_code == 404
    assert client.delete("/groups/g-test", headers=headers).status_code == 204
    assert client.get("/groups/g-test", headers=headers).status_code == 404


def test_a_deleted_staff_member_takes_their_tokens(service: Service) -> None:
    hub = service.problem.hubs[0].id
    member = {"id": "s-test", "qualified": True, "languages": ["fi"], "base_hub": hub, "max_weekly_minutes": 600}
    assert faults(post(service, "/staff", {**member, "base_hub": "nowhere"})) == {"base_hub": "no hub 'nowhere'"}
    assert post(service, "/staff", member).status_code == 201
    with service.session() as session:
        create_token(session, "staff", "calendar", staff_id="s-test")
        session.commit()
    assert service.client.delete("/staff/s-test", headers=coordinator(service)).status_code == 204
    with service.session() as session:
        assert session.scalars(select(ApiToken).where(ApiToken.staff_id == "s-test")).all() == []
        deleted = session.scalars(select(AuditEntry).where(AuditEntry.entity == "staff", AuditEntry.action == "delete"))
        assert deleted.one().detail == {"tokens_removed": 1}


def test_closures_are_keyed_by_date_and_listed_between_dates(service: Service) -> None:
    client, headers = service.client, coordinator(service)
    assert post(service, "/closures", {"day": "2031-12-24", "reason": "jouluaatto"}).status_code == 201
    assert client.get("/closures/2031-12-24", headers=headers).json() == {"day": "2031-12-24", "reason": "jouluaatto"}
    between = client.get("/closures", params={"from": "2031-12-01", "to": "2031-12-31"}, headers=headers).json()
    assert [c["day"] for c in between["items"]] == ["2031-12-24"]
    assert client.patch("/closures/2031-12-24", json={"reason": None}, headers=headers).json()["reason"] is None
    assert client.delete("/closures/2031-12-24", headers=headers).status_code == 204
    assert client.get("/closures/2031-12-24", headers=headers).status_code == 404
    assert client.get("/closures/2031-02-30", headers=headers).status_code == 422


def test_staff_are_filtered_by_language_and_skill(service: Service) -> None:
    answer = service.client.get(
        "/staff", params={"language": "sv", "skill": "nature", "limit": 500}, headers=coordinator(service)
    ).json()
    expected = sorted(s.id for s in service.problem.staff if "sv" in s.languages and "nature" in s.skills)
    assert expected and [s["id"] for s in answer["items"]] == expected and answer["total"] == len(expected)
    second = service.client.get(
        "/staff", params={"language": "sv", "skill": "nature", "limit": 1, "offset": 1}, headers=coordinator(service)
    ).json()
    assert [s["id"] for s in second["items"]] == expected[1:2] and second["total"] == len(expected)


@pytest.mark.parametrize(
    ("path", "change"),
    [
        ("/hubs", {"name": "Uusi nimi"}),
        ("/rooms", {"capacity": 11}),
        ("/staff", {"max_weekly_minutes": 480}),
        ("/group-models", {"audience": "all"}),
        ("/clients", {"remote_ok": True}),
        ("/groups", {"pinned": False}),
        ("/enrollments", {"from_date": "2027-01-05"}),
        ("/closures", {"reason": "pyhäpäivä"}),
    ],
)
def test_imported_records_can_be_changed(service: Service, path: str, change: dict[str, Any]) -> None:
    first = service.client.get(path, params={"limit": 1}, headers=coordinator(service)).json()["items"][0]
    answer = service.client.patch(
        f"{path}/{first.get('id', first.get('day'))}", json=change, headers=coordinator(service)
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {**first, **change}


def test_an_unknown_or_repeated_filter_is_refused_rather_than_guessed(service: Service) -> None:
    answer = service.client.get("/hubs", params={"municipalty": "Lohja"}, headers=coordinator(service))
    assert "municipalty" in faults(answer)
    twice = service.client.get("/staff?skill=nature&skill=sport", headers=coordinator(service))
    assert faults(twice) == {"skill": "give this parameter once"}


def test_a_change_is_checked_as_a_whole_record(service: Service) -> None:
    post(service, "/group-models", NEW_MODEL)
    answer = service.client.patch("/group-models/testiryhma", json={"min_size": 9}, headers=coordinator(service))
    assert answer.status_code == 422 and "min_size 9 is above max_size 8" in answer.json()["detail"]
    assert faults(
        service.client.patch("/group-models/testiryhma", json={"theme": None}, headers=coordinator(service))
    ) == {"theme": "Input should be a valid string"}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/rooms", {**NEW_ROOM, "available": [{"day": "tue", "start": "25:00", "end": "26:00"}]}, "available[0].start"),
        ("/group-models", {**NEW_MODEL, "max_size": 11}, "max_size"),
        ("/rooms", {**NEW_ROOM, "hub_id": "no-such-hub"}, "hub_id"),
        ("/hubs", {**NEW_HUB, "name": "Testi\x00talo"}, "name"),
        ("/hubs", {**NEW_HUB, "id": "h" * 129}, "id"),
        ("/hubs", {**NEW_HUB, "lat": 91}, "lat"),
        ("/hubs", {**NEW_HUB, "colour": "red"}, "colour"),
        ("/clients", {**NEW_CLIENT, "max_groups_per_week": 2**31}, "max_groups_per_week"),
    ],
)
def test_a_bad_field_is_named_in_a_422(service: Service, path: str, body: dict[str, Any], field: str) -> None:
    post(service, "/hubs", NEW_HUB)
    named = faults(post(service, path, body))
    assert field in named
    assert "pattern" not in named[field]


def test_unknown_references_of_a_group_are_named(service: Service) -> None:
    make_place_and_model(service)
    remote_with_room = new_group(service, modality="remote", template_id="no-model", leaders=["nobody"])
    named = faults(post(service, "/groups", remote_with_room))
    assert named == {
        "template_id": "no group model 'no-model'",
        "leaders[0]": "no staff member 'nobody'",
        "hub_id": "a remote group meets in no hub and no room: leave it empty (null)",
        "room_id": "a remote group meets in no hub and no room: leave it empty (null)",
    }
    other_hub = service.problem.hubs[0].id
    assert faults(post(service, "/groups", new_group(service, hub_id=other_hub))) == {
        "room_id": f"room 'lohja-testitalo/sali' is in hub 'lohja-testitalo', not in '{other_hub}'"
    }
    assert "language" in faults(post(service, "/groups", new_group(service, language="sv")))
    assert "end" in faults(post(service, "/groups", new_group(service, end="09:00")))


def test_a_taken_id_is_a_409(service: Service) -> None:
    hub = service.problem.hubs[0]
    answer = post(service, "/hubs", {**NEW_HUB, "id": hub.id})
    assert answer.status_code == 409 and f"PATCH /hubs/{hub.id}" in answer.json()["detail"]
    assert post(service, "/closures", {"day": service.problem.closures[0].isoformat()}).status_code == 409


def test_a_hub_in_use_is_not_deleted(service: Service) -> None:
    hub = service.problem.hubs[0].id
    answer = service.client.delete(f"/hubs/{hub}", headers=coordinator(service))
    assert answer.status_code == 409 and "move or delete them first" in answer.json()["detail"]
    assert service.client.get(f"/hubs/{hub}", headers=coordinator(service)).status_code == 200


def test_a_group_model_with_groups_is_not_deleted(service: Service) -> None:
    template = service.plan.groups[0].template
    answer = service.client.delete(f"/group-models/{template}", headers=coordinator(service))
    assert answer.status_code == 409 and "run group model" in answer.json()["detail"]


def test_a_group_with_seats_is_neither_deleted_nor_closed(service: Service) -> None:
    group = next(g for g in service.plan.groups if g.participants)
    answer = service.client.delete(f"/groups/{group.id}", headers=coordinator(service))
    assert answer.status_code == 409 and "set its status to 'closed' instead" in answer.json()["detail"]
    closing = service.client.patch(f"/groups/{group.id}", json={"status": "closed"}, headers=coordinator(service))
    assert closing.status_code == 409 and "active seats" in closing.json()["detail"]
    with service.session() as session:
        seats = session.scalars(select(EnrollmentRow).where(EnrollmentRow.group_id == group.id)).all()
        assert len(seats) == len(group.participants) and session.get(GroupRow, group.id) is not None


def test_a_client_with_a_seat_keeps_it(service: Service) -> None:
    client = service.plan.groups[0].participants[0]
    assert service.client.delete(f"/clients/{client}", headers=coordinator(service)).status_code == 409
    leaving = service.client.patch(f"/clients/{client}", json={"in_service": False}, headers=coordinator(service))
    assert leaving.status_code == 409 and "end those seats" in leaving.json()["detail"]


def test_a_second_active_seat_in_one_group_is_a_409(service: Service) -> None:
    group = service.plan.groups[0]
    seat = {"client_id": group.participants[0], "group_id": group.id, "from_date": "2027-01-04"}
    answer = post(service, "/enrollments", seat)
    assert answer.status_code == 409 and "already has an active seat" in answer.json()["detail"]


def test_a_leader_is_not_deleted_and_a_deleted_hub_takes_its_travel_times(service: Service) -> None:
    leader = service.plan.groups[0].leaders[0]
    assert service.client.delete(f"/staff/{leader}", headers=coordinator(service)).status_code == 409
    post(service, "/hubs", NEW_HUB)
    with service.session() as session:
        session.add(TravelOverride(kind="hub", source="lohja-testitalo", hub_id=service.problem.hubs[0].id, minutes=9))
        session.commit()
    assert service.client.delete("/hubs/lohja-testitalo", headers=coordinator(service)).status_code == 204
    with service.session() as session:
        assert session.scalars(select(TravelOverride).where(TravelOverride.source == "lohja-testitalo")).all() == []
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "hub", AuditEntry.action == "delete"))
        assert entry.one().detail == {"travel_times_removed": 1}


def test_counsellors_read_and_create_clients_but_do_not_delete_them(service: Service) -> None:
    client = service.problem.clients[0].id
    reading = service.client.get(f"/clients/{client}", headers=service.as_("counsellor"))
    assert reading.status_code == 200 and reading.json()["id"] == client
    assert service.client.get("/groups", headers=service.as_("counsellor")).status_code == 200
    assert post(service, "/clients", NEW_CLIENT, role="counsellor").status_code == 201
    assert post(service, "/groups", {}, role="counsellor").status_code == 403
    assert service.client.delete(f"/clients/{client}", headers=service.as_("counsellor")).status_code == 403
    assert service.client.get("/staff", headers=service.as_("counsellor")).status_code == 403


def test_staff_tokens_and_the_public_see_no_records(service: Service) -> None:
    client = service.problem.clients[0].id
    assert service.client.get(f"/clients/{client}", headers=service.as_("staff")).status_code == 403
    assert service.client.get("/hubs", headers=service.as_("staff")).status_code == 403
    anonymous = service.client.get("/clients", headers=service.as_("anonymous"))
    assert anonymous.status_code == 401 and client not in anonymous.text
    assert post(service, "/hubs", NEW_HUB, role="anonymous").status_code == 401


def test_every_change_is_audited_with_its_fields(service: Service) -> None:
    post(service, "/hubs", NEW_HUB)
    service.client.patch("/hubs/lohja-testitalo", json={"lat": 60.3}, headers=coordinator(service))
    service.client.delete("/hubs/lohja-testitalo", headers=coordinator(service))
    with service.session() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity == "hub").order_by(AuditEntry.id)).all()
    assert [(e.action, e.entity_id, e.actor) for e in entries] == [
        (action, "lohja-testitalo", "coordinator:test coordinator") for action in ("create", "update", "delete")
    ]
    assert entries[1].detail == {"fields": ["lat"]}


def test_postgresql_answers_nul_and_overlong_text_with_a_422(pg_service: Service) -> None:
    headers = coordinator(pg_service)
    assert "name" in faults(post(pg_service, "/hubs", {**NEW_HUB, "name": "a\x00b"}))
    assert "municipality" in faults(post(pg_service, "/hubs", {**NEW_HUB, "municipality": "x" * 101}))
    assert "hub_id" in faults(pg_service.client.get("/rooms", params={"hub_id": "a\x00"}, headers=headers))
    assert pg_service.client.get("/hubs/a%00b", headers=headers).status_code == 422
    assert pg_service.client.get("/enrollments/99999999999", headers=headers).status_code == 422
    assert "capacity" in faults(
        pg_service.client.patch(
            f"/rooms/{pg_service.problem.hubs[0].rooms[0].id}", json={"capacity": 2**40}, headers=headers
        )
    )


def test_a_seat_made_by_hand_keeps_the_rules_and_the_capacity(service: Service) -> None:
    make_place_and_model(service)
    assert post(service, "/groups", new_group(service)).status_code == 201
    far = {**NEW_CLIENT, "id": "c-far", "home_lat": 60.2, "home_lon": 24.6}
    assert post(service, "/clients", far).status_code == 201
    refused = post(service, "/enrollments", {"client_id": "c-far", "group_id": "g-test", "from_date": "2027-01-04"})
    assert refused.status_code == 409 and "travel" in refused.json()["detail"]
    for number in range(5):  # one leader: four seats (five or more need two leaders)
        assert post(service, "/clients", {**NEW_CLIENT, "id": f"c-near-{number}"}).status_code == 201
        seat = post(
            service, "/enrollments", {"client_id": f"c-near-{number}", "group_id": "g-test", "from_date": "2027-01-04"}
        )
        assert seat.status_code == (201 if number < 4 else 409), seat.text
