"""Recommendations: suitable groups with a free seat, best first, why they fit, why none does."""

from __future__ import annotations

from scheduler.contract import REASON_CODES
from scheduler.contract.reasons import CAPACITY, CLIENT_FIT, CLOSED, DECISION
from tests.api.conftest import Service, fitting_clients


def test_a_stored_client_gets_suitable_groups_with_why(service: Service) -> None:
    target = max(
        service.client.get("/offering", params={"free_only": True}).json()["items"], key=lambda g: g["free_seats"]
    )
    client = fitting_clients(service, target, 1, "newcomer")[0]
    answer = service.client.post(
        "/offering/recommend", json={"client_id": client, "limit": 50}, headers=service.as_("counsellor")
    )
    assert answer.status_code == 200, answer.text
    options = answer.json()["options"]
    assert target["id"] in [o["group"]["id"] for o in options]
    for option in options:
        group, codes = option["group"], [w["code"] for w in option["why"]]
        # a published group has its leaders: why it fits is a decision, every client-fit part, that it takes
        # new joiners, then a free seat
        assert codes == [DECISION, *CLIENT_FIT, CLOSED, CAPACITY] and group["free_seats"] > 0
        assert group["language"] == target["language"] and group["theme"] == target["theme"]
        assert group["day"] == target["day"] and option["travel_minutes"] <= 120


def test_the_planner_left_no_waiting_client_a_suitable_free_seat(service: Service) -> None:
    """A cross-check of matching against the solver: it would have seated anyone a free seat suits."""
    for unplaced in service.plan.unassigned:
        answer = service.client.post(
            "/offering/recommend", json={"client_id": unplaced.client}, headers=service.as_("counsellor")
        ).json()
        assert answer["options"] == [] and answer["reasons"][0]["code"] in REASON_CODES


def test_a_client_with_no_decision_in_force_is_told_decision(service: Service) -> None:
    """The scenario's few clients whose decision ended, was capped or starts after the term: matching
    agrees with the planner's reason."""
    left = [u.client for u in service.plan.unassigned if u.reasons[0].code == DECISION]
    assert left
    for client_id in left:
        answer = service.client.post(
            "/offering/recommend", json={"client_id": client_id}, headers=service.as_("counsellor")
        ).json()
        assert answer["options"] == [] and answer["reasons"][0]["code"] == DECISION, answer["reasons"]


def test_a_client_at_their_weekly_limit_is_told_so(service: Service) -> None:
    seated = next(p for g in service.plan.groups for p in g.participants)
    client = next(c for c in service.problem.clients if c.id == seated)
    assert client.max_groups_per_week == 1
    answer = service.client.post("/offering/recommend", json={"client_id": seated}, headers=service.as_("counsellor"))
    body = answer.json()
    assert body["options"] == [] and body["reasons"][0]["code"] in ("availability", "interest", "language", "travel")


def test_at_least_two_options_whenever_two_exist(service: Service) -> None:
    profile = {"languages": ["fi", "sv"], "remote_ok": True, "max_travel_minutes": 600, "audiences": ["youth"]}
    every = service.client.post("/offering/recommend", json={"profile": profile, "limit": 50}).json()["options"]
    assert len(every) >= 2
    two = service.client.post("/offering/recommend", json={"profile": profile, "limit": 2}).json()["options"]
    assert [o["group"]["id"] for o in two] == [o["group"]["id"] for o in every[:2]]
    assert service.client.post("/offering/recommend", json={"profile": profile, "limit": 1}).status_code == 422


def test_best_first_means_their_first_interest_then_the_shortest_trip(service: Service) -> None:
    home = {"lat": 60.249, "lon": 24.065}  # Lohja
    themes = sorted({t.theme for t in service.problem.templates})
    profile = {
        "languages": ["fi"],
        "home": home,
        "max_travel_minutes": 600,
        "travel_mode": "car",
        "interests": themes,
        "audiences": ["youth", "immigrants", "men", "women"],
        "remote_ok": True,
    }
    options = service.client.post("/offering/recommend", json={"profile": profile, "limit": 50}).json()["options"]
    keys = [(themes.index(o["group"]["theme"]), o["travel_minutes"]) for o in options]
    assert keys == sorted(keys)


def test_no_fit_gives_the_solver_reason_code(service: Service) -> None:
    answer = service.client.post("/offering/recommend", json={"profile": {"languages": ["et"]}})
    assert answer.status_code == 200
    body = answer.json()
    assert body["options"] == [] and [r["code"] for r in body["reasons"]] == ["language"]
    far = {"languages": ["fi"], "home": {"lat": 68.0, "lon": 27.0}, "max_travel_minutes": 30}
    reasons = service.client.post("/offering/recommend", json={"profile": far}).json()["reasons"]
    assert [r["code"] for r in reasons] in (["travel"], ["remote"])


def test_recommending_for_a_stored_client_needs_a_counsellor(service: Service) -> None:
    client = service.problem.clients[0].id
    assert service.client.post("/offering/recommend", json={"client_id": client}).status_code == 401
    staff = service.client.post("/offering/recommend", json={"client_id": client}, headers=service.as_("staff"))
    assert staff.status_code == 403
    assert (
        service.client.post(
            "/offering/recommend", json={"client_id": "nobody"}, headers=service.as_("coordinator")
        ).status_code
        == 404
    )


def test_give_a_client_or_a_profile(service: Service) -> None:
    answer = service.client.post("/offering/recommend", json={})
    assert answer.status_code == 422 and "client_id or profile" in answer.json()["detail"]
    bad = service.client.post("/offering/recommend", json={"profile": {"languages": ["fi"], "home": {"lat": 99}}})
    assert bad.status_code == 422 and "profile.home.lat" in bad.json()["detail"]
