"""Times of the contract: weekdays, wall-clock "HH:MM" times, weekly windows and the term."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from scheduler.contract.base import Contract

__all__ = ["DAYS", "Day", "Term", "Time", "Window", "check_time", "hhmm", "minutes"]

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
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


def check_time(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("a time must be a string HH:MM")
    minutes(value)
    return value


Time = Annotated[str, Field(description="wall-clock time HH:MM", examples=["09:30"])]


class Window(Contract):
    """A weekly time window: a day and a start and end time."""

    day: Day
    start: Time
    end: Time

    _check_times = field_validator("start", "end", mode="before")(check_time)

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
