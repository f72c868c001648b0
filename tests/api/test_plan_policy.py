"""A run's planning policy over HTTP: chosen in `POST /plans`, stored with the run, shown on its draft with the
shape of its groups and the shape before and after; a bad policy field is a 422 naming it."""

from __future__ import annotations

from scheduler.contract import plan_shape
from tests.api.conftest import Service
from tests.api.test_plans import finished, poll, start


def test_the_chosen_policy_is_stored_with_the_run_and_shown_on_its_draft(service: Service) -> None:
    body = {"time_limit": 3, "policy": {"preset": "placement", "leader_reach_minutes": None, "second_leader": 500}}
    run = poll(service, start(service, body), finished)
    assert run["status"] == "draft", run
    assert run["policy"]["preset"] == "placement"
    assert run["policy"]["second_leader"] == 500 and run["policy"]["leader_reach_minutes"] is None
    assert run["metrics"]["policy"] == "placement"
    shape = run["metrics"]["shape"]
    groups = run["groups"]
    assert shape["groups"] == len(groups)
    assert shape["two_leaders"] == sum(len(set(g["leaders"])) >= 2 for g in groups)
    assert sum(shape["sizes"].values()) == len(groups)
    # the diff: the published groups' shape before, the draft's after
    published = plan_shape(service.plan.groups, service.problem.templates)
    assert run["diff"]["shape_before"]["groups"] == published.groups
    assert run["diff"]["shape_before"]["two_leaders"] == published.two_leaders
    assert run["diff"]["shape_after"] == shape


def test_a_run_without_a_policy_plans_under_the_countys(service: Service) -> None:
    run = poll(service, start(service, {"time_limit": 2}), finished)
    assert run["policy"]["preset"] == "handbook" and run["policy"]["leader_reach_minutes"] == 75
    assert run["metrics"]["policy"] == "handbook"


def test_a_null_preset_keeps_the_countys_with_the_weights_chosen(service: Service) -> None:
    body = {"time_limit": 2, "policy": {"preset": None, "second_leader": 500, "leader_reach_minutes": 90}}
    run = poll(service, start(service, body), finished)
    assert run["status"] == "draft", run
    assert run["policy"]["preset"] == "handbook" and run["metrics"]["policy"] == "handbook"
    assert run["policy"]["second_leader"] == 500 and run["policy"]["leader_reach_minutes"] == 90


def test_a_bad_policy_field_is_a_422_naming_it(service: Service) -> None:
    coordinator = service.as_("coordinator")
    for policy, field in [
        ({"second_leader": -1}, "policy.second_leader"),
        ({"small_group": 30_001}, "policy.small_group"),
        ({"preset": "bogus"}, "policy.preset"),
        ({"leader_reach_minutes": 601}, "policy.leader_reach_minutes"),
        ({"second_leadr": 10}, "policy.second_leadr"),
    ]:
        answer = service.client.post("/plans", json={"time_limit": 2, "policy": policy}, headers=coordinator)
        assert answer.status_code == 422, answer.text
        assert [e["field"] for e in answer.json()["errors"]] == [field], answer.json()
    assert service.client.get("/plans", headers=coordinator).json()["total"] == 1  # only the published run
