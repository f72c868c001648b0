"""Who a group takes, and from when: its model's admission and the group's own term.

A group model admits people in one of three ways (`Template.admission`):

- `open`: a pop-up. No roster, no decision, no seat: anyone may just come. A pop-up takes
  no reservation, no offer and no seat (`OpenGroup`), and the recommendations never list it
  as a seat;
- `closed`: a process group. It takes new joiners up to its `closes_after`-th weekly
  session: a seat whose first day is after that session is refused with reason `closed`;
- `rolling`: it takes joiners all season.

A group runs its own term (`GroupRow.start_date`, `GroupRow.sessions`; the season's when
left out: `scheduler.contract.term.group_weeks`). A seat starts no earlier than the group's
first session, and none starts after its last one (reason `closed` too: nothing is left to
join). Sessions are counted in weeks of the group's rhythm: a week whose session falls on a
public holiday or a closure counts as a session, as the term's end does not move for it.

An offer still pending was made when the planner could seat the client (the planner obeys
`closed` too), so accepting it is not judged by `closed` again; only by the group's end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract import Reason
from scheduler.contract.errors import Conflict
from scheduler.contract.problem import ADMISSION_BY_KIND
from scheduler.contract.reasons import CLOSED
from scheduler.contract.term import group_weeks
from scheduler.contract.times import DAYS
from scheduler.services.hybrid import hybrid_view
from scheduler.services.offering import OfferedGroup, load_offering
from scheduler.services.term_sessions import closing_day
from scheduler.storage.models import GroupModelRow, GroupRow, PlanningSettings

__all__ = [
    "GroupAdmission",
    "NewJoiners",
    "OpenGroup",
    "admissions",
    "group_admission",
    "joiners_refused",
    "new_joiners",
]


class OpenGroup(Conflict):
    """The group is an open pop-up: anyone may just come, so it takes no seat (a conflict)."""


@dataclass(frozen=True)
class GroupAdmission:
    """How a group takes people, over its own term."""

    group_id: str
    admission: str
    """open, closed or rolling (the model's; by its kind when the model leaves it out)."""
    closes_after: int
    first: date
    """The group's first session."""
    last: date
    """The group's last session (its rhythm's date)."""
    own_start: bool = False
    """The group starts on a date of its own (`GroupRow.start_date`), not with the season."""

    @property
    def popup(self) -> bool:
        return self.admission == "open"

    @property
    def closes_on(self) -> date | None:
        """The last session a closed group takes joiners on (None: it takes them all term)."""
        if self.admission != "closed":
            return None
        return closing_day(self.first, self.closes_after)

    def first_day(self, wanted: date) -> date:
        """A new seat's first day: the day wanted, or the group's own first session when that is later (a
        group that starts with the season takes seats from the season's start, as before own terms)."""
        return max(wanted, self.first) if self.own_start else wanted

    def refusal(self, first_day: date, *, offered: bool = False) -> Reason | None:
        """Why a seat from `first_day` is refused (reason `closed`, its args for `scheduler.i18n.reasons`),
        or None when the group takes it. `offered`: a pending offer being accepted (the planner judged
        `closed` already)."""
        if first_day > self.last:
            return Reason(
                code=CLOSED,
                detail=f"its last session was on {self.last.isoformat()}: the group takes no one any more",
                args={"case": "ended", "date": self.last.isoformat()},
            )
        closes = self.closes_on
        if closes is not None and not offered and first_day > closes:
            return Reason(
                code=CLOSED,
                detail=f"it is a closed group: it took new joiners up to its session no. {self.closes_after} "
                f"on {closes.isoformat()}",
                args={"case": "after", "count": self.closes_after, "date": closes.isoformat()},
            )
        return None


def _admission(model: GroupModelRow) -> str:
    return model.admission or ADMISSION_BY_KIND.get(model.kind, "rolling")


def admissions(session: Session, group_ids: Iterable[str] | None = None) -> dict[str, GroupAdmission]:
    """Each group's admission and own term (every group when no ids are given; none before a planning frame)."""
    frame = session.get(PlanningSettings, 1)
    if frame is None:
        return {}
    query = select(GroupRow, GroupModelRow).join(GroupModelRow, GroupModelRow.id == GroupRow.template_id)
    if group_ids is not None:
        query = query.where(GroupRow.id.in_(sorted(set(group_ids))))
    found = {}
    for group, model in session.execute(query):
        first, weeks = group_weeks(group.day, frame.term_start, frame.term_weeks, group.start_date, group.sessions)
        first += timedelta(days=(DAYS.index(group.day) - first.weekday()) % 7)  # its weekday on or after
        found[group.id] = GroupAdmission(
            group.id,
            _admission(model),
            model.closes_after,
            first,
            first + timedelta(weeks=max(weeks, 1) - 1),
            group.start_date is not None,
        )
    return found


def group_admission(session: Session, group_id: str) -> GroupAdmission | None:
    """The group's admission and term (None: no such group, or no planning frame yet)."""
    return admissions(session, [group_id]).get(group_id)


def joiners_refused(found: dict[str, GroupAdmission], wanted: date) -> dict[str, str]:
    """The groups that would refuse a new joiner from `wanted` (their own first session when later), with why."""
    refused = {}
    for group_id, admission in found.items():
        why = admission.refusal(admission.first_day(wanted))
        if why is not None:
            refused[group_id] = why.detail
    return refused


@dataclass(frozen=True)
class NewJoiners:
    """What the recommendations leave out for a new joiner: closed groups (with why) and open pop-ups."""

    closed: dict[str, str]
    popups: set[str]
    rooms: dict[str, int]
    """Hybrid groups' free places in their rooms (`hybrid.hybrid_view`)."""
    groups: list[OfferedGroup]
    """The offering as a new joiner sees it: hybrid groups' seats counted overall."""


def new_joiners(session: Session, today: date) -> NewJoiners:
    """The offering as a client newly seated from today (the season's start when later) sees it: the groups they
    may not join (closed, with why), the pop-ups (no seat), and hybrid groups' seats and rooms."""
    groups, rooms = hybrid_view(session, load_offering(session, today), today)
    frame = session.get(PlanningSettings, 1)
    found = admissions(session)
    wanted = max(today, frame.term_start) if frame is not None else today
    popups = {group_id for group_id, admission in found.items() if admission.popup}
    closed = {g: why for g, why in joiners_refused(found, wanted).items() if g not in popups}
    return NewJoiners(closed, popups, rooms, groups)
