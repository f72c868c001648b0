"""What a draft changes in the published offering, typed from the solve to the reader.

`diff_plan` compares a plan with the running groups of the problem it was planned
from. The run row keeps the diff as JSON (`PlanningRun.diff`, written by
`PlanDiff.to_json`); `run_diff` is the one place that reads it back, as a `PlanDiff`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from scheduler.contract import Group, Plan, PlanShape, Problem, plan_shape
from scheduler.storage.models import PlanningRun

__all__ = ["PlanDiff", "diff_plan", "run_diff"]


class PlanDiff(BaseModel):
    """Groups opened, closed and moved by a draft (ids, sorted), the seats it gives to clients, and the
    shape of the groups before (the running ones) and after (the draft's); drafts stored before the
    shapes were kept have none."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    opened: list[str] = Field(default_factory=list)
    closed: list[str] = Field(default_factory=list)
    moved: list[str] = Field(default_factory=list)
    clients_added: int = 0
    shape_before: PlanShape | None = Field(default=None, description="the running groups' shape")
    shape_after: PlanShape | None = Field(default=None, description="the draft's groups' shape")

    def to_json(self) -> dict[str, Any]:
        """The diff as the run row and the audit log keep it."""
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: Any) -> PlanDiff:
        """A diff kept by `to_json`."""
        return cls.model_validate(data)


def _where(group: Group) -> tuple[str, str, str | None, str | None]:
    return group.day, group.start, group.hub, group.room


def diff_plan(before: Problem, plan: Plan) -> PlanDiff:
    """Groups opened, closed and moved, and seats given to clients, against the running groups."""
    running = {g.id: g for g in before.groups}
    planned = {g.id: g for g in plan.groups}
    moved = sorted(i for i in running.keys() & planned.keys() if _where(running[i]) != _where(planned[i]))
    seated = {(p, g.id) for g in before.groups for p in g.participants}
    added = sum((p, g.id) not in seated for g in plan.groups for p in g.participants)
    return PlanDiff(
        opened=sorted(planned.keys() - running.keys()),
        closed=sorted(running.keys() - planned.keys()),
        moved=moved,
        clients_added=added,
        shape_before=plan_shape(before.groups, before.templates),
        shape_after=plan_shape(plan.groups, before.templates),
    )


def run_diff(run: PlanningRun) -> PlanDiff | None:
    """The run's stored diff; None while the run has no draft."""
    return PlanDiff.from_json(run.diff) if run.diff is not None else None
