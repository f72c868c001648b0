"""A partner's or third-sector organisation's activity: offered by counsellors beside the county's groups,
never planned (docs/partners.md).

`PartnerFields` is everything a coordinator enters or a CSV row holds, checked field by field
with messages that name the field; `PartnerActivityIn` adds the id; `PartnerActivityOut` is what
the service answers, always marked `partner: true` so that no reader takes it for a planned group.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator

from scheduler.contract.base import TEXT, trimmed
from scheduler.contract.times import DAYS, minutes

__all__ = [
    "CALENDAR_FIELDS",
    "PARTNER_FIELDS",
    "PartnerActivityIn",
    "PartnerActivityOut",
    "PartnerFields",
    "PartnerId",
]

ID = r"^[A-Za-z0-9][A-Za-z0-9_.:@+-]*$"
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]+)?$")
URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+[^\s]*$")


Text100 = Annotated[str, StringConstraints(min_length=1, max_length=100), TEXT]
Text200 = Annotated[str, StringConstraints(min_length=1, max_length=200), TEXT]
Text300 = Annotated[str, StringConstraints(min_length=1, max_length=300), TEXT]


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not trimmed(value) else value


Description = Annotated[
    Annotated[str, StringConstraints(max_length=2000), TEXT] | None, BeforeValidator(_blank_is_none)
]
Url = Annotated[Annotated[str, StringConstraints(max_length=500), TEXT] | None, BeforeValidator(_blank_is_none)]


class PartnerFields(BaseModel):
    """An activity's fields: who runs it, what it is, where, when (weekly on `day`), in which languages, for whom.

    `first_date`/`last_date` bound the weekly rhythm (open-ended when left out); `url` is an http(s) address;
    `accessible` says the place can be reached without steps."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    organisation: Text200 = Field(description="who runs it: an association, a parish, a club, a library")
    name: Text200 = Field(description="the activity's name, as the organisation calls it")
    description: Description = None
    municipality: Text100
    place: Text300 = Field(description="where: the place's name and street address")
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180, validate_default=True)
    day: str = Field(description="the weekday: mon, tue, wed, thu, fri, sat or sun", examples=["tue"])
    start: str = Field(description="wall-clock time HH:MM", examples=["12:00"])
    end: str = Field(description="wall-clock time HH:MM, after start", examples=["13:30"])
    first_date: date | None = Field(default=None, description="the first day it runs (else: it runs already)")
    last_date: date | None = Field(default=None, description="the last day it runs (else: open-ended)")
    languages: list[str] = Field(min_length=1, max_length=10, description="languages spoken, as fi, sv, en")
    theme: Text100 = Field(description="a theme code as the groups have (peer, sport, community...)")
    audience: Text100 = Field(default="all", description="for whom: all, men, women, youth, immigrants, neuro")
    contact: Text300 = Field(description="whom to ask: a name, a phone number or an e-mail address")
    url: Url = None
    accessible: bool = Field(default=False, description="reachable without steps")

    @field_validator("day", mode="before")
    @classmethod
    def _day(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in DAYS:
            return value.strip().lower()
        raise ValueError(f"must be a weekday: one of {', '.join(DAYS)} (got {value!r})")

    @field_validator("start", "end", mode="before")
    @classmethod
    def _time(cls, value: object) -> object:
        if not isinstance(value, str):
            raise ValueError("must be a time of day HH:MM, as 09:30")
        value = value.strip()
        if len(value) == 4 and value[1] == ":":  # 9:30
            value = "0" + value
        minutes(value)  # says what is wrong
        return value

    @field_validator("languages", mode="before")
    @classmethod
    def _languages(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part for part in (p.strip() for p in value.split(";")) if part]
        if not isinstance(value, list):
            return value
        seen: list[str] = []
        for item in value:
            if not isinstance(item, str) or not LANGUAGE.match(item.strip()):
                hint = " (separate languages with ';')" if isinstance(item, str) and "," in item else ""
                raise ValueError(f"{item!r} is not a language code such as fi, sv or en{hint}")
            if item.strip() in seen:
                raise ValueError(f"{item.strip()!r} is listed twice")
            seen.append(item.strip())
        return seen

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not URL.match(value):
            raise ValueError("must be a web address starting with http:// or https://")
        return value

    @field_validator("end")
    @classmethod
    def _after_start(cls, value: str, info: ValidationInfo) -> str:
        start = info.data.get("start")
        if start is not None and minutes(value) <= minutes(start):
            raise ValueError(f"must be after start ({value} is not after {start})")
        return value

    @field_validator("lon")
    @classmethod
    def _both(cls, value: float | None, info: ValidationInfo) -> float | None:
        if "lat" in info.data and (info.data["lat"] is None) != (value is None):
            raise ValueError("give both lat and lon, or neither")
        return value

    @field_validator("last_date")
    @classmethod
    def _not_before_first(cls, value: date | None, info: ValidationInfo) -> date | None:
        first = info.data.get("first_date")
        if value is not None and first is not None and value < first:
            raise ValueError(f"must not be before first_date ({value} is before {first})")
        return value


PartnerId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=128, pattern=ID),
    Field(description="letters, digits and _ . : @ + -, starting with a letter or digit", examples=["spr-lohja"]),
]
"""An activity's id: a short stable key the organisation or the coordinator chooses."""


class PartnerActivityIn(PartnerFields):
    """An activity with its id."""

    id: PartnerId


class PartnerActivityOut(PartnerActivityIn):
    """An activity as the service shows it: marked as a partner's, with its calendar sequence."""

    partner: Literal[True] = Field(default=True, description="always true: a partner's activity, not a county group")
    sequence: int = Field(ge=0, description="bumped whenever something its calendar event shows changes")
    updated_at: datetime | None = None


PARTNER_FIELDS: tuple[str, ...] = ("id", *PartnerFields.model_fields)
"""The fields in order: the CSV file's columns."""
CALENDAR_FIELDS: frozenset[str] = frozenset(PartnerFields.model_fields)
"""Fields the calendar event shows (every one: names, place and GEO, times, languages, theme and audience as
categories, contact, address and accessibility in the description): changing any bumps `sequence`."""
