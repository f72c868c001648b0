"""The shape of a plan's groups, as the handbook looks at it: two leaders, group sizes, fragile groups.

The same figures for a solver's plan, the greedy baseline's, a draft, the published
week and a diff between two plans; a pure function of the groups and their models.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import Field

from scheduler.contract.base import Contract
from scheduler.contract.problem import Group, Template
from scheduler.contract.rules import SMALLEST_GROUP

__all__ = ["PlanShape", "plan_shape"]


class PlanShape(Contract):
    """How the plan's rostered groups are shaped (pinned ones too; pop-ups have no roster and are not counted)."""

    groups: int = Field(ge=0, description="groups in the plan")
    two_leaders: int = Field(ge=0, description="groups with two leaders")
    two_leader_share: float = Field(ge=0, le=1, description="share of groups with two leaders (0 with no groups)")
    mean_size: float = Field(ge=0, description="mean participants per group (0 with no groups)")
    sizes: dict[int, int] = Field(default_factory=dict, description="participants -> number of groups of that size")
    at_minimum: int = Field(ge=0, description="groups at their model's minimum size (they break at the first dropout)")


def plan_shape(groups: Iterable[Group], templates: Iterable[Template]) -> PlanShape:
    """The shape of these groups, pop-ups left out (they have no roster); a group of an unknown model counts its
    minimum as the handbook's."""
    templates = list(templates)
    minimum = {t.id: max(SMALLEST_GROUP, t.min_size) for t in templates}
    popups = {t.id for t in templates if t.popup}
    groups = [g for g in groups if g.template not in popups]
    sizes = Counter(len(set(g.participants)) for g in groups)
    two = sum(len(set(g.leaders)) >= 2 for g in groups)
    fragile = sum(len(set(g.participants)) <= minimum.get(g.template, SMALLEST_GROUP) for g in groups)
    count = len(groups)
    return PlanShape(
        groups=count,
        two_leaders=two,
        two_leader_share=round(two / count, 4) if count else 0.0,
        mean_size=round(sum(size * n for size, n in sizes.items()) / count, 3) if count else 0.0,
        sizes=dict(sorted(sizes.items())),
        at_minimum=fragile,
    )
