"""A draft against what is published, as the coordinator reads it before publishing.

The lists of groups opened, closed and moved are the run's stored diff
(`planning.diff.PlanDiff`, made when the draft was stored); this module only
describes those groups in words: group model, place, weekday and time, language,
leaders and participants, and how many seats the draft gives in each; and the shape
of the groups before and after (two leaders, sizes, groups at their minimum). A draft is
stale when another version was published after it was planned: publishing it would
be refused ("plan again").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from scheduler.contract import PlanShape, TemplateName
from scheduler.services.planning.diff import run_diff
from scheduler.services.planning.flow import current_version
from scheduler.services.week.board import GroupSlot
from scheduler.services.week.shape import run_shape, shape_of_documents
from scheduler.storage.models import PlanningRun

__all__ = ["DiffGroup", "DraftDiff", "MovedGroup", "draft_diff"]


@dataclass(frozen=True)
class DiffGroup(GroupSlot):
    """A group of the draft or of the published offering, with its participants and the seats the draft gives."""

    participants: int
    seats_given: int


@dataclass(frozen=True)
class MovedGroup:
    before: DiffGroup
    after: DiffGroup


@dataclass
class DraftDiff:
    """What publishing the draft would change; `filled` are kept groups that get new seats."""

    run_id: int
    based_on_version: int | None
    published_version: int
    opened: list[DiffGroup]
    closed: list[DiffGroup]
    moved: list[MovedGroup]
    filled: list[DiffGroup]
    seats_given: int
    shape_before: PlanShape | None = None
    shape_after: PlanShape | None = None

    @property
    def stale(self) -> bool:
        return self.based_on_version != self.published_version

    @property
    def unchanged(self) -> bool:
        return not (self.opened or self.closed or self.moved or self.seats_given)


class _Describe:
    """Names for the ids of a run's problem."""

    def __init__(self, problem: dict[str, Any]) -> None:
        self.templates = {t["id"]: TemplateName.model_validate(t["name"]) for t in problem.get("templates", [])}
        self.hubs = {h["id"]: h for h in problem.get("hubs", [])}
        self.staff = {s["id"]: s.get("name") or s["id"] for s in problem.get("staff", [])}

    def __call__(self, group: dict[str, Any], seats_given: int = 0) -> DiffGroup:
        hub = self.hubs.get(group.get("hub") or "")
        name = self.templates.get(group["template"], TemplateName(fi=group["template"], sv=group["template"]))
        return DiffGroup(
            id=group["id"],
            name=name,
            hub=hub["name"] if hub else None,
            municipality=hub["municipality"] if hub else None,
            language=group["language"],
            day=group["day"],
            start=group["start"],
            end=group["end"],
            leaders=tuple(self.staff.get(s, s) for s in group.get("leaders", [])),
            participants=len(group.get("participants", [])),
            seats_given=seats_given,
        )


def draft_diff(session: Session, run: PlanningRun) -> DraftDiff | None:
    """The draft's changes described, None while the run has no plan."""
    stored = run_diff(run)
    if run.plan is None or stored is None:
        return None
    describe = _Describe(run.problem)
    before = {g["id"]: g for g in run.problem.get("groups", [])}
    after = {g["id"]: g for g in run.plan.get("groups", [])}
    given = {
        gid: len(set(g.get("participants", [])) - set(before.get(gid, {}).get("participants", [])))
        for gid, g in after.items()
    }
    opened = [describe(after[i], given[i]) for i in stored.opened if i in after]
    closed = [describe(before[i]) for i in stored.closed if i in before]
    moved = [
        MovedGroup(describe(before[i]), describe(after[i], given[i]))
        for i in stored.moved
        if i in before and i in after
    ]
    changed = set(stored.opened) | set(stored.moved)
    filled = [describe(after[i], given[i]) for i in sorted(after) if i in before and i not in changed and given[i]]
    return DraftDiff(
        run.id,
        run.based_on_version,
        current_version(session),
        opened,
        closed,
        moved,
        filled,
        stored.clients_added,
        shape_before=stored.shape_before
        or shape_of_documents(run.problem.get("groups", []), run.problem.get("templates", [])),
        shape_after=stored.shape_after or run_shape(run),
    )
