"""The county's planning policy is kept with the planning frame: imported, exported and planned under as it was."""

from __future__ import annotations

import json

from sqlalchemy import Engine, update

from scheduler.contract import parse_problem
from scheduler.services.planning.flow import snapshot
from scheduler.storage.database import session_scope
from scheduler.storage.models import PlanningSettings
from tests.paths import DATA
from tests.storage.test_roundtrip import store_and_read


def tiny_with(policy: dict[str, object] | None) -> dict[str, object]:
    data: dict[str, object] = json.loads((DATA / "tiny-problem.json").read_text(encoding="utf-8"))
    if policy is None:
        data.pop("policy", None)
    else:
        data["policy"] = policy
    return data


def test_an_imported_policy_is_exported_as_it_was(engine: Engine) -> None:
    policy = {"preset": "placement", "fragile_group": 1234, "leader_reach_minutes": None}
    read = store_and_read(engine, parse_problem(tiny_with(policy)))
    assert read.policy.preset == "placement" and read.policy.fragile_group == 1234
    assert read.policy.leader_reach_minutes is None


def test_a_run_may_choose_another_policy_over_the_countys(engine: Engine) -> None:
    store_and_read(engine, parse_problem(tiny_with({"preset": "handbook", "second_leader": 9000})))
    with session_scope(engine) as session:
        county = snapshot(session)
        chosen = snapshot(session, policy={"preset": "placement", "leader_reach_minutes": 30})
        same_preset = snapshot(session, policy={"leader_reach_minutes": None})
    assert county.policy.weights().second_leader == 9000 and county.policy.leader_reach_minutes == 75
    # another preset is taken whole: the county's own weight goes with its preset
    assert chosen.policy.preset == "placement" and chosen.policy.weights().second_leader == 0
    assert chosen.policy.leader_reach_minutes == 30
    assert same_preset.policy.weights().second_leader == 9000 and same_preset.policy.leader_reach_minutes is None


def test_a_frame_stored_before_policies_plans_under_the_handbook(engine: Engine) -> None:
    store_and_read(engine, parse_problem(tiny_with(None)))
    with session_scope(engine) as session:
        session.execute(update(PlanningSettings).values(policy=None))
    with session_scope(engine) as session:
        problem = snapshot(session)
    assert problem.policy.preset == "handbook" and problem.policy.leader_reach_minutes == 75
