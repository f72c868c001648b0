"""The interchange contract v1: a planning problem and its plan (docs/contract.md).

These pydantic models are the only thing the solver and the calendars import from
the application. They check each field (times, ranges, dates) and, once every
field is valid, the references between records (ids that must exist, ids that must
be unique). `parse_problem` and `parse_plan` turn every fault into one `Issue` with
the JSON path of the offending field, so a coordinator sees all problems at once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

__all__ = [
    "DAYS",
    "ContractError",
    "Client",
    "Group",
    "Hub",
    "Issue",
    "Plan",
    "PlanMetrics",
    "Problem",
    "Reason",
    "REASON_CODES",
    "Room",
    "Staff",
    "Template",
    "Term",
    "Travel",
    "Unassigned",
    "Window",
    "minutes",
    "hhmm",
    "parse_plan",
    "parse_problem",
]

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Language = Annotated[str, Field(min_length=2, max_length=8, pattern=r"^[a-z]{2,3}(-[A-Za-z]+)?$")]
Id = Annotated[str, Field(min_length=1, max_length=128)]
REASON_CODES: tuple[str, ...] = (
    "interest",
    "audience",
    "language",
    "remote",
    "travel",
    "accessibility",
    "availability",
    "capacity",
)
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def minutes(text: str) -> int:
    """Minutes after midnight of a wall-clock time "HH:MM"."""
    match = _TIME.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a time of day in the form HH:MM (00:00..23:59)")
    return int(match.group(1)) * 60 + int(match.group(2))


def hhmm(total: int) -> str:
    """The wall-clock time "HH:MM" of minutes after midnight."""
    return f"{total // 60:02d}:{total % 60:02d}"


def _time(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("a time must be a string HH:MM")
    minutes(value)
    return value


Time = Annotated[str, Field(description="wall-clock time HH:MM", examples=["09:30"])]


class Contract(BaseModel):
    """Base of every contract record: unknown fields are ignored, strings are stripped."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Window(Contract):
    """A weekly time window: a day and a start and end time."""

    day: Day
    start: Time
    end: Time

    _check_times = field_validator("start", "end", mode="before")(_time)

    @model_validator(mode="after")
    def _ends_after_start(self) -> Window:
        if minutes(self.end) <= minutes(self.start):
            raise ValueError(f"the window ends ({self.end}) before or when it starts ({self.start})")
        return self

    @property
    def start_min(self) -> int:
        return minutes(self.start)

    @property
    def end_min(self) -> int:
        return minutes(self.end)


class Term(Contract):
    start: date
    weeks: int = Field(ge=1, le=104)

    @field_validator("start")
    @classmethod
    def _monday(cls, value: date) -> date:
        if value.weekday() != 0:
            raise ValueError(f"the term must start on a Monday; {value} is a {value.strftime('%A')}")
        return value


class Room(Contract):
    id: Id
    name: str | None = None
    capacity: int = Field(ge=1, le=500)
    accessible: bool = False
    available: list[Window] = Field(default_factory=list)


class Hub(Contract):
    id: Id
    name: str = Field(min_length=1)
    municipality: str = Field(min_length=1)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    address: str | None = None
    rooms: list[Room] = Field(default_factory=list)


class Staff(Contract):
    id: Id
    name: str | None = None
    qualified: bool
    languages: list[Language] = Field(min_length=1)
    skills: list[str] = Field(default_factory=list)
    base_hub: Id
    available: list[Window] = Field(default_factory=list)
    max_weekly_minutes: int = Field(ge=0, le=7 * 24 * 60)


class TemplateName(Contract):
    fi: str = Field(min_length=1)
    sv: str = Field(min_length=1)
    en: str | None = None


class Template(Contract):
    """A group model from the handbook: what the group does, for whom, how long."""

    id: Id
    name: TemplateName
    kind: Literal["process", "targeted", "theme", "peer", "popup"]
    theme: str = Field(min_length=1)
    audience: str = Field(min_length=1)
    modality: Literal["in_person", "remote"]
    duration_minutes: int = Field(ge=120, le=240)
    min_size: int = Field(ge=3, le=10)
    max_size: int = Field(ge=3, le=10)
    languages: list[Language] = Field(min_length=1)
    required_skills: list[str] = Field(default_factory=list)

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
    interests: list[str] = Field(default_factory=list)
    audiences: list[str] = Field(default_factory=list)
    needs_accessible: bool = False
    remote_ok: bool = False
    waiting_since: date
    max_groups_per_week: int = Field(default=1, ge=1, le=3)


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

    _check_times = field_validator("start", "end", mode="before")(_time)

    @model_validator(mode="after")
    def _ends_after_start(self) -> Group:
        if minutes(self.end) <= minutes(self.start):
            raise ValueError(f"the group ends ({self.end}) before or when it starts ({self.start})")
        return self


class Travel(Contract):
    hub_minutes: dict[str, dict[str, Annotated[int, Field(ge=0)]]] = Field(default_factory=dict)
    client_minutes: dict[str, dict[str, Annotated[int, Field(ge=0)]]] = Field(default_factory=dict)


class Issue(BaseModel):
    """One fault in a contract document: where it is and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class _ReferenceErrors(ValueError):
    """Carries the reference faults of a whole document through pydantic."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("; ".join(str(issue) for issue in issues))
        self.issues = issues


class ContractError(ValueError):
    """A contract document that cannot be used; `issues` lists every fault."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues


def _duplicates(records: Iterable[Any], path: str) -> list[Issue]:
    seen: Counter[str] = Counter()
    issues = []
    for index, record in enumerate(records):
        seen[record.id] += 1
        if seen[record.id] == 2:
            issues.append(Issue(path=f"{path}[{index}].id", message=f"duplicate id {record.id!r}"))
    return issues


class Problem(Contract):
    """A planning problem: who waits, who leads, where and when groups can meet."""

    schema_: Literal["tarjotin.problem/1"] = Field(alias="schema", default="tarjotin.problem/1")
    region: str = ""
    timezone: str = "Europe/Helsinki"
    term: Term
    closures: list[date] = Field(default_factory=list)
    slot_minutes: int = Field(default=30, ge=5, le=240)
    hubs: list[Hub] = Field(default_factory=list)
    staff: list[Staff] = Field(default_factory=list)
    templates: list[Template] = Field(default_factory=list)
    clients: list[Client] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)
    travel: Travel = Field(default_factory=Travel)

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
            raise _ReferenceErrors(issues)
        return self

    def dump(self) -> dict[str, Any]:
        """The problem as contract JSON data."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


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
                issues.append(Issue(path=f"travel.{name}.{key}", message=f"unknown {'hub' if name == 'hub_minutes' else 'client'} {key!r}"))
            for hub in row:
                if hub not in hubs:
                    issues.append(Issue(path=f"travel.{name}.{key}.{hub}", message=f"unknown hub {hub!r}"))
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


class Reason(Contract):
    """Why a client could not be placed: a rule family code and a plain detail."""

    code: str
    detail: str


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


def _issues(error: ValidationError) -> list[Issue]:
    issues: list[Issue] = []
    for item in error.errors(include_url=False):
        nested = (item.get("ctx") or {}).get("error")
        if isinstance(nested, _ReferenceErrors):
            issues += nested.issues
            continue
        path = ""
        for part in item["loc"]:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "required field is missing"
        issues.append(Issue(path=path or "(document)", message=message))
    return issues


def parse_problem(data: Any) -> Problem:
    """A validated problem, or ContractError listing every fault with its path."""
    try:
        return Problem.model_validate(data)
    except ValidationError as error:
        raise ContractError(_issues(error)) from None


def parse_plan(data: Any) -> Plan:
    """A validated plan, or ContractError listing every fault with its path."""
    try:
        return Plan.model_validate(data)
    except ValidationError as error:
        raise ContractError(_issues(error)) from None
