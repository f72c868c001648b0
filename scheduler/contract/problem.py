"""The planning problem (schema tarjotin.problem/1): who waits, who leads, where and when groups can meet.

The schema is described in docs/contract.md.

Every field is checked, then the references between records; `parse_problem` turns every
fault into one `Issue` with its JSON path, so a coordinator sees all problems at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from scheduler.contract.base import Contract, Email, Id, Language, MailLanguage, OptionalText, Text
from scheduler.contract.issues import ContractError, Issue, ReferenceErrors, issues_of
from scheduler.contract.policy import Policy
from scheduler.contract.rules import CLOSES_AFTER, LARGEST_GROUP, LONGEST_SESSION, SHORTEST_SESSION, SMALLEST_GROUP
from scheduler.contract.service import Counsellor, Decision, Declined, OfferTerms
from scheduler.contract.term import group_weeks, term_end
from scheduler.contract.times import DAYS, Day, Term, Time, Window, check_time, minutes

PROBLEM_SCHEMA: Literal["tarjotin.problem/2"] = "tarjotin.problem/2"
"""The problem schema this version writes; it reads tarjotin.problem/1 as well (`Problem._version_one`)."""
Kind = Literal["process", "targeted", "theme", "peer", "popup"]
Modality = Literal["in_person", "remote", "hybrid"]
"""In a room, from home, or hybrid: a room for those present and a remote link for the others."""
Admission = Literal["open", "closed", "rolling"] | None
ADMISSION_BY_KIND: dict[str, Literal["open", "closed", "rolling"]] = {
    "popup": "open",
    "process": "closed",
    "targeted": "rolling",
    "theme": "rolling",
    "peer": "rolling",
}
"""How a model admits people when it does not say: the handbook's kinds."""

__all__ = [
    "ADMISSION_BY_KIND",
    "PROBLEM_SCHEMA",
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
    "group_term_issues",
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
    county: OptionalText = Field(
        default=None,
        description="the wellbeing services county it belongs to, in a problem of several counties (a national "
        "one): a group's hub, leaders and participants are of one county; give every hub, staff member and client "
        "one, or none",
    )


class Staff(Contract):
    id: Id
    name: OptionalText = None
    qualified: bool
    languages: list[Language] = Field(min_length=1)
    skills: list[Text] = Field(default_factory=list)
    base_hub: Id
    available: list[Window] = Field(default_factory=list)
    county: OptionalText = Field(
        default=None,
        description="the wellbeing services county it belongs to, in a problem of several counties (a national "
        "one): a group's hub, leaders and participants are of one county; give every hub, staff member and client "
        "one, or none",
    )
    max_weekly_minutes: int = Field(ge=0, le=7 * 24 * 60)
    email: Email = None
    lang: MailLanguage = "fi"
    peer: bool = Field(
        default=False,
        description="a peer instructor (an expert by experience): leads only beside a qualified professional",
    )

    @model_validator(mode="after")
    def _peer_not_the_professional(self) -> Staff:
        if self.peer and self.qualified:
            raise ValueError(
                "a peer instructor is not the group's qualified professional: set qualified to false for a peer"
            )
        return self


class TemplateName(Contract):
    fi: Text
    sv: Text
    en: OptionalText = None


class Template(Contract):
    """A group model from the handbook: what the group does, for whom, how long."""

    id: Id
    name: TemplateName
    kind: Kind
    theme: Text
    audience: Text
    modality: Modality
    duration_minutes: int = Field(ge=SHORTEST_SESSION, le=LONGEST_SESSION)
    min_size: int = Field(ge=SMALLEST_GROUP, le=LARGEST_GROUP)
    max_size: int = Field(ge=SMALLEST_GROUP, le=LARGEST_GROUP)
    languages: list[Language] = Field(min_length=1)
    required_skills: list[Text] = Field(default_factory=list)
    admission: Admission = Field(
        default=None,
        description="how the group takes people: open (a pop-up: no roster), closed after `closes_after` sessions, "
        "or rolling; left out: by kind (popup open, process closed, the others rolling)",
    )
    closes_after: int = Field(
        default=CLOSES_AFTER, ge=1, le=52, description="a closed group takes no joiners after this many sessions"
    )
    sessions: int | None = Field(
        default=None, ge=1, le=52, description="sessions a group of this model runs; left out: the whole season"
    )

    @model_validator(mode="after")
    def _sizes(self) -> Template:
        if self.min_size > self.max_size:
            raise ValueError(f"min_size {self.min_size} is above max_size {self.max_size}")
        if self.admission is None:
            self.admission = ADMISSION_BY_KIND[self.kind]
        return self

    @property
    def popup(self) -> bool:
        """An open pop-up model: planned as sessions with no roster, no decision and no minimum size."""
        return self.admission == "open"


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
    county: OptionalText = Field(
        default=None,
        description="the wellbeing services county it belongs to, in a problem of several counties (a national "
        "one): a group's hub, leaders and participants are of one county; give every hub, staff member and client "
        "one, or none",
    )

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
    """A weekly group: a template run in one language at one place and time, over its own term."""

    id: Id
    template: Id
    modality: Modality
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
    start_date: date | None = Field(
        default=None,
        description="the group's first session (on its weekday); the season's first if left out",
    )
    sessions: int | None = Field(
        default=None,
        ge=1,
        le=52,
        description="weeks the group runs from its start; to the season's end if left out",
    )
    remote_participants: list[Id] = Field(
        default_factory=list, description="a hybrid group's participants who join from home (the rest come to the room)"
    )
    reach: int | None = Field(
        default=None, ge=0, description="a pop-up in a plan: waiting clients within its reach (language, travel, time)"
    )

    _check_times = field_validator("start", "end", mode="before")(check_time)

    @model_validator(mode="after")
    def _ends_after_start(self) -> Group:
        if minutes(self.end) <= minutes(self.start):
            raise ValueError(f"the group ends ({self.end}) before or when it starts ({self.start})")
        return self

    @property
    def present(self) -> list[str]:
        """The participants who come to the room (all but a hybrid group's remote ones)."""
        remote = set(self.remote_participants)
        return [c for c in self.participants if c not in remote]


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

    schema_: Literal["tarjotin.problem/1", "tarjotin.problem/2"] = Field(alias="schema", default=PROBLEM_SCHEMA)
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
    popup_slots: int = Field(
        default=0, ge=0, le=200, description="pop-up sessions a week the planner may place (open group models)"
    )

    model_config = ConfigDict(extra="ignore", populate_by_name=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _version_one(cls, data: Any) -> Any:
        """A tarjotin.problem/1 document plans as it always did: every model takes joiners (`rolling`), a
        `popup` kind included (a label then); read as a problem/2 document."""
        if not isinstance(data, dict) or data.get("schema") != "tarjotin.problem/1":
            return data
        templates = data.get("templates")
        if not isinstance(templates, list):
            return {**data, "schema": PROBLEM_SCHEMA}
        rolling = [
            {"admission": "rolling", **t} if isinstance(t, dict) and t.get("admission") is None else t
            for t in templates
        ]
        return {**data, "schema": PROBLEM_SCHEMA, "templates": rolling}

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
    issues += county_issues(problem)
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
        issues += group_term_issues(group, f"groups[{g}]", problem.term)
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


def county_issues(problem: Problem) -> list[Issue]:
    """Counties are given for every hub, staff member and client, or for none (then the problem is one county)."""
    records: list[tuple[str, Sequence[Hub | Staff | Client]]] = [
        ("hubs", problem.hubs),
        ("staff", problem.staff),
        ("clients", problem.clients),
    ]
    if not any(record.county for _, table in records for record in table):
        return []
    return [
        Issue(path=f"{name}[{i}].county", message="missing: give every hub, staff member and client a county, or none")
        for name, table in records
        for i, record in enumerate(table)
        if not record.county
    ]


def group_reference_issues(
    group: Group, path: str, hubs: set[str], rooms: dict[str, str], known: dict[str, set[str]]
) -> list[Issue]:
    """Unknown references of one group (template, hub, room, leaders, participants)."""
    issues = []
    if group.template not in known["template"]:
        issues.append(Issue(path=f"{path}.template", message=f"unknown template {group.template!r}"))
    if group.modality in ("in_person", "hybrid"):
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
    for i, ref in enumerate(group.remote_participants):
        if group.modality != "hybrid":
            issues.append(
                Issue(path=f"{path}.remote_participants", message="only a hybrid group has remote participants")
            )
            break
        if ref not in group.participants:
            issues.append(
                Issue(path=f"{path}.remote_participants[{i}]", message=f"{ref!r} is not a participant of the group")
            )
    return issues


def group_term_issues(group: Group, path: str, season: Term) -> list[Issue]:
    """A group's own term that is not on its weekday or not inside the season."""
    if group.start_date is None and group.sessions is None:
        return []
    first, weeks = group_weeks(group.day, season.start, season.weeks, group.start_date, group.sessions)
    if first.weekday() != DAYS.index(group.day):
        return [Issue(path=f"{path}.start_date", message=f"{first} is not a {group.day}, the day the group meets")]
    if first < season.start:
        return [Issue(path=f"{path}.start_date", message=f"{first} is before the season starts ({season.start})")]
    last = first + timedelta(weeks=weeks - 1)
    if last > term_end(season.start, season.weeks):
        return [
            Issue(
                path=f"{path}.sessions",
                message=f"{weeks} weekly sessions from {first} end on {last}, after the season "
                f"({term_end(season.start, season.weeks)})",
            )
        ]
    return []


def parse_problem(data: Any) -> Problem:
    """A validated problem, or ContractError listing every fault with its path."""
    try:
        return Problem.model_validate(data)
    except ValidationError as error:
        raise ContractError(issues_of(error)) from None
