"""The records as the API answers with them: stored values, shown as they are."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

__all__ = [
    "ClientOut",
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


class EnrollmentOut(Out):
    id: int
    client_id: str
    group_id: str
    from_date: date
    to_date: date | None
    status: str


class ClosureOut(Out):
    day: date
    reason: str | None
