"""The records a coordinator manages, as the API takes them: each field bounded and checked.

For each kind of record, `...Fields` are the fields a change may touch and the whole a
record must satisfy after a PATCH is merged in; `...In` adds the id a new record is
created with; `...Patch` is any of the fields, each checked alone. The bounds are the
contract's (group sizes 3..10, sessions of 120..240 minutes, ...) and the columns'.
Responses use the plain `...Out` models in `resources_out`.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    create_model,
    field_serializer,
    field_validator,
    model_validator,
)

from api.routers.resources_types import (
    IsoDate,
    Key,
    Labels,
    LanguageCode,
    Languages,
    Lat,
    Lon,
    MailAddress,
    Ref,
    RoomKey,
    Text100,
    Text200,
    Text300,
    Time,
    Windows,
)
from scheduler.contract import Day, minutes
from scheduler.contract.base import MailLanguage
from scheduler.contract.followup import EndReason, NextStep
from scheduler.contract.problem import ADMISSION_BY_KIND
from scheduler.contract.rules import CLOSES_AFTER, LARGEST_GROUP, LONGEST_SESSION, SHORTEST_SESSION, SMALLEST_GROUP
from scheduler.storage.enrollments import ending_of

__all__ = [
    "ClientFields",
    "ClientIn",
    "ClientPatch",
    "ClosureFields",
    "ClosureIn",
    "ClosurePatch",
    "CounsellorFields",
    "CounsellorIn",
    "CounsellorPatch",
    "DecisionIn",
    "EnrollmentFields",
    "EnrollmentIn",
    "EnrollmentPatch",
    "GroupFields",
    "GroupIn",
    "GroupModelFields",
    "GroupModelIn",
    "GroupModelPatch",
    "GroupPatch",
    "HubFields",
    "HubIn",
    "HubPatch",
    "Record",
    "RoomFields",
    "RoomIn",
    "RoomPatch",
    "StaffFields",
    "StaffIn",
    "StaffPatch",
    "partial",
]

Modality = Literal["in_person", "remote", "hybrid"]
"""In a room, from home, or hybrid: a room for those present and a remote link for the others."""
ServiceDate = Annotated[IsoDate, Field(ge=date(1900, 1, 1), le=date(2999, 12, 31))]
"""A date of a client's service: months are counted from it (deadlines, the cap), so it stays within reach."""
Minutes = Annotated[int, Field(ge=0, le=7 * 24 * 60)]


class Record(BaseModel):
    """A record in a request: unknown fields are refused (a misspelt field is not silently lost), and
    values are taken as they are typed (`0` is not `false`, `"12"` is not `12`)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, strict=True)


def partial(model: type[Record], name: str) -> type[BaseModel]:
    """The body of a PATCH: any of the model's fields, each checked alone; null only where null is allowed."""
    fields: dict[str, Any] = {}
    for field, info in model.model_fields.items():
        optional = copy.copy(info)
        optional.default, optional.default_factory = None, None
        fields[field] = (info.annotation, optional)
    doc = "The fields to change; the others keep their values, and the whole record is checked again."
    return create_model(name, __config__=model.model_config, __doc__=doc, **fields)


class HubFields(Record):
    """A place where groups meet: a health centre, a library, a resident house."""

    name: Text200
    municipality: Text100
    lat: Lat
    lon: Lon
    address: Text300 | None = None


class HubIn(HubFields):
    id: Key


class RoomFields(Record):
    """A room of a hub: how many it seats, whether it is accessible, when it is free each week."""

    hub_id: Ref
    name: Text200 | None = None
    capacity: int = Field(ge=1, le=500, description="people it seats, leaders included")
    accessible: bool = False
    available: Windows = Field(default_factory=list)


class RoomIn(RoomFields):
    id: RoomKey


class StaffFields(Record):
    """Someone who leads groups: languages, skills, base hub and weekly hours."""

    name: Text200 | None = None
    qualified: bool = Field(description="a social welfare professional (sosiaalihuollon ammattihenkilö)")
    languages: Languages
    skills: Labels = Field(default_factory=list)
    base_hub: Ref
    available: Windows = Field(default_factory=list)
    max_weekly_minutes: Minutes
    email: MailAddress | None = Field(
        default=None, description="where their notices are mailed; none: on their list only"
    )
    lang: MailLanguage = Field(default="fi", description="the language of their e-mail notices: fi, sv or en")
    peer: bool = Field(
        default=False,
        description="a peer instructor (an expert by experience): leads only beside a qualified professional; "
        "never qualified",
    )

    @field_validator("peer")
    @classmethod
    def _peer_not_qualified(cls, peer: bool, info: ValidationInfo) -> bool:
        if peer and info.data.get("qualified"):
            raise ValueError(
                "a peer instructor is not the group's qualified professional: set qualified to false for a peer"
            )
        return peer


class StaffIn(StaffFields):
    id: Key


class GroupModelName(Record):
    fi: Text200
    sv: Text200
    en: Text200 | None = None


class GroupModelFields(Record):
    """A group model from the handbook: what the group does, for whom, how long, how many."""

    name: GroupModelName
    kind: Literal["process", "targeted", "theme", "peer", "popup"]
    theme: Text100
    audience: Text100
    modality: Modality
    duration_minutes: int = Field(ge=SHORTEST_SESSION, le=LONGEST_SESSION, description="a session lasts 2 to 4 hours")
    min_size: int = Field(ge=SMALLEST_GROUP, le=LARGEST_GROUP)
    max_size: int = Field(ge=SMALLEST_GROUP, le=LARGEST_GROUP)
    languages: Languages
    required_skills: Labels = Field(default_factory=list)
    admission: Literal["open", "closed", "rolling"] | None = Field(
        default=None,
        description="how its groups take people: open (a pop-up: no roster, anyone may just come), closed after "
        "`closes_after` sessions, or rolling; left out: by kind (popup open, process closed, the others rolling)",
    )
    closes_after: int = Field(
        default=CLOSES_AFTER, ge=1, le=52, description="a closed group takes no new joiners after this many sessions"
    )
    sessions: int | None = Field(
        default=None, ge=1, le=52, description="sessions a group of this model runs; none: the whole season"
    )

    @model_validator(mode="after")
    def _sizes(self) -> GroupModelFields:
        if self.min_size > self.max_size:
            raise ValueError(f"min_size {self.min_size} is above max_size {self.max_size}")
        if self.admission is None:
            self.admission = ADMISSION_BY_KIND[self.kind]
        return self


class GroupModelIn(GroupModelFields):
    id: Key


class CounsellorFields(Record):
    """A counsellor: a client's responsible worker (omatyöntekijä)."""

    name: Text200 | None = None
    email: MailAddress | None = Field(
        default=None, description="where their notices are mailed; none: on their list only"
    )
    lang: MailLanguage = Field(default="fi", description="the language of their e-mail notices: fi, sv or en")


class CounsellorIn(CounsellorFields):
    id: Key


class DecisionIn(Record):
    """A decision granting the service from `start` to `end`, both days included (a continuation is a new one)."""

    start: ServiceDate
    end: ServiceDate

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError(f"the decision ends ({end}) before it starts ({start})")
        return end


class ClientFields(Record):
    """A client known only by a pseudonymous id: languages, home, travel, times, interests, and their service:
    the case opening, assessment, decisions, evaluations and responsible counsellor."""

    languages: Languages
    home_lat: Lat
    home_lon: Lon
    travel_mode: Literal["car", "transit"]
    max_travel_minutes: int = Field(ge=0, le=600)
    available: Windows = Field(default_factory=list)
    interests: Labels = Field(default_factory=list, description="themes, best first")
    audiences: Labels = Field(default_factory=list)
    needs_accessible: bool = False
    remote_ok: bool = False
    case_opened: ServiceDate | None = Field(default=None, description="the case opening (a §35 notice)")
    waiting_since: IsoDate | None = Field(
        default=None,
        validate_default=True,
        description="when the client began to wait; the case opening when left out (one of the two is needed)",
    )
    max_groups_per_week: int = Field(default=1, ge=1, le=3)
    in_service: bool = Field(default=True, description="false once the client has left the service")
    assessed: ServiceDate | None = Field(default=None, description="the service-need assessment")
    decisions: Annotated[list[DecisionIn], Field(max_length=30)] = Field(
        default_factory=list, description="decisions granting the service, none overlapping; none: no decision limit"
    )
    evaluations: Annotated[list[ServiceDate], Field(max_length=60)] = Field(
        default_factory=list, description="evaluations held"
    )
    counsellor_id: Ref | None = Field(default=None, description="the responsible counsellor; none: the shared queue")
    alias: Text100 | None = Field(
        default=None, description="a display name that only the client's counsellor and their groups' leaders see"
    )

    @field_validator("waiting_since")
    @classmethod
    def _waiting(cls, waiting: date | None, info: ValidationInfo) -> date:
        if waiting is not None:
            return waiting
        opened = info.data.get("case_opened")
        if opened is None:
            raise ValueError("give waiting_since or case_opened (waiting counts from the case opening)")
        return opened  # type: ignore[no-any-return]

    @field_validator("assessed")
    @classmethod
    def _assessed_after_opening(cls, assessed: date | None, info: ValidationInfo) -> date | None:
        opened = info.data.get("case_opened")
        if assessed is not None and opened is not None and assessed < opened:
            raise ValueError(f"the assessment ({assessed}) is before the case opening ({opened})")
        return assessed

    @field_validator("decisions")
    @classmethod
    def _decisions_apart(cls, decisions: list[DecisionIn], info: ValidationInfo) -> list[DecisionIn]:
        ordered = sorted(decisions, key=lambda d: d.start)
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if later.start <= earlier.end:
                raise ValueError(
                    f"decisions overlap: {earlier.start}–{earlier.end} and {later.start}–{later.end} "
                    "(a continuation starts after the decision before it ends)"
                )
        opened = info.data.get("case_opened")
        if opened is not None and ordered and ordered[0].start < opened:
            raise ValueError(f"a decision starts ({ordered[0].start}) before the case opening ({opened})")
        return ordered

    @field_serializer("decisions")
    def _decisions_stored(self, decisions: list[DecisionIn]) -> list[dict[str, str]]:
        """As the database keeps them: dates written YYYY-MM-DD."""
        return [{"start": d.start.isoformat(), "end": d.end.isoformat()} for d in decisions]

    @field_serializer("evaluations")
    def _evaluations_stored(self, evaluations: list[date]) -> list[str]:
        return [d.isoformat() for d in sorted(evaluations)]


class ClientIn(ClientFields):
    id: Key = Field(description="a pseudonymous id; never a name or a personal identity code")


class GroupFields(Record):
    """A weekly group: a group model run in one language at one place and time, by one or two leaders."""

    template_id: Ref = Field(description="the group model")
    modality: Modality
    hub_id: Ref | None = Field(default=None, description="in-person groups only")
    room_id: Ref | None = Field(default=None, description="in-person groups only; a room of the hub")
    language: LanguageCode
    day: Day
    start: Time
    end: Time
    leaders: Annotated[list[Ref], Field(min_length=1, max_length=2)]
    pinned: bool = True
    status: Literal["running", "closed", "cancelled"] = "running"
    start_date: IsoDate | None = Field(
        default=None, description="the group's first session (on its day, within the season); none: the season's"
    )
    sessions: int | None = Field(
        default=None, ge=1, le=52, description="weeks the group runs from its start; none: to the season's end"
    )

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: str, info: ValidationInfo) -> str:
        start = info.data.get("start")
        if start is not None and minutes(end) <= minutes(start):
            raise ValueError(f"the group ends ({end}) before or when it starts ({start})")
        return end

    @field_validator("leaders")
    @classmethod
    def _distinct(cls, leaders: list[str]) -> list[str]:
        if len(set(leaders)) < len(leaders):
            raise ValueError("the two leaders must be different people")
        return leaders


class GroupIn(GroupFields):
    id: Key


class EnrollmentFields(Record):
    """A client's seat in a group, from one date to another."""

    client_id: Ref
    group_id: Ref
    from_date: IsoDate
    to_date: IsoDate | None = None
    status: Literal["active", "completed", "interrupted"] = "active"
    end_reason: EndReason | None = Field(
        default=None,
        description="why the seat ended (a completed seat's is `completed`, the default); none while active",
    )
    next_step: NextStep | None = Field(default=None, description="where the client goes next; none while active")

    @field_validator("end_reason", "next_step")
    @classmethod
    def _ended(cls, value: str | None, info: ValidationInfo) -> str | None:
        status = info.data.get("status")
        if value is not None and status == "active":
            raise ValueError("an active seat has not ended: set status 'completed' or 'interrupted' (or give null)")
        if info.field_name == "end_reason" and value is not None and status is not None and status != "active":
            ends = ending_of(value)
            if ends != status:
                raise ValueError(f"a seat that ends for {value!r} is {ends!r}, not {status!r}")
        return value

    @field_validator("to_date")
    @classmethod
    def _after_from(cls, to_date: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("from_date")
        if to_date is not None and start is not None and to_date < start:
            raise ValueError(f"the seat ends ({to_date}) before it starts ({start})")
        return to_date


class EnrollmentIn(EnrollmentFields):
    """A new seat; the database gives it its number."""


class ClosureFields(Record):
    """A date when no session is held, and why."""

    reason: Text200 | None = None


class ClosureIn(ClosureFields):
    day: IsoDate


HubPatch = partial(HubFields, "HubPatch")
RoomPatch = partial(RoomFields, "RoomPatch")
StaffPatch = partial(StaffFields, "StaffPatch")
GroupModelPatch = partial(GroupModelFields, "GroupModelPatch")
ClientPatch = partial(ClientFields, "ClientPatch")
GroupPatch = partial(GroupFields, "GroupPatch")
EnrollmentPatch = partial(EnrollmentFields, "EnrollmentPatch")
ClosurePatch = partial(ClosureFields, "ClosurePatch")
CounsellorPatch = partial(CounsellorFields, "CounsellorPatch")
