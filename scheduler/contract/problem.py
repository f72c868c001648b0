"""The planning problem (schema tarjotin.problem/1): who waits, who leads, where and when groups can meet.

The schema is described in docs/contract.md.

Every field is checked, then the references between records; `parse_problem` turns every
fault into one `Issue` with its JSON path, so a coordinator sees all problems at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from scheduler.contract.base import Contract, Email, Id, Language, MailLanguage, OptionalText, Text
from scheduler.contract.issues import ContractError, Issue, ReferenceErrors, issues_of
from scheduler.contract.policy import Policy
from scheduler.contract.rules import LARGEST_GROUP, LONGEST_SESSION, SHORTEST_SESSION, SMALLEST_GROUP
from scheduler.contract.service import Counsellor, Decision, Declined, OfferTerms
from scheduler.contract.times import Day, Term, Time, Window, check_time, minutes

__all__ = [
    "Client",
    "Group",
    "Home",
    "Hub",
    "Problem",
    "Room",
    "Staff",
    "Template",
    "TemplateName",
    "Travel",
    "group_reference_issues",
    "parse_problem",
    "problem_reference_issues",
]


class Room(Contract):
    id: Id
    name: OptionalText = None
    capacity: int = Field(ge=1, le=500)
    accessible: bool = False
    available: list[Window] = Field(default_factory=list)


class Hub(Contract):
    id: Id
    name: Text
    municipality: Text
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    address: OptionalText = None
    rooms: list[Room] = Field(default_factory=list)


class Staff(Contract):
    id: Id
    name: OptionalText = None
    qualified: bool
    languages: list[Language] = Field(min_length=1)
    skills: list[Text] = Field(default_factory=list)
    base_hub: Id
    available: list[Window] = Field(default_factory=list)
    max_weekly_minutes: int = Field(ge=0, le=7 * 24 * 60)
    email: Email = None
    lang: MailLanguage = "fi"


class TemplateName(Contract):
    fi: Text
    sv: Text
    en: OptionalText = None


class Template(Contract):
    """A group model from the handbook: what the group does, for whom, how long."""

    id: Id
    name: TemplateName
    kind: Literal["process", "targeted", "theme", "peer", "popup"]
    theme: Text
    audience: Text
    modality: Literal["in_person", "remote"]
    duration_minutes: int = Field(ge=SHORTEST_SESSION, le=LONGEST_SESSION)
    min_size: int = Field(ge=SMALLEST_GROUP, le=LARGEST_GROUP)
    max_size: int = Field(ge=SMALLEST_GROUP, le=LARGEST_GROUP)
    languages: list[Language] = Field(min_length=1)
    required_skills: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sizes(self) -> Template:
        if self.min_size > self.max_size:
            raise ValueError(f"min_size {self.min_size} is above max_size {self.max_size}")
        return self


class Home(Contract):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Client(Contract):
    """A waiting client, known only by a pseudonymous id."""

    id: Id
    languages: list[Language] = Field(min_length=1)
    home: Home
    travel_mode: Literal["car", "transit"]
    max_travel_minutes: int = Field(ge=0, le=600)
    available: list[Window] = Field(default_factory=list)
    interests: list[Text] = Field(default_factory=list)
    audiences: list[Text] = Field(default_factory=list)
    needs_accessible: bool = False
    remote_ok: bool = False
    waiting_since: date = Field(description="when the client began to wait; the case opening when left out")
    max_groups_per_week: int = Field(default=1, ge=1, le=3)
    case_opened: date | None = Field(
        default=None, description="the case opening (a §35 notice): waiting counts from it"
    )
    assessed: date | None = Field(default=None, description="the service-need assessment")
    decisions: list[Decision] = Field(
        default_factory=list, description="decisions granting the service; none on record: no decision limit"
    )
    counsellor: Id | None = Field(default=None, description="the responsible counsellor (omatyöntekijä)")
    evaluations: list[date] = Field(default_factory=list, description="evaluations held")
    declined: list[Declined] = Field(default_factory=list, description="offered groups the client declined")

    @model_validator(mode="before")
    @classmethod
    def _waiting_from_case(cls, data: Any) -> Any:
        """A client with a case opening but no `waiting_since` waits from the case opening."""
        if isinstance(data, dict) and data.get("waiting_since") is None and data.get("case_opened") is not None:
            return {**data, "waiting_since": data["case_opened"]}
        return data

    @model_validator(mode="after")
    def _service_dates(self) -> Client:
        opened = self.case_opened
        if opened is not None and self.assessed is not None and self.assessed < opened:
            raise ValueError(f"the assessment ({self.assessed}) is before the case opening ({opened})")
        ordered = sorted(self.decisions, key=lambda d: d.start)
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if later.start <= earlier.end:
                raise ValueError(
                    f"decisions overlap: {earlier.start}–{earlier.end} and {later.start}–{later.end} "
                    "(a continuation starts after the decision before it ends)"
                )
        if opened is not None and ordered and ordered[0].start < opened:
            raise ValueError(f"a decision starts ({ordered[0].start}) before the case opening ({opened})")
        return self

    @property
    def waits_from(self) -> date:
        """Where the waiting priority counts from: the case opening, or `waiting_since` without one."""
        return self.case_opened or self.waiting_since


class Group(Contract):
    """A weekly group: a template run in one language at one place and time."""

    id: Id
    template: Id
    modality: Literal["in_person", "remote"]
    hub: Id | None = None
    room: Id | None = None
    language: Language
    day: Day
    start: Time
    end: Time
    leaders: list[Id] = Field(default_factory=list)
    participants: list[Id] = Field(default_factory=list)
    new: bool = False
    pinned: bool = False

    _check_times = field_validator("start", "end", mode="before")(check_time)

    @model_validator(mode="after")
    def _ends_after_start(self) -> Group:
        if minutes(self.end) <= minutes(self.start):
            raise ValueError(f"the group ends ({self.end}) before or when it starts ({self.start})")
        return self


class Travel(Contract):
    hub_minutes: dict[str, dict[str, Annotated[int, Field(ge=0)]]] = Field(default_factory=dict)
    client_minutes: dict[str, dict[str, Annotated[int, Field(ge=0)]]] = Field(default_factory=dict)


def _duplicates(records: Iterable[Any], path: str) -> list[Issue]:
    seen: Counter[str] = Counter()
    issues = []
    for index, record in enumerate(records):
        seen[record.id] += 1
        if seen[record.id] == 2:
            issues.append(Issue(path=f"{path}[{index}].id", message=f"duplicate id {record.id!r}"))
    return issues


class Problem(Contract):
    """A planning problem: who waits, who leads, where and when groups can meet.

    `hubs`, `staff`, `templates` and `clients` must be given (an empty list is fine): a document
    without one of them is refused, naming it, rather than planned as if it were empty.
    """

    schema_: Literal["tarjotin.problem/1"] = Field(alias="schema", default="tarjotin.problem/1")
    region: str = ""
    timezone: str = "Europe/Helsinki"
    term: Term
    closures: list[date] = Field(default_factory=list)
    slot_minutes: int = Field(default=30, ge=5, le=240)
    hubs: list[Hub] = Field(description="required; an empty list is fine")
    staff: list[Staff] = Field(description="required; an empty list is fine")
    templates: list[Template] = Field(description="required; an empty list is fine")
    clients: list[Client] = Field(description="required; an empty list is fine")
    groups: list[Group] = Field(default_factory=list)
    travel: Travel = Field(default_factory=Travel)
    counsellors: list[Counsellor] = Field(default_factory=list, description="the clients' responsible counsellors")
    seats_from: date | None = Field(
        default=None, description="the first day a new seat may start (the planning day); the term start if left out"
    )
    offers: OfferTerms = Field(default_factory=OfferTerms, description="how published placements become seats")
    policy: Policy = Field(default_factory=Policy, description="the county's planning policy (docs/contract.md)")

    model_config = ConfigDict(extra="ignore", populate_by_name=True, str_strip_whitespace=True)

    @field_validator("slot_minutes")
    @classmethod
    def _grid(cls, value: int) -> int:
        if 60 % value and value % 60:
            raise ValueError(f"slot_minutes {value} must divide an hour or be whole hours")
        return value

    @model_validator(mode="after")
    def _references(self) -> Problem:
        issues = problem_reference_issues(self)
        if issues:
            raise ReferenceErrors(issues)
        return self

    @property
    def first_seat_day(self) -> date:
        """The first day a new seat may start: `seats_from`, but never before the term."""
        return max(self.seats_from or self.term.start, self.term.start)

    def dump(self) -> dict[str, Any]:
        """The problem as contract JSON data (a leader reach of null, anywhere, is kept: left out it means 75)."""
        data = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        data["policy"]["leader_reach_minutes"] = self.policy.leader_reach_minutes
        return data


def problem_reference_issues(problem: Problem) -> list[Issue]:
    """Every unknown reference and duplicate id in a problem, each with its path."""
    issues: list[Issue] = []
    issues += _duplicates(problem.hubs, "hubs")
    rooms: dict[str, str] = {}
    for h, hub in enumerate(problem.hubs):
        for r, room in enumerate(hub.rooms):
            if room.id in rooms:
                issues.append(Issue(path=f"hubs[{h}].rooms[{r}].id", message=f"duplicate room id {room.id!r}"))
            rooms[room.id] = hub.id
    issues += _duplicates(problem.staff, "staff")
    issues += _duplicates(problem.templates, "templates")
    issues += _duplicates(problem.clients, "clients")
    issues += _duplicates(problem.groups, "groups")
    issues += _duplicates(problem.counsellors, "counsellors")
    counsellors = {c.id for c in problem.counsellors}
    for c, client in enumerate(problem.clients):
        if client.counsellor is not None and client.counsellor not in counsellors:
            issues.append(Issue(path=f"clients[{c}].counsellor", message=f"unknown counsellor {client.counsellor!r}"))
    hubs = {hub.id for hub in problem.hubs}
    for s, member in enumerate(problem.staff):
        if member.base_hub not in hubs:
            issues.append(Issue(path=f"staff[{s}].base_hub", message=f"unknown hub {member.base_hub!r}"))
    known = {
        "template": {t.id for t in problem.templates},
        "staff": {s.id for s in problem.staff},
        "client": {c.id for c in problem.clients},
    }
    for g, group in enumerate(problem.groups):
        issues += group_reference_issues(group, f"groups[{g}]", hubs, rooms, known)
    for name, table in (("hub_minutes", problem.travel.hub_minutes), ("client_minutes", problem.travel.client_minutes)):
        owners = hubs if name == "hub_minutes" else known["client"]
        for key, row in table.items():
            if key not in owners:
                issues.append(
                    Issue(
                        path=f"travel.{name}.{key}",
                        message=f"unknown {'hub' if name == 'hub_minutes' else 'client'} {key!r}",
                    )
                )
            for hub_id in row:
                if hub_id not in hubs:
                    issues.append(Issue(path=f"travel.{name}.{key}.{hub_id}", message=f"unknown hub {hub_id!r}"))
    return issues


def group_reference_issues(
    group: Group, path: str, hubs: set[str], rooms: dict[str, str], known: dict[str, set[str]]
) -> list[Issue]:
    """Unknown references of one group (template, hub, room, leaders, participants)."""
    issues = []
    if group.template not in known["template"]:
        issues.append(Issue(path=f"{path}.template", message=f"unknown template {group.template!r}"))
    if group.modality == "in_person":
        if group.hub is None or group.hub not in hubs:
            issues.append(Issue(path=f"{path}.hub", message=f"unknown hub {group.hub!r}"))
        if group.room is None or group.room not in rooms:
            issues.append(Issue(path=f"{path}.room", message=f"unknown room {group.room!r}"))
        elif group.hub is not None and rooms[group.room] != group.hub:
            issues.append(Issue(path=f"{path}.room", message=f"room {group.room!r} is not in hub {group.hub!r}"))
    elif group.hub is not None or group.room is not None:
        issues.append(Issue(path=f"{path}.hub", message="a remote group has no hub and no room"))
    for field, kind in (("leaders", "staff"), ("participants", "client")):
        for i, ref in enumerate(getattr(group, field)):
            if ref not in known[kind]:
                issues.append(Issue(path=f"{path}.{field}[{i}]", message=f"unknown {kind} {ref!r}"))
    return issues


def parse_problem(data: Any) -> Problem:
    """A validated problem, or ContractError listing every fault with its path."""
    try:
        return Problem.model_validate(data)
    except ValidationError as error:
        raise ContractError(issues_of(error)) from None
