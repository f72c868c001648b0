"""The policy a run plans under: the problem's own, with what the coordinator chose for this run in its place.

A problem carries the county's policy (`Problem.policy`: a preset, any weight set on its
own, leader reach). A run (`tarjotin solve --policy`, `tarjotin plan --policy`,
`POST /plans {"policy": ...}`) may choose another preset, weights or leader reach; the
problem it plans is the problem with that policy, so the stored run says which policy
made its draft.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scheduler.contract import POLICY_PRESETS, Policy, Problem

__all__ = ["PRESETS", "REACH_LIMIT", "WEIGHTS", "choose_policy", "parse_reach", "with_policy"]

PRESETS = tuple(sorted(POLICY_PRESETS))
"""The preset names, `handbook` and `placement`."""
WEIGHTS = ("group_opened", "second_leader", "small_group", "fragile_group")
"""The weights a policy may set on its own."""
REACH_LIMIT = 600
"""The longest leader reach one may choose, in minutes by car."""


def parse_reach(text: str) -> int | None:
    """A leader reach as written: whole minutes from 0 to `REACH_LIMIT`, or `none` (anywhere: None);
    a ValueError saying what to give otherwise."""
    cleaned = text.strip().lower()
    if cleaned == "none":
        return None
    if cleaned.isdigit() and int(cleaned) <= REACH_LIMIT:
        return int(cleaned)
    raise ValueError(f"give whole minutes from 0 to {REACH_LIMIT}, or none (anywhere)")


def choose_policy(base: Policy, chosen: Mapping[str, Any] | None) -> Policy:
    """`base` with the fields `chosen` names in their place.

    A preset other than the base's is taken whole: the base's own weights are dropped
    (weights chosen with it stay). A preset of None is the base's (`POST /plans` takes a
    null preset as one left out). Leader reach is kept unless chosen (None: anywhere).
    """
    if chosen and "preset" in chosen and chosen["preset"] is None:
        chosen = {name: value for name, value in chosen.items() if name != "preset"}
    if not chosen:
        return base
    data = base.model_dump()
    if "preset" in chosen and chosen["preset"] != base.preset:
        data.update(dict.fromkeys(WEIGHTS))
    data.update(chosen)
    return Policy.model_validate(data)


def with_policy(problem: Problem, chosen: Mapping[str, Any] | None) -> Problem:
    """The problem planned under the chosen policy (the same problem when nothing is chosen)."""
    if not chosen:
        return problem
    return problem.model_copy(update={"policy": choose_policy(problem.policy, chosen)})
