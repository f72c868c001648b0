"""Counsellors own their clients: counsellor records, client service fields, ownership on every client route,
the alias only for the client's own counsellor, "my clients", the coordinator's list and leaders' aliases.

The application runs on a fixed day (`create_app(clock=...)`) in the scenario's term, over a copy of the
published scenario (whose clients have no counsellor: the shared queue) with two counsellors' clients added.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from scheduler.services.clock import FixedClock
from scheduler.settings import Settings
from scheduler.storage.models import ApiToken, AuditEntry, ClientRow, EnrollmentRow, GroupRow, OfferRow, WaitlistEntry
from scheduler.storage.tokens import create_token
from tests.api.conftest import Service
from tests.api.sign_in import sign_in

DAY = date(2027, 2, 3)
"""A Wednesday in the scenario's term."""

BASE: dict[str, Any] = {
    "languages": ["fi"],
    "home_lat": 60.25,
    "home_lon": 24.06,
    "travel_mode": "car",
    "max_travel_minutes": 60,
}
CLIENTS: dict[str, dict[str, Any]] = {
    # the decision ends within four weeks of DAY (an evaluation was held, the next falls after the end)
    "a-soon": {
        "case_opened": "2026-08-01",
        "decisions": [{"start": "2026-09-01", "end": "2027-02-20"}],
        "evaluations": ["2026-12-01"],
        "counsellor_id": "anna",
    },
    # the §45 deadline (2026-12-01) has passed with no decision
    "a-late": {"case_opened": "2026-09-01", "counsellor_id": "anna"},
    # nothing due: the deadline is ahead, the decision runs to June, the first evaluation is in April
    "a-fine": {
        "case_opened": "2026-12-15",
        "decisions": [{"start": "2027-01-01", "end": "2027-06-30"}],
        "counsellor_id": "anna",
        "alias": "Maija M.",
    },
    "b-one": {"waiting_since": "2026-10-01", "counsellor_id": "ben", "alias": "Bertil"},
}


@dataclass
class World:
    client: TestClient
    headers: dict[str, dict[str, str]]
    service: Service
    queue_client: str
    """A client of the scenario: no counsellor (the shared queue)."""

    def get(self, path: str, role: str, **params: Any) -> Any:
        return self.client.get(path, headers=self.headers[role], params=params)

    def post(self, path: str, role: str, body: Any) -> Any:
        return self.client.post(path, headers=self.headers[role], json=body)

    def patch(self, path: str, role: str, body: Any) -> Any:
        return self.client.patch(path, headers=self.headers[role], json=body)

    def delete(self, path: str, role: str) -> Any:
        return self.client.delete(path, headers=self.headers[role])


@pytest.fixture
def world(service: Service) -> Iterator[World]:
    app = create_app(Settings(database_url=service.url), clock=FixedClock.on(DAY))
    headers = {
        "coordinator": service.as_("coordinator"),
        "queue": service.as_("counsellor"),  # a counsellor token of no counsellor
        "staff": service.as_("staff"),
        "anonymous": {},
    }
    with TestClient(app, base_url="http://tarjotin.test") as client:
        for counsellor, name in (("anna", "Anna A."), ("ben", "Ben B.")):
            made = client.post("/counsellors", headers=headers["coordinator"], json={"id": counsellor, "name": name})
            assert made.status_code == 201, made.text
        with service.session() as session:
            for counsellor in ("anna", "ben"):
                _, token = create_token(session, "counsellor", f"{counsellor}'s phone", counsellor_id=counsellor)
                headers[counsellor] = {"Authorization": f"Bearer {token}"}
            session.commit()
        for ident, fields in CLIENTS.items():
            made = client.post("/clients", headers=headers["coordinator"], json={"id": ident, **BASE, **fields})
            assert made.status_code == 201, made.text
        yield World(client, headers, service, service.problem.clients[0].id)
    app.state.engine.dispose()


def _fields(answer: Any) -> dict[str, str]:
    assert answer.status_code == 422, answer.text
    return {e["field"]: e["message"] for e in answer.json()["errors"]}


# --- counsellors as records


def test_coordinators_keep_the_counsellors_and_counsellors_read_them(world: World) -> None:
    listed = world.get("/counsellors", "anna")
    assert listed.status_code == 200 and {c["id"] for c in listed.json()["items"]} == {"anna", "ben"}
    assert world.get("/counsellors/ben", "ben").json() == {"id": "ben", "name": "Ben B.", "email": None, "lang": "fi"}
    assert world.post("/counsellors", "anna", {"id": "cleo"}).status_code == 403
    assert world.patch("/counsellors/anna", "anna", {"name": "Anna"}).status_code == 403
    assert world.get("/counsellors", "staff").status_code == 403
    assert world.get("/counsellors", "anonymous").status_code == 401
    assert world.post("/counsellors", "coordinator", {"id": "anna"}).status_code == 409
    assert world.patch("/counsellors/anna", "coordinator", {"name": "Anna Aalto"}).json()["name"] == "Anna Aalto"
    assert world.post("/counsellors", "coordinator", {"id": "cleo", "name": "Cleo"}).status_code == 201
    assert world.delete("/counsellors/cleo", "coordinator").status_code == 204
    assert world.get("/counsellors/cleo", "coordinator").status_code == 404


def test_a_counsellor_with_clients_stays_until_they_are_reassigned(world: World) -> None:
    refused = world.delete("/counsellors/ben", "coordinator")
    assert refused.status_code == 409 and "reassign" in refused.json()["detail"] and "b-one" in refused.json()["detail"]
    assert world.patch("/clients/b-one", "coordinator", {"counsellor_id": "anna"}).status_code == 200
    assert world.delete("/counsellors/ben", "coordinator").status_code == 204
    with world.service.session() as session:
        assert session.scalars(select(ApiToken).where(ApiToken.counsellor_id == "ben")).all() == []
    assert world.get("/me", "ben").status_code == 401, "the counsellor's tokens went with them"


# --- client service fields and bad input


def test_a_client_carries_the_service_fields_and_dates(world: World) -> None:
    client = world.get("/clients/a-soon", "coordinator").json()
    assert client["case_opened"] == "2026-08-01" and client["waiting_since"] == "2026-08-01"
    assert client["decisions"] == [{"start": "2026-09-01", "end": "2027-02-20"}]
    assert client["evaluations"] == ["2026-12-01"] and client["counsellor_id"] == "anna"
    assert client["service"] == {
        "decision_due": "2026-11-01",
        "decision_overdue": False,
        "decision_end": "2027-02-20",
        "capped": False,
        "next_evaluation": None,
        "decision_ends_soon": True,
        "evaluation_due": False,
        "in_force": True,
    }
    late = world.get("/clients/a-late", "coordinator").json()["service"]
    assert late["decision_due"] == "2026-12-01" and late["decision_overdue"] is True and late["in_force"] is True


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"waiting_since": "2026-01-01", "decisions": [{"start": "2027-03-01", "end": "2027-02-01"}]},
         "decisions[0].end", "ends (2027-02-01) before it starts"),
        ({"waiting_since": "2026-01-01", "decisions": [{"start": "2027-01-01", "end": "2027-03-31"},
                                                       {"start": "2027-03-01", "end": "2027-06-30"}]},
         "decisions", "overlap"),
        ({"case_opened": "2027-01-10", "assessed": "2027-01-02"}, "assessed", "before the case opening"),
        ({"case_opened": "2027-01-10", "decisions": [{"start": "2027-01-01", "end": "2027-06-30"}]},
         "decisions", "before the case opening"),
        ({}, "waiting_since", "give waiting_since or case_opened"),
        ({"waiting_since": "2026-01-01", "counsellor_id": "nobody"}, "counsellor_id", "no counsellor 'nobody'"),
        ({"waiting_since": "2026-01-01", "alias": "x" * 101}, "alias", "at most 100"),
        ({"waiting_since": "2026-01-01", "alias": "   "}, "alias", ""),
        ({"waiting_since": "2026-01-01", "evaluations": ["1.2.2027"]}, "evaluations[0]", "YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_bad_service_fields_are_a_422_naming_the_field(
    world: World, fields: dict[str, Any], field: str, says: str
) -> None:
    errors = _fields(world.post("/clients", "coordinator", {"id": "bad", **BASE, **fields}))
    assert field in errors and says in errors[field], errors


def test_a_patch_is_checked_against_the_stored_client(world: World) -> None:
    errors = _fields(world.patch("/clients/a-fine", "coordinator", {"assessed": "2026-12-01"}))
    assert "before the case opening (2026-12-15)" in errors["assessed"]
    errors = _fields(
        world.patch("/clients/a-fine", "anna", {"decisions": [{"start": "2026-12-01", "end": "2027-01-31"}]})
    )
    assert "before the case opening" in errors["decisions"]


def test_new_decisions_move_the_end_of_the_clients_active_seats(world: World) -> None:
    with world.service.session() as session:
        group = session.scalars(select(GroupRow.id).where(GroupRow.status == "running")).first()
        seat = EnrollmentRow(client_id="a-fine", group_id=group, from_date=date(2027, 1, 11), to_date=date(2027, 6, 30))
        session.add(seat)
        session.commit()
        seat_id = seat.id
    continued = [{"start": "2027-01-01", "end": "2027-06-30"}, {"start": "2027-07-01", "end": "2027-12-31"}]
    answer = world.patch("/clients/a-fine", "anna", {"decisions": continued})
    assert answer.status_code == 200 and answer.json()["service"]["decision_end"] == "2027-12-31"
    with world.service.session() as session:
        assert session.get(EnrollmentRow, seat_id).to_date == date(2027, 12, 31)  # type: ignore[union-attr]


# --- ownership


def test_a_counsellor_lists_their_own_clients_and_the_queue_only(world: World) -> None:
    anna = {c["id"] for c in world.get("/clients", "anna", limit=500).json()["items"]}
    assert {"a-soon", "a-late", "a-fine", world.queue_client} <= anna and "b-one" not in anna
    ben = {c["id"] for c in world.get("/clients", "ben", limit=500).json()["items"]}
    assert "b-one" in ben and not ben & {"a-soon", "a-late", "a-fine"}
    queue = world.get("/clients", "queue", limit=500).json()
    assert world.queue_client in {c["id"] for c in queue["items"]}
    assert not {c["id"] for c in queue["items"]} & set(CLIENTS)
    everyone = world.get("/clients", "coordinator", limit=500).json()["total"]
    assert queue["total"] == everyone - len(CLIENTS)
    assert {c["id"] for c in world.get("/clients", "coordinator", counsellor_id="anna").json()["items"]} == {
        "a-soon", "a-late", "a-fine"
    }  # fmt: skip


@pytest.mark.parametrize(("role", "status"), [("anna", 200), ("coordinator", 200), ("ben", 403), ("queue", 403),
                                               ("staff", 403), ("anonymous", 401)])  # fmt: skip
def test_reading_a_client_is_for_those_who_handle_them(world: World, role: str, status: int) -> None:
    assert world.get("/clients/a-fine", role).status_code == status


def test_the_alias_is_shown_only_to_the_clients_own_counsellor(world: World) -> None:
    assert world.get("/clients/a-fine", "anna").json()["alias"] == "Maija M."
    assert world.get("/clients/a-fine", "coordinator").json()["alias"] is None
    assert world.get("/clients/b-one", "ben").json()["alias"] == "Bertil"
    listed = world.get("/clients", "anna", limit=500).json()["items"]
    assert next(c for c in listed if c["id"] == "a-fine")["alias"] == "Maija M."
    assert "Maija" not in world.get("/clients", "coordinator", limit=500).text
    assert "Bertil" not in world.get("/clients", "anna", limit=500).text
    # a queue client's alias: nobody's own client, so nobody sees it (not even a token of no counsellor)
    assert world.patch(f"/clients/{world.queue_client}", "coordinator", {"alias": "Quentin"}).status_code == 200
    for role in ("anna", "queue", "coordinator"):
        assert world.get(f"/clients/{world.queue_client}", role).json()["alias"] is None
    with world.service.session() as session:
        logged = session.scalars(select(AuditEntry.detail).where(AuditEntry.entity == "client")).all()
    assert not any("Maija" in str(detail) or "Quentin" in str(detail) for detail in logged)
    assert "Maija" not in world.client.get("/offering", params={"limit": 500}).text


def test_a_counsellors_new_client_is_theirs(world: World) -> None:
    made = world.post("/clients", "anna", {"id": "a-new", **BASE, "case_opened": "2027-01-20", "alias": "Uusi"})
    assert made.status_code == 201 and made.json()["counsellor_id"] == "anna" and made.json()["alias"] == "Uusi"
    assert made.json()["waiting_since"] == "2027-01-20"
    assert world.post("/clients", "anna", {"id": "a-ben", **BASE, "waiting_since": "2027-01-20",
                                           "counsellor_id": "ben"}).status_code == 403  # fmt: skip
    queued = world.post("/clients", "queue", {"id": "q-new", **BASE, "waiting_since": "2027-01-20"})
    assert queued.status_code == 201 and queued.json()["counsellor_id"] is None
    assert world.post("/clients", "staff", {"id": "s-new", **BASE, "waiting_since": "2027-01-20"}).status_code == 403


def test_a_counsellor_edits_their_own_clients_and_only_a_coordinator_reassigns(world: World) -> None:
    assert world.patch("/clients/a-fine", "anna", {"interests": ["nature"]}).status_code == 200
    refused = world.patch("/clients/a-fine", "anna", {"counsellor_id": "ben"})
    assert refused.status_code == 403 and "coordinator" in refused.json()["detail"]
    assert world.patch("/clients/a-fine", "anna", {"counsellor_id": None}).status_code == 403
    assert world.patch("/clients/b-one", "anna", {"interests": ["nature"]}).status_code == 403
    assert (
        world.patch(f"/clients/{world.queue_client}", "anna", {"counsellor_id": "anna"}).json()["counsellor_id"]
        == "anna"
    )
    assert world.get(f"/clients/{world.queue_client}", "ben").status_code == 403, "taken from the queue by anna"
    assert world.patch("/clients/a-fine", "coordinator", {"counsellor_id": "ben"}).json()["counsellor_id"] == "ben"
    assert world.delete("/clients/a-late", "anna").status_code == 403
    assert world.delete("/clients/a-late", "coordinator").status_code == 204


def test_seats_are_shown_to_those_who_handle_the_client(world: World) -> None:
    with world.service.session() as session:
        group = session.scalars(select(GroupRow.id).where(GroupRow.status == "running")).first()
        seat = EnrollmentRow(client_id="b-one", group_id=group, from_date=DAY)
        session.add(seat)
        session.commit()
        seat_id = seat.id
    anna = world.get("/enrollments", "anna", limit=500).json()
    assert "b-one" not in {s["client_id"] for s in anna["items"]}
    assert world.get(f"/enrollments/{seat_id}", "anna").status_code == 403
    assert world.get(f"/enrollments/{seat_id}", "ben").json()["client_id"] == "b-one"
    assert "b-one" in {s["client_id"] for s in world.get("/enrollments", "coordinator", limit=500).json()["items"]}


def test_reservations_are_for_the_counsellors_own_clients(world: World) -> None:
    with world.service.session() as session:
        group = session.scalars(select(GroupRow.id).where(GroupRow.status == "running").order_by(GroupRow.id)).first()
        for client in ("b-one", "a-fine", world.queue_client):
            session.add(WaitlistEntry(group_id=group, client_id=client))
        session.commit()
    for path, body in (
        (f"/groups/{group}/enrollments", {"client_id": "b-one"}),
        (f"/groups/{group}/waitlist", {"client_id": "b-one"}),
    ):
        refused = world.post(path, "anna", body)
        assert refused.status_code == 403 and "another responsible counsellor" in refused.json()["detail"]
    assert world.delete(f"/groups/{group}/enrollments/b-one", "anna").status_code == 403
    listed = world.get(f"/groups/{group}/waitlist", "anna").json()
    assert "b-one" not in listed["waiting"] and {"a-fine", world.queue_client} <= set(listed["waiting"])
    assert listed["others"] == 1
    assert set(world.get(f"/groups/{group}/waitlist", "coordinator").json()["waiting"]) >= {"b-one", "a-fine"}


def test_recommendations_for_another_counsellors_client_are_refused(world: World) -> None:
    assert world.post("/offering/recommend", "anna", {"client_id": "b-one"}).status_code == 403
    assert world.post("/offering/recommend", "anna", {"client_id": "a-fine"}).status_code == 200
    assert world.post("/offering/recommend", "coordinator", {"client_id": "b-one"}).status_code == 200


def test_the_coordinator_filters_the_clients_needing_attention(world: World) -> None:
    needing = {c["id"] for c in world.get("/clients", "coordinator", attention="true", limit=500).json()["items"]}
    assert {"a-soon", "a-late"} <= needing and not needing & {"a-fine", "b-one"}
    calm = {c["id"] for c in world.get("/clients", "coordinator", attention="false", limit=500).json()["items"]}
    assert {"a-fine", "b-one"} <= calm and not calm & {"a-soon", "a-late"}
    assert {c["id"] for c in world.get("/clients", "ben", attention="true", limit=500).json()["items"]} & {
        "a-soon", "a-late"
    } == set()  # fmt: skip


# --- my clients


def test_my_clients_lists_each_own_client_with_status_dates_and_flags(world: World) -> None:
    with world.service.session() as session:
        groups = list(session.scalars(select(GroupRow.id).where(GroupRow.status == "running").order_by(GroupRow.id)))
        session.add(
            EnrollmentRow(
                client_id="a-soon", group_id=groups[0], from_date=date(2027, 1, 11), to_date=date(2027, 2, 20)
            )
        )
        session.add(OfferRow(client_id="a-fine", group_id=groups[1], status="pending", made_on=DAY,
                             starts_on=date(2027, 2, 10), reply_by=date(2027, 2, 10)))  # fmt: skip
        session.commit()
    answer = world.get("/me/clients", "anna")
    assert answer.status_code == 200
    mine = answer.json()
    assert mine["counsellor_id"] == "anna"
    assert [c["id"] for c in mine["clients"]] == ["a-soon", "a-late", "a-fine"], (
        "attention first, longest waiting first"
    )
    soon, late, fine = mine["clients"]
    assert soon["status"] == "seated" and soon["attention"] == ["decision_ends_soon"]
    assert soon["seats"][0]["group_id"] == groups[0] and soon["seats"][0]["to_date"] == "2027-02-20"
    assert soon["next_session"] is not None and soon["next_session"] >= DAY.isoformat()
    assert soon["decision_end"] == "2027-02-20" and soon["waiting_since"] == "2026-08-01"
    assert late["status"] == "waiting" and late["attention"] == ["decision_overdue"]
    assert late["deadline_past"] is True and late["decision_due"] == "2026-12-01"
    assert fine["status"] == "offered" and fine["alias"] == "Maija M." and fine["attention"] == []
    assert fine["offers"] == [{"id": fine["offers"][0]["id"], "group_id": groups[1], "starts_on": "2027-02-10",
                               "reply_by": "2027-02-10"}]  # fmt: skip
    assert fine["next_evaluation"] == "2027-04-01" and fine["deadline_past"] is False
    assert world.queue_client in {c["id"] for c in mine["queue"]} and all(c["queue"] for c in mine["queue"])
    assert all(c["alias"] is None for c in mine["queue"])
    assert mine["others"] == {"clients": 1, "waiting": 1, "seated": 0}
    assert "b-one" not in answer.text and "Bertil" not in answer.text


@pytest.mark.parametrize(("role", "status"), [("coordinator", 403), ("staff", 403), ("anonymous", 401)])
def test_my_clients_is_a_counsellors(world: World, role: str, status: int) -> None:
    assert world.get("/me/clients", role).status_code == status


def test_a_token_of_no_counsellor_has_the_queue_and_counts_only(world: World) -> None:
    mine = world.get("/me/clients", "queue").json()
    assert mine["clients"] == [] and world.queue_client in {c["id"] for c in mine["queue"]}
    assert mine["others"]["clients"] == len(CLIENTS)


# --- leaders see aliases


def test_leaders_see_their_participants_aliases_never_their_ids(world: World) -> None:
    me = world.get("/me", "staff").json()
    with world.service.session() as session:
        led = [g for g in session.scalars(select(GroupRow).where(GroupRow.status == "running").order_by(GroupRow.id))
               if me["staff_id"] in g.leaders]  # fmt: skip
        seated = session.scalars(
            select(EnrollmentRow).where(EnrollmentRow.group_id == led[0].id, EnrollmentRow.status == "active")
        ).all()
        assert seated, "the scenario's plan seats clients in the leader's group"
        session.get(ClientRow, seated[0].client_id).alias = "Pia P."  # type: ignore[union-attr]
        session.commit()
        ids = {s.client_id for s in seated}
    answer = world.get("/me/sessions", "staff")
    names = {p["group_id"]: p["names"] for p in answer.json()["participants"]}
    assert set(names) == {g.id for g in led}
    assert "Pia P." in names[led[0].id] and len(names[led[0].id]) == len(seated)
    assert any(n.startswith("participant ") for n in names[led[0].id]) == (len(seated) > 1)
    assert not any(f'"{client}"' in answer.text for client in ids)


# --- pages over HTTP (the browser test is tests/pages/test_my_clients_browser.py)


def _signed_in(world: World, role: str) -> TestClient:
    sign_in(world.client, world.headers[role]["Authorization"].split()[1])
    return world.client


def test_the_my_clients_page_shows_attention_first(world: World) -> None:
    page = _signed_in(world, "anna").get("/my/clients", params={"lang": "en"})
    assert page.status_code == 200
    html = page.text
    attention, rest = html.split('id="attention-list"')[1].split('id="my-list"')
    assert "a-late" in attention and "a-soon" in attention and "a-fine" not in attention
    assert "Maija M." in rest and "The §45 deadline has passed with no decision" in attention
    assert "b-one" not in html and "Bertil" not in html
    assert 'href="/my/clients"' in html and 'href="/my/offers"' in html
    assert "Clients: 1 (waiting 1, in a group 0)." in html
    finnish = world.client.get("/my/clients", params={"lang": "fi"}).text
    assert "Omat asiakkaat" in finnish


def test_the_coordinators_clients_page_flags_the_deadline_and_never_the_alias(world: World) -> None:
    client = _signed_in(world, "coordinator")
    html = client.get("/week/clients", params={"lang": "en"}).text
    row = html.split('id="row-a-late"')[1].split("</tr>")[0]
    assert "past" in row and "Anna A." in row
    assert "Maija" not in html and "Bertil" not in html
    only = client.get("/week/clients", params={"attention": "true"}).text
    assert 'id="row-a-late"' in only and 'id="row-a-soon"' in only and 'id="row-a-fine"' not in only
    assert client.get("/my/clients").status_code == 403


def test_the_clients_pages_keep_their_roles(world: World) -> None:
    assert world.client.get("/my/clients", follow_redirects=False).status_code == 303
    assert _signed_in(world, "anna").get("/week/clients").status_code == 403
    assert world.client.get("/find", params={"client": "b-one"}).status_code == 403
    assert world.client.get("/find", params={"client": "a-fine"}).status_code == 200
