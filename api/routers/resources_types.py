"""Field types of the resource records: each says in its schema what it accepts, and says it plainly when not.

Every text is trimmed of spaces and invisible characters at its ends, never blank, bounded
by its column's length and free of control characters (PostgreSQL refuses NUL): the
contract's one text check (`scheduler.contract.base.TEXT`), and here no tab or line break
either (`PLAIN`). Every number is bounded, so a bad value is a 422 naming the field, never
a database error. The pattern in each schema documents the same check the validator makes.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, StringConstraints

from scheduler.contract import Window, minutes
from scheduler.contract.base import TEXT

__all__ = [
    "IsoDate",
    "Key",
    "Labels",
    "Languages",
    "LanguageCode",
    "Lat",
    "MailAddress",
    "Lon",
    "PLAIN",
    "Ref",
    "RoomKey",
    "Text100",
    "Text200",
    "Text300",
    "Time",
    "WindowIn",
    "Windows",
]

PLAIN = r"^[^\x00-\x1f\x7f]*$"
_SLUG = r"[A-Za-z0-9][A-Za-z0-9_.:@+-]*"
KEY = rf"^{_SLUG}$"
ROOM_KEY = rf"^{_SLUG}(/{_SLUG})*$"
LANGUAGE = r"^[a-z]{2,3}(-[A-Za-z]+)?$"
TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
MAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def _plain(value: str) -> str:
    if re.search(r"[\x00-\x1f\x7f]", value):
        raise ValueError("must not contain control characters (such as NUL, tab or a line break)")
    return value


def _matching(pattern: str, says: str) -> AfterValidator:
    """A check that the whole text matches the pattern, failing with a sentence instead of the regex."""

    def check(value: str) -> str:
        if re.fullmatch(pattern, value) is None:
            raise ValueError(f"{value!r} is not {says}")
        return value

    return AfterValidator(check)


def _documented(pattern: str) -> Any:
    return Field(json_schema_extra={"pattern": pattern})


def _time(value: str) -> str:
    minutes(value)
    return value


def _iso_date(value: object) -> object:
    """Only a date written YYYY-MM-DD (or one read from the database): never a number taken for a timestamp."""
    if isinstance(value, date) or (isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)):
        return value
    raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")


Text100 = Annotated[
    str, StringConstraints(min_length=1, max_length=100), AfterValidator(_plain), TEXT, _documented(PLAIN)
]
Text200 = Annotated[
    str, StringConstraints(min_length=1, max_length=200), AfterValidator(_plain), TEXT, _documented(PLAIN)
]
Text300 = Annotated[
    str, StringConstraints(min_length=1, max_length=300), AfterValidator(_plain), TEXT, _documented(PLAIN)
]
Ref = Annotated[str, StringConstraints(min_length=1, max_length=128), AfterValidator(_plain), TEXT, _documented(PLAIN)]
"""The id of another record, as stored (it need not follow the rules for new ids)."""
Key = Annotated[
    str,
    StringConstraints(min_length=1, max_length=128),
    _matching(KEY, "an id of letters, digits and _ . : @ + - (starting with a letter or digit)"),
    TEXT,
    _documented(KEY),
]
"""A new record's id: it appears in addresses, so it keeps to characters that need no escaping."""
RoomKey = Annotated[
    str,
    StringConstraints(min_length=1, max_length=128),
    _matching(ROOM_KEY, "a room id such as 'hub-id/room' (letters, digits and _ . : @ + -)"),
    TEXT,
    _documented(ROOM_KEY),
]
"""A new room's id, by custom its hub's id and a name: `espoo-keskus-sote/ryhmahuone`."""
LanguageCode = Annotated[
    str,
    StringConstraints(min_length=2, max_length=8),
    _matching(LANGUAGE, "a language code such as 'fi' or 'sv'"),
    _documented(LANGUAGE),
]
MailAddress = Annotated[
    str,
    StringConstraints(min_length=5, max_length=254),
    _matching(MAIL, "an e-mail address such as 'name@example.fi'"),
    _documented(MAIL),
]
"""Where a person's notices are mailed, as typed (null clears it: then their notices stay on their list)."""
Time = Annotated[str, AfterValidator(_time), _documented(TIME)]
IsoDate = Annotated[date, BeforeValidator(_iso_date), Field(strict=False)]
Lat = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Lon = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
Languages = Annotated[list[LanguageCode], Field(min_length=1, max_length=10)]
Labels = Annotated[list[Text100], Field(max_length=50)]
"""Skills, interests, audiences: short words such as `nature` or `role:social_counsellor`."""


class WindowIn(Window):
    """A weekly window as the contract has it (a day, times HH:MM, the end after the start)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, strict=True)
    start: Annotated[str, _documented(TIME), Field(description="wall-clock time HH:MM", examples=["09:00"])]
    end: Annotated[str, _documented(TIME), Field(description="wall-clock time HH:MM", examples=["15:00"])]


Windows = Annotated[list[WindowIn], Field(max_length=50)]
