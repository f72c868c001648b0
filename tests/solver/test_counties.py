"""A problem of several counties (the national scenario) is planned county by county (`solver.counties`)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

import solver
from scheduler.checker import check
from scheduler.contract import Plan, Problem
from scheduler.scenario import generate_national
from solver.counties import counties, county_problems

CLIENTS = 300


@pytest.fixture(scope="module")
def national() -> Problem:
    return generate_national(CLIENTS, 3, group_kinds=True)


@pytest.fixture(scope="module")
def planned(national: Problem) -> Plan:
    return solver.solve(national, solver.SolveParams(time_limit=8))


def test_same_county(national: Problem, planned: Plan) -> None:
    """Every group's hub, leaders and participants are of one county, and the checker finds nothing."""
    county = {h.id: h.county for h in national.hubs}
    county |= {s.id: s.county for s in national.staff} | {c.id: c.county for c in national.clients}
    assert planned.groups and planned.metrics.placed > CLIENTS // 2
    for group in planned.groups:
        members = {county[i] for i in [*group.leaders, *group.participants, *([group.hub] if group.hub else [])]}
        assert len(members) == 1, group.id
    assert check(national, planned) == []
    placed = {p for g in planned.groups for p in g.participants}
    assert placed.isdisjoint(u.client for u in planned.unassigned)
    assert len(placed) + len(planned.unassigned) == CLIENTS
    assert len({g.id for g in planned.groups}) == len(planned.groups)


def test_a_group_across_a_border_is_flagged_same_county(national: Problem, planned: Plan) -> None:
    group = next(g for g in planned.groups if g.participants and g.hub)
    hub_county = next(h.county for h in national.hubs if h.id == group.hub)
    stranger = next(u.client for u in planned.unassigned if _county(national, u.client) != hub_county)
    moved = group.model_copy(update={"participants": [*group.participants, stranger]})
    plan = planned.model_copy(
        update={
            "groups": [moved if g.id == group.id else g for g in planned.groups],
            "unassigned": [u for u in planned.unassigned if u.client != stranger],
        }
    )
    assert any(v.key == "same_county" and v.group == group.id for v in check(national, plan))


def _county(problem: Problem, client: str) -> str | None:
    return next(c.county for c in problem.clients if c.id == client)


def test_each_county_is_a_part_with_its_share_of_the_pop_ups(national: Problem) -> None:
    parts = solver.split(national, solver.SolveParams(time_limit=20))
    assert len(parts) == len(counties(national)) == 22
    assert sum(part.clients for part in parts) == CLIENTS
    assert sum(part.problem.popup_slots for part in parts) == national.popup_slots
    assert abs(sum(part.params.time_limit for part in parts) - 20) < 22 * 1.0 + 1e-6
    for name, problem in county_problems(national):
        assert {r.county for r in (*problem.hubs, *problem.staff, *problem.clients)} == {name}


def test_counties_are_given_for_all_or_none(national: Problem) -> None:
    data = national.dump()
    del data["clients"][4]["county"]
    with pytest.raises(ValidationError) as refused:
        Problem.model_validate(data)
    assert "clients[4].county" in str(refused.value) and "a county, or none" in str(refused.value)
