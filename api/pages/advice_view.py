"""What the advice and what-if pages show of a run's problem: changes and groups in words, statuses named.

A change and an advice item are said by `scheduler.i18n.changes` with the names of the run's
problem (hubs, rooms, staff, group models); a group a what-if would open is a row of its model,
hub, weekday, time, language and leaders, the hypothetical new leader named as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from api.pages.context import Page, PageError
from api.pages.i18n import N_
from scheduler.contract import Group, Problem
from scheduler.contract.whatif import NEW_LEADER_ID, NEW_ROOM_ID, Change
from scheduler.i18n.changes import ChangeNames, advice_sentence, describe_change
from scheduler.services.advice.jobs import AdviceJobs
from scheduler.storage.models import PlanningRun

__all__ = [
    "ADVICE_STATUSES",
    "NONE_WHY",
    "WHATIF_STATUSES",
    "GroupRow",
    "RunNames",
    "advice_jobs",
    "run_names",
]

ADVICE_STATUSES = {
    "queued": N_("waiting in the queue"),
    "preparing": N_("preparing"),
    "verifying": N_("verifying changes"),
    "complete": N_("complete"),
    "stopping": N_("stopping"),
    "stopped": N_("stopped"),
    "failed": N_("failed"),
}
WHATIF_STATUSES = {
    "queued": N_("waiting in the queue"),
    "planning": N_("planning"),
    "done": N_("planned"),
    "failed": N_("failed"),
}
NONE_WHY = {
    "nobody_unplaced": N_("Every client who can be planned is placed: there is nothing to gain."),
    "not_addressable": N_(
        "The clients left out wait for reasons no change of staff, rooms or the clients' own terms reaches"
        " (no decision in force, no group model on their interests or for their audience)."
    ),
    "no_gain": N_("No candidate change placed anyone when the plan was made again with it."),
    "stopped": N_("Advice was stopped before any change was verified."),
}
"""Why there is no advice (`scheduler.contract.advice.NO_ADVICE`), as the pages say it."""
NEW_LEADER = N_("the new leader")
NEW_ROOM = N_("the new room")


def advice_jobs(request: Request) -> AdviceJobs:
    jobs: AdviceJobs = request.app.state.advice
    return jobs


@dataclass(frozen=True)
class GroupRow:
    """A group in words: what a what-if would open."""

    model: str
    place: str
    room: str
    day: str
    time: str
    language: str
    leaders: str
    participants: int


@dataclass
class RunNames:
    """A run's problem and the names its changes and groups are said with, in one page's language."""

    page: Page
    problem: Problem | None
    names: ChangeNames

    def change(self, change: Change) -> str:
        return describe_change(change, self.names, self.page.lang)

    def sentence(self, item: Any) -> str:
        return advice_sentence(item, self.names, self.page.lang)

    def staff(self, staff_id: str) -> str:
        return self.page.t(NEW_LEADER) if staff_id == NEW_LEADER_ID else self.names.staff.get(staff_id, staff_id)

    def group(self, group: Group) -> GroupRow:
        t = self.page.lang
        if group.hub is None:
            place, room = t.gettext(N_("Remote, online")), "–"
        else:
            place = self.names.hub(group.hub)
            rooms = group.room or ""
            room = t.gettext(NEW_ROOM) if rooms == NEW_ROOM_ID else self.names.room(group.hub, rooms) if rooms else "–"
        return GroupRow(
            model=self.names.template(group.template, t.code),
            place=place,
            room=room,
            day=t.weekday(group.day),
            time=f"{group.start}–{group.end}",
            language=t.language_name(group.language),
            leaders=", ".join(self.staff(s) for s in group.leaders) or "–",
            participants=len(group.participants) + len(group.remote_participants),
        )


def run_names(page: Page, db: Session, run_id: int) -> RunNames:
    """The names of the run's problem (a run without a stored problem says its ids)."""
    run = db.get(PlanningRun, run_id)
    if run is None:
        raise PageError(404, N_("There is no planning run %(id)s."), id=str(run_id))
    problem = Problem.model_validate(run.problem) if run.problem else None
    return RunNames(page, problem, ChangeNames.of(problem) if problem else ChangeNames())
