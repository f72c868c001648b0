"""The shape of the week's groups as the handbook looks at it: two leaders, group sizes, groups at their minimum.

The published week's shape is counted from the running groups with their active seats
and their group models (`contract.plan_shape`, the same function the solver's plan
metrics use); the latest draft's comes from its plan, so the board can set the two side
by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract import Group, PlanShape, Template, plan_shape
from scheduler.storage.models import EnrollmentRow, GroupModelRow, GroupRow, PlanningRun

__all__ = ["DraftShape", "latest_draft_shape", "run_shape", "shape_of_documents", "week_shape"]


@dataclass(frozen=True)
class DraftShape:
    """The newest draft's shape and the policy it was planned under."""

    run_id: int
    policy: str | None
    shape: PlanShape


def _template(fields: dict[str, Any]) -> Template:
    """A group model with only what the shape reads (id, min_size): stored records are not re-validated for a count."""
    return Template.model_construct(**fields)


def _group(fields: dict[str, Any]) -> Group:
    """A group with only what the shape reads (id, template, leaders, participants)."""
    return Group.model_construct(**fields)


def _templates(session: Session) -> list[Template]:
    rows = session.execute(select(GroupModelRow.id, GroupModelRow.min_size))
    return [_template({"id": model_id, "min_size": min_size}) for model_id, min_size in rows]


def week_shape(session: Session) -> PlanShape:
    """The running groups' shape: their leaders, their active participants and their models' minimum sizes."""
    members: dict[str, set[str]] = {}
    active = select(EnrollmentRow.group_id, EnrollmentRow.client_id).where(EnrollmentRow.status == "active")
    for group_id, client_id in session.execute(active):
        members.setdefault(group_id, set()).add(client_id)
    running = select(GroupRow.id, GroupRow.template_id, GroupRow.leaders).where(GroupRow.status == "running")
    groups = [
        _group(
            {
                "id": gid,
                "template": template,
                "leaders": list(leaders or []),
                "participants": sorted(members.get(gid, ())),
            }
        )
        for gid, template, leaders in session.execute(running)
    ]
    return plan_shape(groups, _templates(session))


def shape_of_documents(groups: list[dict[str, Any]], templates: list[dict[str, Any]]) -> PlanShape:
    """The shape of groups and group models as a stored run keeps them (contract JSON)."""
    models = [_template({"id": t["id"], "min_size": t["min_size"]}) for t in templates]
    kept = [
        _group(
            {
                "id": g["id"],
                "template": g["template"],
                "leaders": g.get("leaders", []),
                "participants": g.get("participants", []),
            }
        )
        for g in groups
    ]
    return plan_shape(kept, models)


def run_shape(run: PlanningRun) -> PlanShape | None:
    """A run's plan's shape: the one its metrics carry, else counted from its plan (None without a plan)."""
    shape = (run.metrics or {}).get("shape")
    if shape is not None:
        return PlanShape.model_validate(shape)
    if run.plan is None:
        return None
    return shape_of_documents(run.plan.get("groups", []), run.problem.get("templates", []))


def latest_draft_shape(session: Session) -> DraftShape | None:
    """The newest draft run's shape (None when no draft waits to be published)."""
    run = session.scalars(
        select(PlanningRun).where(PlanningRun.status == "draft").order_by(PlanningRun.id.desc()).limit(1)
    ).first()
    if run is None:
        return None
    shape = run_shape(run)
    if shape is None:
        return None
    return DraftShape(run.id, (run.metrics or {}).get("policy") or run.problem.get("policy", {}).get("preset"), shape)
