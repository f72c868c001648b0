"""`DELETE /clients/{id}?erase=true`: a coordinator erases a client everywhere; the seats stay counted."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from scheduler.services.erasure import seat_history
from scheduler.services.planning.workflow import plan_run
from scheduler.storage.database import make_engine
from scheduler.storage.models import AuditEntry
from tests.api.conftest import Service, fitting_clients
from tests.database_dump import every_row
from tests.planning_stub import keep_and_open

HOME = {"home_lat": 60.4321987, "home_lon": 23.9876543}


def _everywhere(service: Service) -> tuple[str, str]:
    """A client seated by an idempotent reservation, with a home nobody shares, in a planning run."""
    items = service.client.get("/offering", params={"free_only": True, "limit": 500}).json()["items"]
    group = max(items, key=lambda g: (g["free_seats"], g["id"]))
    client = fitting_clients(service, group, 1, "erase-me-7q")[0]
    headers = {**service.as_("counsellor"), "Idempotency-Key": f"seat-for-{client}"}
    seat = service.client.post(f"/groups/{group['id']}/enrollments", json={"client_id": client}, headers=headers)
    assert seat.status_code == 201, seat.text
    moved = service.client.patch(f"/clients/{client}", json=HOME, headers=service.as_("coordinator"))
    assert moved.status_code == 200, moved.text
    with service.session() as session:
        plan_run(session, keep_and_open, actor="test")
        session.commit()
    return client, group["id"]


def _traces(service: Service, client: str) -> list[str]:
    engine = make_engine(service.url)
    try:
        text = every_row(engine)
    finally:
        engine.dispose()
    return [trace for trace in (client, repr(HOME["home_lat"]), repr(HOME["home_lon"])) if trace in text]


@pytest.mark.parametrize("kind", ["service", "pg_service"])
def test_a_coordinator_erases_a_client_everywhere(kind: str, request: pytest.FixtureRequest) -> None:
    service: Service = request.getfixturevalue(kind)
    client, group = _everywhere(service)
    assert len(_traces(service, client)) == 3
    with service.session() as session:
        before = seat_history(session)[group]
    free = service.client.get(f"/offering/{group}").json()["free_seats"]
    coordinator = service.as_("coordinator")
    answer = service.client.delete(f"/clients/{client}", params={"erase": "true"}, headers=coordinator)
    assert answer.status_code == 204, answer.text
    assert service.client.get(f"/clients/{client}", headers=coordinator).status_code == 404
    assert _traces(service, client) == []
    assert service.client.get(f"/offering/{group}").json()["free_seats"] == free + 1
    with service.session() as session:
        after = seat_history(session)[group]
        erased = session.scalars(select(AuditEntry).where(AuditEntry.action == "erase")).one()
    assert sum(after.values()) == sum(before.values())
    assert after.get("active", 0) == before["active"] - 1
    assert after.get("interrupted", 0) == before.get("interrupted", 0) + 1
    assert erased.entity_id is None and erased.detail["seats_removed"] == {group: {"interrupted": 1}}
    assert erased.detail["idempotency_keys_removed"] == 1 and erased.detail["runs_scrubbed"] >= 1


def test_a_plain_delete_of_a_client_with_seats_points_to_erasure(service: Service) -> None:
    client, _ = _everywhere(service)
    answer = service.client.delete(f"/clients/{client}", headers=service.as_("coordinator"))
    assert answer.status_code == 409
    assert f"DELETE /clients/{client}?erase=true" in answer.json()["detail"]


@pytest.mark.parametrize(("role", "status"), [("counsellor", 403), ("staff", 403), ("anonymous", 401)])
def test_only_a_coordinator_erases(service: Service, role: str, status: int) -> None:
    client, _ = _everywhere(service)
    answer = service.client.delete(f"/clients/{client}", params={"erase": "true"}, headers=service.as_(role))
    assert answer.status_code == status
    assert service.client.get(f"/clients/{client}", headers=service.as_("coordinator")).status_code == 200


def test_erasing_an_unknown_client_is_404(service: Service) -> None:
    answer = service.client.delete("/clients/nobody-here", params={"erase": "true"}, headers=service.as_("coordinator"))
    assert answer.status_code == 404 and "no client 'nobody-here'" in answer.json()["detail"]


def test_a_client_deleted_before_can_still_be_erased(service: Service) -> None:
    items = service.client.get("/offering", params={"limit": 1}).json()["items"]
    client = fitting_clients(service, items[0], 1, "erase-me-late")[0]
    coordinator = service.as_("coordinator")
    assert service.client.patch(f"/clients/{client}", json=HOME, headers=coordinator).status_code == 200
    with service.session() as session:
        plan_run(session, keep_and_open, actor="test")
        session.commit()
    assert service.client.delete(f"/clients/{client}", headers=coordinator).status_code == 204
    assert _traces(service, client) != []
    erased = service.client.delete(f"/clients/{client}", params={"erase": "true"}, headers=coordinator)
    assert erased.status_code == 204, erased.text
    assert _traces(service, client) == []
    again = service.client.delete(f"/clients/{client}", params={"erase": "true"}, headers=coordinator)
    assert again.status_code == 404
