"""The county's planning policy: how the shape of its groups weighs against clients placed.

The handbook runs groups with two leaders as the norm (one is allowed only under five),
prefers groups of five or more, and knows that a group at its minimum size breaks at
the first dropout. A plan that seats a few more clients in many small one-leader groups
is not the plan a coordinator would adopt; a plan that forces two leaders everywhere
leaves clients out. Where the balance lies is the county's choice: a preset names it and
each weight may be set on its own (points, against +30 000 for a client placed).

`leader_reach_minutes` is the county's rule of where a leader works: only at hubs this
many minutes by car from their base (none: anywhere). It is a hard rule of the plan
(`leader_within_reach`), checked like every other.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from scheduler.contract.base import Contract

__all__ = ["POLICY_PRESETS", "Policy", "PolicyWeights"]

PolicyPreset = Literal["handbook", "placement"]


class PolicyWeights(Contract):
    """Points of the shape terms of the objective (each ≥ 0; a cost is taken off, a bonus added)."""

    group_opened: int = Field(ge=0, le=30_000, description="points taken off per new group opened")
    second_leader: int = Field(
        ge=0,
        le=30_000,
        description="points added per group with a second leader (keep group_opened above it, or groups split)",
    )
    small_group: int = Field(ge=0, le=30_000, description="points taken off per new group of fewer than five")
    fragile_group: int = Field(
        ge=0,
        le=30_000,
        description="points taken off per new group at its model's minimum size (it breaks at the first dropout)",
    )


POLICY_PRESETS: dict[str, PolicyWeights] = {
    # Today's objective: a group costs 60 points, the shape counts for nothing else.
    "placement": PolicyWeights(group_opened=60, second_leader=0, small_group=0, fragile_group=0),
    # The handbook's norm, as a trade: "groups always have two leaders; a group under five may have
    # one". A second leader is worth two fifths of a client placed, a group of three or four costs
    # as much again, and one at its minimum size as much as a client placed (so a group of three
    # led alone is opened only for clients with nowhere else to go). A group opened costs its
    # second leader's worth and 60 more: a second leader then only makes up for leading a group,
    # and a group is never opened for the bonus alone (with 60 a group, plentiful leaders split
    # groups to collect it). At a fifth of a client (6 000), plans where leaders are short ran
    # fewer two-leader groups than a coordinator's greedy plan (Kainuu seed 1: 0.65 against 0.69);
    # at two fifths the plans place more, in more two-leader groups of larger mean size, than the
    # greedy on all 20 region-seeds measured, for 0.8 % fewer clients placed than at a fifth
    # (3.3 % at most; benchmarks/SECOND_LEADER.md).
    "handbook": PolicyWeights(group_opened=12_060, second_leader=12_000, small_group=12_000, fragile_group=30_000),
}


class Policy(Contract):
    """The county's policy: a preset (`handbook` by default) with any weight overridden, and leader reach."""

    preset: PolicyPreset = Field(
        default="handbook", description="handbook: groups as the handbook runs them; placement: clients placed first"
    )
    group_opened: int | None = Field(default=None, ge=0, le=30_000, description="overrides the preset")
    second_leader: int | None = Field(default=None, ge=0, le=30_000, description="overrides the preset")
    small_group: int | None = Field(default=None, ge=0, le=30_000, description="overrides the preset")
    fragile_group: int | None = Field(default=None, ge=0, le=30_000, description="overrides the preset")
    leader_reach_minutes: int | None = Field(
        default=75,
        ge=0,
        le=600,
        description="a leader runs groups only at hubs this many minutes by car from their base hub (null: anywhere)",
    )

    def weights(self) -> PolicyWeights:
        """The preset's weights with the ones set here in their place."""
        base = POLICY_PRESETS[self.preset].model_dump()
        own = {name: value for name in base if (value := getattr(self, name)) is not None}
        return PolicyWeights(**{**base, **own})
