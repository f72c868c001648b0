"""The base of every contract record and the shared field types.

`Text` is every required text of the contract and of the API's records: stripped of
spaces and invisible characters at both ends (no-break and zero-width spaces, bidi
marks; `trimmed`), free of control characters other than tabs and line breaks (NUL is
refused, not dropped), and never empty; the API's records refuse tabs and line breaks
too. `OptionalText` is the same for a text that may be left out: a blank one is no text,
so a stored or imported blank name reads as none.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

__all__ = [
    "BLANK",
    "CONTROL",
    "TEXT",
    "Contract",
    "Email",
    "Id",
    "Language",
    "MailLanguage",
    "OptionalText",
    "Text",
    "trimmed",
]

_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\ufeff\uffa0"
    + "".join(map(chr, range(0x200B, 0x2010)))  # zero-width spaces and joiners, left/right marks
    + "".join(map(chr, range(0x202A, 0x202F)))  # bidi embeddings and overrides
    + "".join(map(chr, range(0x2060, 0x2070)))  # word joiner, invisible operators, bidi isolates
)
BLANK = "must not be blank (spaces and invisible characters alone are no text)"
CONTROL = "must not contain control characters (such as NUL)"
_LINES = frozenset("\t\n\r")
"""Control characters a multi-line text (an address in a problem file) may hold inside."""


def _invisible(char: str) -> bool:
    return char.isspace() or char in _INVISIBLE


def trimmed(text: str) -> str:
    """The text without the spaces and invisible characters at its ends (`str.strip` keeps zero-width ones)."""
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def _text(value: object) -> object:
    """A text trimmed, refused when blank or holding control characters; anything else is left to the type check."""
    if not isinstance(value, str):
        return value
    text = trimmed(value)
    if not text:
        raise ValueError(BLANK)
    if any(unicodedata.category(char) == "Cc" and char not in _LINES for char in text):
        raise ValueError(CONTROL)
    return text


def _optional_text(value: object) -> object:
    if isinstance(value, str) and not trimmed(value):
        return None
    return _text(value)


TEXT = BeforeValidator(_text)
"""The check of every text: put it after the length bounds (`Annotated[str, StringConstraints(...), TEXT]`) so
that they are checked on the trimmed text and say "characters"."""
Text = Annotated[str, StringConstraints(min_length=1), TEXT]
"""A required text: trimmed, not blank, no control characters."""
OptionalText = Annotated[str | None, BeforeValidator(_optional_text)]
"""A text that may be left out: a blank one is none; otherwise as `Text`."""
Language = Annotated[str, Field(min_length=2, max_length=8, pattern=r"^[a-z]{2,3}(-[A-Za-z]+)?$")]
Id = Annotated[str, StringConstraints(min_length=1, max_length=128), TEXT]
Email = Annotated[
    Annotated[str, StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None,
    BeforeValidator(_optional_text),
]
"""An e-mail address that may be left out (a blank one is none)."""
MailLanguage = Literal["fi", "sv", "en"]
"""The language a person's e-mail notices are written in."""


class Contract(BaseModel):
    """Base of every contract record: unknown fields are ignored, strings are stripped."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
