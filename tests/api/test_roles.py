"""Who may do what: the public sees the offering only, staff see their own sessions."""

from __future__ import annotations

import pytest

from tests.api.conftest import Service


def test_the_public_offering_needs_no_token(service: Service) -> None:
    assert service.client.get("/offering").status_code == 200


def test_a_revoked_or_unknown_token_is_refused(service: Service) -> None:
    from scheduler.storage.models import ApiToken
    from scheduler.storage.tokens import revoke_token

    assert service.client.get("/me", headers={"Authorization": "Bearer tj_nothing"}).status_code == 401
    with service.session() as session:
        counsellor = session.query(ApiToken).filter_by(role="counsellor").one()
        revoke_token(session, counsellor.id)
        session.commit()
    assert service.client.get("/me", headers=service.as_("counsellor")).status_code == 401
    assert service.client.get("/me", headers=service.as_("coordinator")).json()["role"] == "coordinator"


def test_staff_see_only_the_sessions_they_lead(service: Service) -> None:
    me = service.client.get("/me", headers=service.as_("staff")).json()
    led = {g.id for g in service.plan.groups if me["staff_id"] in g.leaders}
    answer = service.client.get("/me/sessions", headers=service.as_("staff"))
    assert answer.status_code == 200
    groups = answer.json()["groups"]
    assert {g["id"] for g in groups} == led and all(len(g["next_sessions"]) > 3 for g in groups)
    assert not any(f'"{c.id}"' in answer.text for c in service.problem.clients)


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("counsellor", 403), ("coordinator", 403)])
def test_only_staff_have_sessions_of_their_own(service: Service, role: str, status: int) -> None:
    assert service.client.get("/me/sessions", headers=service.as_(role)).status_code == status
