"""Splitting a problem into independent parts, solving them apart and merging their plans (`solver.split`).

The merged plan is judged by the independent checker and compared with `solve` on the whole
problem under the same total effort. A part is planned as its areas would be in one solve (the
same candidates, the same effort), so the plans are mostly the very same; only where the greedy
start meets a tie (two rooms alike) can the other parts' candidates in its queue tip it another
way. The regions' scenarios are each one piece at these sizes (every candidate group counted:
remote groups and travel chain them together), and then the plan is `solve`'s exactly; two
copies of a region far apart, and Lapland at 400 clients, fall apart. The property tests' small
random problems, each with a copy far away, must merge into plans the checker passes.
"""

from __future__ import annotations

import functools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
from hypothesis import given, seed, settings

from benchmarks.split import far_apart
from scheduler.checker import check
from scheduler.contract import Plan, Problem, parse_problem
from scheduler.scenario import generate
from solver import (
    Observer,
    Part,
    PartsOverlap,
    PlanningCancelled,
    Progress,
    SolveParams,
    merge,
    solve,
    solve_split,
    split,
)
from solver.areas import areas, components
from solver.candidates import Limits, build_instance
from solver.merge import area_counts
from solver.plan import area_detail
from solver.solve import DETERMINISTIC_SHARE
from tests.solver.test_properties import SEED, SETTINGS, problems

EFFORT = 0.2
PARAMS = SolveParams(time_limit=40 * 5 * EFFORT, effort=EFFORT, workers=1)
"""A deterministic effort the wall clock never reaches (as `benchmarks.plan_digests`): the plans repeat."""
REGIONS = ("lansi-uusimaa", "lappi", "kainuu", "pohjanmaa", "tampere")


@functools.cache
def scenario(name: str) -> Problem:
    """The problems the tests share, each made once."""
    if name == "apart":
        return far_apart(generate(90, 1, region="lansi-uusimaa"))
    if name == "apart-small":
        return far_apart(generate(40, 1, region="lansi-uusimaa"))
    if name == "apart-kinds":  # pop-ups (two slots a week), process groups with their own terms, peers
        return far_apart(generate(150, 1, region="lappi", group_kinds=True))
    if name == "lappi-400":  # the one regional scenario in two pieces at these sizes
        return generate(400, 0, region="lappi")
    return generate(150, 1, region=name)


@functools.cache
def parts(name: str) -> list[Part]:
    """The scenario's parts, split once."""
    return split(scenario(name), PARAMS)


@functools.cache
def plans(name: str) -> tuple[Plan, Plan]:
    """`solve` and `solve_split` on the scenario, each run once."""
    problem = scenario(name)
    return solve(problem, PARAMS), solve_split(problem, PARAMS)


def accounted_once(problem: Problem, plan: Plan) -> None:
    placed = [p for group in plan.groups for p in group.participants]
    waiting = [entry.client for entry in plan.unassigned]
    assert len(waiting) == len(set(waiting))
    assert set(placed).isdisjoint(waiting)
    assert set(placed) | set(waiting) == {client.id for client in problem.clients}
    assert all(entry.reasons for entry in plan.unassigned)
    assert plan.metrics.placed == len(set(placed))
    assert plan.metrics.placed + plan.metrics.unassigned == len(problem.clients)


def same_plan(whole: Plan, merged: Plan) -> None:
    """The merged plan is the whole solve's: groups, who waits and why, every figure but the time taken."""
    assert merged.groups == whole.groups
    assert merged.unassigned == whole.unassigned
    assert merged.status == whole.status
    ignored = {"solve_seconds", "status_detail"}
    assert merged.metrics.model_dump(exclude=ignored) == whole.metrics.model_dump(exclude=ignored)
    assert (merged.metrics.status_detail or "").startswith(whole.metrics.status_detail or "")


@pytest.mark.parametrize("name", REGIONS)
def test_a_region_in_one_piece_gets_the_whole_solves_plan(name: str) -> None:
    problem = scenario(name)
    assert len(parts(name)) == 1
    whole, merged = plans(name)
    assert [str(v) for v in check(problem, merged)] == []
    accounted_once(problem, merged)
    same_plan(whole, merged)


@pytest.mark.parametrize("name", ["apart", "apart-kinds"])  # Lapland at 400: benchmarks/SPLIT.md
def test_a_plan_merged_from_parts_passes_the_checker_and_places_as_many_as_solve(name: str) -> None:
    problem = scenario(name)
    assert len(parts(name)) >= 2
    whole, merged = plans(name)
    assert [str(v) for v in check(problem, merged)] == []
    accounted_once(problem, merged)
    assert merged.metrics.placed > 0
    assert abs(merged.metrics.placed - whole.metrics.placed) <= 1 + len(problem.clients) // 100
    assert merged.metrics.objective == pytest.approx(whole.metrics.objective, rel=0.005)
    assert merged.metrics.bound is not None and merged.metrics.objective is not None
    assert merged.metrics.bound >= merged.metrics.objective
    gap = (merged.metrics.bound - merged.metrics.objective) / merged.metrics.objective
    assert merged.metrics.gap == pytest.approx(gap, abs=1e-6)
    assert (merged.metrics.status_detail or "").endswith(f"; {len(parts(name))} parts")


def test_two_far_apart_copies_split_into_parts_that_share_nothing() -> None:
    problem = scenario("apart")
    found = parts("apart")
    assert len(found) >= 2
    for key in ("clients", "staff"):
        owned = [{record.id for record in getattr(part.problem, key)} for part in found]
        assert sum(map(len, owned)) == len(set().union(*owned)), f"a part shares {key}"
    rooms = [{room.id for hub in part.problem.hubs for room in hub.rooms} for part in found]
    assert sum(map(len, rooms)) == len(set().union(*rooms)), "a part shares a room"
    sides = [{client.id.startswith("b-") for client in part.problem.clients} for part in found]
    assert all(len(side) == 1 for side in sides), "a part holds clients of both copies"
    assert {client.id for part in found for client in part.problem.clients} < {c.id for c in problem.clients}


def test_the_parts_together_spend_the_effort_of_one_solve() -> None:
    found = parts("apart")
    assert sum(part.params.effort or 0 for part in found) == pytest.approx(EFFORT)
    assert sum(part.active for part in found) <= sum(part.candidates for part in found)
    assert all(part.params.seed == PARAMS.seed and part.params.workers == PARAMS.workers for part in found)
    default = split(scenario("apart"), SolveParams(time_limit=10))
    assert sum(part.params.effort or 0 for part in default) == pytest.approx(DETERMINISTIC_SHARE * 10)
    assert sum(part.params.time_limit for part in default) == pytest.approx(10)


def test_a_part_makes_the_candidates_the_whole_problem_makes_for_it() -> None:
    """The independence the merge relies on: each part's candidate groups are the whole problem's of its component."""
    problem = scenario("apart-kinds")
    whole = build_instance(problem, Limits.of(problem, PARAMS))

    def signature(inst: Any, g: int) -> tuple[object, ...]:
        cand = inst.candidates[g]
        clients = sorted(inst.clients[c].id for c in inst.members(cand.clients))
        leaders = sorted(inst.staff[s].id for s in inst.members(cand.leaders))
        return cand.key, cand.rooms, tuple(clients), tuple(leaders), cand.home != 0, cand.start_date, cand.sessions

    expected = {signature(whole, g) for g in range(len(whole.candidates))}
    found = []
    for part in parts("apart-kinds"):
        inst = build_instance(part.problem, Limits.of(part.problem, part.params))
        found += [signature(inst, g) for g in range(len(inst.candidates))]
    assert len(found) == len(set(found))
    assert set(found) == expected


def test_a_part_survives_a_trip_through_json() -> None:
    for part in parts("apart-kinds"):
        assert Part.model_validate_json(part.model_dump_json()) == part
        assert parse_problem(part.problem.dump()) == part.problem
        assert parse_problem(part.problem.model_dump(mode="json")) == part.problem
        assert part.problem.popup_slots == 0


def test_clients_in_no_part_are_told_the_whole_problems_reason() -> None:
    inside = {client.id for part in parts("apart") for client in part.problem.clients}
    whole, merged = plans("apart")
    outside = [entry for entry in merged.unassigned if entry.client not in inside]
    assert outside, "the scenario should have clients no group could take"
    told = {entry.client: entry for entry in whole.unassigned}
    assert all(entry == told[entry.client] for entry in outside)


def test_pop_ups_are_placed_once_on_the_merged_plan() -> None:
    problem = scenario("apart-kinds")
    popups = {t.id for t in problem.templates if t.popup}
    assert problem.popup_slots > 0 and popups
    whole, merged = plans("apart-kinds")
    placed = [g for g in merged.groups if g.template in popups and g.new]
    assert len(placed) == problem.popup_slots  # two parts placing their own would place four
    assert all(g.reach for g in placed)
    assert placed == [g for g in whole.groups if g.template in popups and g.new]


def test_one_piece_is_one_part_the_whole_problem_less_its_pop_ups() -> None:
    problem = scenario("kainuu")
    (part,) = parts("kainuu")
    assert part.problem == problem.model_copy(update={"popup_slots": 0})
    assert part.params == PARAMS
    assert part.clients == len(problem.clients)


def test_components_are_the_areas_over_every_candidate() -> None:
    problem = scenario("lappi-400")
    inst = build_instance(problem, Limits.of(problem, PARAMS))
    every = list(range(len(inst.candidates)))
    assert components(inst, every) == areas(inst, every)
    assert len(components(inst, every)) == 2
    assert [(part.clients, part.candidates) for part in parts("lappi-400")] == [(323, 1641), (13, 41)]
    in_person = [g for g in every if inst.candidates[g].hub is not None]
    assert components(inst, in_person) == areas(inst, in_person)


def test_merge_refuses_plans_that_are_not_apart_or_not_all_there() -> None:
    problem = scenario("apart-small")
    _, merged = plans("apart-small")
    with pytest.raises(PartsOverlap, match="are not apart"):
        merge(problem, [merged, merged], PARAMS)
    found = parts("apart-small")
    solved = [solve(part.problem, part.params) for part in found]
    assert merge(problem, solved, PARAMS, found).groups == merged.groups
    with pytest.raises(PartsOverlap, match="every part's plan is needed"):
        merge(problem, solved[1:], PARAMS, found)
    with pytest.raises(PartsOverlap, match="does not account for the clients"):
        merge(problem, solved[::-1], PARAMS, found)


def test_solve_split_reports_progress_and_can_be_cancelled() -> None:
    problem = scenario("apart-small")
    assert len(parts("apart-small")) >= 2
    heard: list[Progress] = []
    solve_split(problem, PARAMS, Observer(heard.append))
    assert heard and heard[-1].area >= 2
    assert heard[-1].objective is not None and heard[-1].placed

    def cancel(progress: object) -> None:
        stop.cancel()

    stop = Observer(cancel)
    with pytest.raises(PlanningCancelled):
        solve_split(problem, PARAMS, stop)


@seed(SEED)
@settings(max_examples=20, **SETTINGS)
@given(problems())
def test_random_problems_and_far_apart_copies_merge_into_valid_plans(data: dict[str, Any]) -> None:
    """The property tests' small random problems, each with a copy far away (about a third of them split in two)."""
    problem = far_apart(parse_problem(data))
    params = SolveParams(time_limit=3, effort=0.2, workers=1)
    found = split(problem, params)
    clients = [client.id for part in found for client in part.problem.clients]
    staff = [member.id for part in found for member in part.problem.staff]
    rooms = [room.id for part in found for hub in part.problem.hubs for room in hub.rooms]
    assert all(len(ids) == len(set(ids)) for ids in (clients, staff, rooms)), "parts share a client, leader or room"
    merged = solve_split(problem, params)
    assert [str(v) for v in check(problem, merged)] == []
    accounted_once(problem, merged)
    whole = solve(problem, params)
    if whole.status == merged.status == "optimal":
        assert merged.metrics.objective == whole.metrics.objective


def solve_part_json(text: str) -> str:
    """What a worker does with a part: its JSON in, the plan's JSON out."""
    part = Part.model_validate_json(text)
    return solve(part.problem, part.params).model_dump_json(by_alias=True)


def test_parts_sent_as_json_to_other_processes_merge_into_the_same_plan() -> None:
    problem = scenario("apart-small")
    found = parts("apart-small")
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        texts = list(pool.map(solve_part_json, [part.model_dump_json(by_alias=True) for part in found]))
    merged = merge(problem, [Plan.model_validate_json(text) for text in texts], PARAMS, found)
    _, reference = plans("apart-small")
    assert merged.groups == reference.groups
    assert merged.unassigned == reference.unassigned
    assert [str(v) for v in check(problem, merged)] == []


def test_area_counts_read_todays_detail_and_that_of_plans_stored_before() -> None:
    assert area_counts(area_detail(3, 1, 2)) == (3, 1, 2)
    assert area_counts("2 area(s): 0 optimal, 1 kept the greedy warm start") == (2, 0, 1)
    assert area_counts(None) == (1, 0, 0)
