"""The plan (schema tarjotin.plan/1): the groups that run, who leads and joins them, who waits and why."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import ConfigDict, Field, ValidationError, field_validator

from scheduler.contract.base import Contract, Id
from scheduler.contract.issues import ContractError, issues_of
from scheduler.contract.problem import Group
from scheduler.contract.shape import PlanShape

__all__ = ["Plan", "PlanMetrics", "Reason", "Unassigned", "parse_plan"]


ReasonArg = int | str | list[str]
"""One value a reason's words are made of: a count or minutes, a code or a name, or a list of them."""


class Reason(Contract):
    """Why a client could not be placed: a rule family code, a plain English detail, and the detail's parts.

    `args` (optional, so plans written before it still parse) holds what the detail says as
    data (language and day codes, minutes, place names, which part failed), so a reader's
    page can say it in Finnish, Swedish or English (`scheduler.i18n.reasons`); without it
    the English `detail` is shown.
    """

    code: str
    detail: str
    args: dict[str, ReasonArg] | None = Field(
        default=None, description="the detail's parts as codes, numbers and names, for saying it in any language"
    )


class Unassigned(Contract):
    client: Id
    reasons: list[Reason] = Field(default_factory=list)


class PlanMetrics(Contract):
    """How good a plan is; the first four are always present."""

    placed: int
    unassigned: int
    groups_new: int
    groups_total: int
    preference_rank_mean: float | None = None
    client_travel_minutes: int | None = None
    staff_travel_minutes: int | None = None
    leader_minutes: int | None = None
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    solve_seconds: float | None = None
    objective_terms: dict[str, float] | None = None
    status_detail: str | None = None
    policy: str | None = Field(default=None, description="the policy preset the plan was made under")
    shape: PlanShape | None = Field(default=None, description="two leaders, group sizes, groups at their minimum")
    bounds: dict[str, float] | None = Field(
        default=None,
        description="each proven upper bound on the objective by its kind; `bound` is the least of them "
        "(a kind that proved no finite bound is left out)",
    )

    @field_validator("bounds")
    @classmethod
    def _finite_bounds(cls, bounds: dict[str, float] | None) -> dict[str, float] | None:
        """Only finite bounds: a kind that proved none (infinite) says nothing, and JSON has no Infinity or NaN."""
        if bounds is None:
            return None
        return {kind: bound for kind, bound in bounds.items() if math.isfinite(bound)} or None


class Plan(Contract):
    """A plan: the groups that run, who leads and joins them, and who waits and why."""

    schema_: Literal["tarjotin.plan/1"] = Field(alias="schema", default="tarjotin.plan/1")
    status: Literal["optimal", "feasible", "infeasible", "unknown"]
    groups: list[Group] = Field(default_factory=list)
    unassigned: list[Unassigned] = Field(default_factory=list)
    metrics: PlanMetrics

    model_config = ConfigDict(extra="ignore", populate_by_name=True, str_strip_whitespace=True)

    def dump(self) -> dict[str, Any]:
        """The plan as contract JSON data."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def parse_plan(data: Any) -> Plan:
    """A validated plan, or ContractError listing every fault with its path."""
    try:
        return Plan.model_validate(data)
    except ValidationError as error:
        raise ContractError(issues_of(error)) from None
