"""The live offering: published groups, filters, free seats that move with reservations."""

from __future__ import annotations

from tests.api.conftest import Service


def test_offering_lists_every_published_group_without_client_ids(service: Service) -> None:
    answer = service.client.get("/offering", params={"limit": 500})
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"] == len(service.plan.groups)
    text = answer.text
    assert not any(f'"{c.id}"' in text for c in service.problem.clients)
    group = body["items"][0]
    assert set(group["name"]) >= {"fi", "sv"} and group["next_sessions"] and group["capacity"] >= 3


def test_filters_narrow_the_offering(service: Service) -> None:
    every = service.client.get("/offering", params={"limit": 500}).json()["items"]
    swedish = service.client.get("/offering", params={"language": "sv", "limit": 500}).json()["items"]
    assert swedish and all(g["language"] == "sv" for g in swedish)
    assert len(swedish) == sum(g["language"] == "sv" for g in every)
    town = every[0]["place"]["municipality"]
    local = service.client.get("/offering", params={"municipality": town, "day": every[0]["day"]}).json()["items"]
    assert local and all(g["place"]["municipality"] == town and g["day"] == every[0]["day"] for g in local)


def test_within_minutes_of_a_point(service: Service) -> None:
    hub = next(g["place"] for g in service.client.get("/offering").json()["items"] if g["place"])
    near = service.client.get(
        "/offering", params={"near_lat": hub["lat"], "near_lon": hub["lon"], "within_minutes": 10, "limit": 500}
    ).json()["items"]
    assert near and all(g["travel_minutes"] <= 10 for g in near)
    assert any(g["place"] and g["place"]["hub_id"] == hub["hub_id"] for g in near)


def test_a_point_needs_both_coordinates(service: Service) -> None:
    answer = service.client.get("/offering", params={"near_lat": 60.2, "within_minutes": 30})
    assert answer.status_code == 422
    assert "near_lon" in answer.json()["detail"]


def test_a_misspelt_filter_is_refused_not_ignored(service: Service) -> None:
    answer = service.client.get("/offering", params={"langauge": "sv"})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "langauge"
