"""The built-in scenario with the handbook's group kinds (`generate(..., group_kinds=True)`): every kind is there,
on every region, and the same problem without them is the problem/1 scenario it always was."""

from __future__ import annotations

import pytest

from scheduler.scenario import REGIONS, generate


@pytest.mark.parametrize("region", list(REGIONS))
def test_every_kind_is_in_the_scenario(region: str) -> None:
    problem = generate(300, 2, region=region, group_kinds=True)
    assert problem.schema_ == "tarjotin.problem/2"
    by_admission = {t.admission for t in problem.templates}
    assert by_admission == {"open", "closed", "rolling"}
    assert all(t.kind == "process" for t in problem.templates if t.admission == "closed")
    assert all(
        t.sessions is not None and t.sessions < problem.term.weeks for t in problem.templates if t.admission == "closed"
    )
    assert {t.modality for t in problem.templates} == {"in_person", "remote", "hybrid"}
    peers = [s for s in problem.staff if s.peer]
    assert peers and not any(s.qualified for s in peers)
    assert 2 <= problem.popup_slots <= 12


def test_pop_up_slots_follow_the_waiting_list_within_their_bounds() -> None:
    slots = [generate(n, 1, group_kinds=True).popup_slots for n in (50, 600, 3000)]
    assert slots == [2, 4, 12]


def test_without_kinds_the_scenario_is_the_problem_one_as_before() -> None:
    plain, kinds = generate(200, 3, group_kinds=False), generate(200, 3, group_kinds=True)
    assert plain.popup_slots == 0 and {t.admission for t in plain.templates} == {"rolling"}
    assert plain.clients == kinds.clients and plain.hubs == kinds.hubs
    assert [s.model_copy(update={"peer": False}) for s in kinds.staff] == plain.staff
    assert len(kinds.templates) == len(plain.templates) + 1  # the hybrid model
