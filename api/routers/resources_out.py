"""The records as the API answers with them: stored values, shown as they are.

A client's `alias` and `service` block depend on who asks and on the day, so a client is
answered through `client_out`, never straight from the row.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from scheduler.services.ownership import Handler
from scheduler.services.service_periods import service_dates
from scheduler.storage.models import ClientRow

__all__ = [
    "ClientOut",
    "CounsellorOut",
    "DecisionOut",
    "ServiceOut",
    "client_out",
    "ClosureOut",
    "EnrollmentOut",
    "GroupModelOut",
    "GroupOut",
    "HubOut",
    "RoomOut",
    "StaffOut",
]


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class WindowOut(Out):
    day: str
    start: str
    end: str


class HubOut(Out):
    id: str
    name: str
    municipality: str
    lat: float
    lon: float
    address: str | None


class RoomOut(Out):
    id: str
    hub_id: str
    name: str | None
    capacity: int
    accessible: bool
    available: list[WindowOut]


class StaffOut(Out):
    id: str
    name: str | None
    qualified: bool
    languages: list[str]
    skills: list[str]
    base_hub: str
    available: list[WindowOut]
    max_weekly_minutes: int
    email: str | None = Field(default=None, description="where their notices are mailed")
    lang: str = Field(default="fi", description="the language of their e-mail notices")
    peer: bool = Field(default=False, description="a peer instructor: leads only beside a qualified professional")


class GroupModelNameOut(Out):
    fi: str
    sv: str
    en: str | None = None


class GroupModelOut(Out):
    id: str
    name: GroupModelNameOut
    kind: str
    theme: str
    audience: str
    modality: str
    duration_minutes: int
    min_size: int
    max_size: int
    languages: list[str]
    required_skills: list[str]
    admission: str = Field(default="rolling", description="open (a pop-up), closed or rolling")
    closes_after: int = Field(default=2, description="a closed group takes no new joiners after this many sessions")
    sessions: int | None = Field(default=None, description="sessions a group runs; none: the whole season")


class CounsellorOut(Out):
    id: str
    name: str | None
    email: str | None = Field(default=None, description="where their notices are mailed")
    lang: str = Field(default="fi", description="the language of their e-mail notices")


class DecisionOut(Out):
    start: date
    end: date


class ServiceOut(Out):
    """What a counsellor and a coordinator follow about the client's service, today."""

    decision_due: date | None = Field(description="the §45 deadline: three months from the case opening")
    decision_overdue: bool = Field(description="the deadline has passed and no decision is on record")
    decision_end: date | None = Field(description="the last day of the service period in force (the cap applied)")
    capped: bool = Field(description="the period ends at the 18-month cap, not at its decisions' end")
    next_evaluation: date | None
    decision_ends_soon: bool = Field(description="the period in force ends within four weeks")
    evaluation_due: bool = Field(description="the next evaluation falls within four weeks (or is past)")
    in_force: bool = Field(description="a decision is in force today (or none is on record: no limit)")


class ClientOut(Out):
    id: str
    languages: list[str]
    home_lat: float
    home_lon: float
    travel_mode: str
    max_travel_minutes: int
    available: list[WindowOut]
    interests: list[str]
    audiences: list[str]
    needs_accessible: bool
    remote_ok: bool
    waiting_since: date
    max_groups_per_week: int
    in_service: bool
    case_opened: date | None
    assessed: date | None
    decisions: list[DecisionOut]
    evaluations: list[date]
    counsellor_id: str | None
    alias: str | None = Field(default=None, description="shown only to the client's own counsellor")
    service: ServiceOut | None = None


class GroupOut(Out):
    id: str
    template_id: str
    modality: str
    hub_id: str | None
    room_id: str | None
    language: str
    day: str
    start: str
    end: str
    leaders: list[str]
    pinned: bool
    status: str
    start_date: date | None = Field(default=None, description="its first session; none: the season's")
    sessions: int | None = Field(default=None, description="weeks it runs; none: to the season's end")
    reach: int | None = Field(default=None, description="a pop-up: waiting clients within its reach when planned")


class EnrollmentOut(Out):
    id: int
    client_id: str
    group_id: str
    from_date: date
    to_date: date | None
    status: str
    end_reason: str | None = Field(description="why the seat ended (END_REASONS); none while active")
    next_step: str | None = Field(description="where the client went next (NEXT_STEPS)")
    remote: bool = Field(default=False, description="a hybrid group's seat taken from home")


class ClosureOut(Out):
    day: date
    reason: str | None


def shows_alias(who: Handler, client: ClientRow) -> bool:
    """Only the client's own counsellor sees their alias: never a coordinator, another counsellor or the queue."""
    return who.role == "counsellor" and who.counsellor_id is not None and who.counsellor_id == client.counsellor_id


def client_out(client: ClientRow, who: Handler, today: date) -> ClientOut:
    """The client as `who` may see them on the day: the alias only for their own counsellor."""
    shown = ClientOut.model_validate(client)
    service = ServiceOut.model_validate(service_dates(client, today))
    return shown.model_copy(update={"alias": client.alias if shows_alias(who, client) else None, "service": service})
