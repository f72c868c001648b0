"""A cell as the contract reads it: each `Cell` kind's reader, and what it expects when a value does not fit.

A cell comes from a CSV file as text, or from an .xlsx file as what the spreadsheet stored: a
number, a truth value, a date. Either way an empty cell is a field left out (None). A value that
does not fit raises `Unfit`, carrying the message that says what was expected, in the catalogue's
words (translated where the fault is shown).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from babel.dates import get_day_names

from scheduler.i18n import DAYS, LANGS, N_, Message, gettext
from scheduler.services.sheets.columns import CHOICES, Cell, Column

__all__ = ["EXPECTED", "Unfit", "read_cell", "show_value"]

YES = frozenset({"yes", "y", "true", "1", "x", "kyllä", "k", "joo", "ja", "j", "sant"})
NO = frozenset({"no", "n", "false", "0", "ei", "e", "nej", "falskt"})
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z]+)?$")
TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?$")
FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
ITEM_SEPARATOR = re.compile(r"[,;\n]")
WINDOW = re.compile(r"^(\S+?)\.?\s+(\S+?)\s*[-–]\s*(\S+)$")
PERIOD_SEPARATOR = re.compile(r"\s*(?:/|–|\.\.)\s*")

EXPECTED: dict[Cell, str] = {
    Cell.TEXT: N_("give a text"),
    Cell.INT: N_("give a whole number, e.g. 10"),
    Cell.FLOAT: N_("give a decimal number, e.g. 60.25"),
    Cell.BOOL: N_("give yes or no"),
    Cell.DATE: N_("give a date, e.g. 2027-01-04 or 4.1.2027"),
    Cell.CODES: N_("give language codes separated by commas: fi, sv"),
    Cell.LIST: N_("give texts separated by commas"),
    Cell.CHOICE: N_("give one of: %(choices)s"),
    Cell.WINDOWS: N_("give weekly times separated by commas, e.g. mon 9:00-12:00, thu 13-16"),
    Cell.PERIODS: N_("give periods separated by commas, each start/end, e.g. 2027-01-11/2027-07-10"),
}
"""What each kind of cell expects, as a fault says it."""


class Unfit(ValueError):
    """A cell that does not fit its column: `message` says what was expected (with `values` for its blanks)."""

    def __init__(self, message: Message, **values: str) -> None:
        super().__init__(message)
        self.message = message
        self.values = values

    def text(self, lang: str) -> str:
        return gettext(lang, self.message, **{k: v for k, v in self.values.items()})


def read_cell(column: Column, value: Any) -> Any:
    """The contract's value of a cell (None for an empty one); `Unfit` when it does not fit the column."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return _READERS[column.cell](column, value)
    except Unfit:
        raise
    except (ValueError, TypeError, OverflowError):
        raise _unfit(column) from None


def _unfit(column: Column) -> Unfit:
    if column.cell is Cell.CHOICE and column.choices:
        return Unfit(EXPECTED[Cell.CHOICE], choices=", ".join(c.code for c in CHOICES[column.choices]))
    return Unfit(EXPECTED[column.cell])


def show_value(value: Any) -> str:
    """A cell's value as a fault quotes it."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text(column: Column, value: Any) -> str:
    if isinstance(value, bool):
        raise ValueError(value)
    return show_value(value).strip()


def _int(column: Column, value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    if isinstance(value, int):
        return value
    return int(str(value).strip().replace(" ", "").replace("\u00a0", ""))


def _float(column: Column, value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return float(value)
    return float(str(value).strip().replace(",", ".").replace(" ", ""))


def _bool(column: Column, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = show_value(value).strip().casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(value)


def _date(column: Column, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _date_text(str(value).strip())


def _date_text(text: str) -> dt.date:
    finnish = FINNISH_DATE.match(text)
    if finnish:
        return dt.date(int(finnish.group(3)), int(finnish.group(2)), int(finnish.group(1)))
    return dt.date.fromisoformat(text)


def _items(value: Any) -> list[str]:
    return [item.strip() for item in ITEM_SEPARATOR.split(str(value)) if item.strip()]


def _codes(column: Column, value: Any) -> list[str]:
    codes = [item.lower() for item in _items(value)]
    if not codes or any(not LANGUAGE_CODE.match(code) for code in codes):
        raise ValueError(value)
    return codes


def _list(column: Column, value: Any) -> list[str]:
    return _items(value)


def _choice(column: Column, value: Any) -> str:
    assert column.choices is not None
    wanted = _fold(str(value))
    for choice in CHOICES[column.choices]:
        if wanted == _fold(choice.code) or any(wanted == _fold(gettext(lang, choice.label)) for lang in LANGS):
            return choice.code
    raise ValueError(value)


@lru_cache(maxsize=1)
def _weekdays() -> dict[str, str]:
    """Every weekday name and abbreviation in fi, sv and en, folded, to its contract code (`ma` → `mon`)."""
    names: dict[str, set[str]] = {}
    for code in DAYS:
        names.setdefault(code, set()).add(code)
    for lang in LANGS:
        for width in ("wide", "abbreviated", "short"):
            for context in ("format", "stand-alone"):
                for index, name in get_day_names(width, context=context, locale=lang).items():
                    names.setdefault(_fold(str(name)).rstrip("."), set()).add(DAYS[index])
    return {name: next(iter(days)) for name, days in names.items() if len(days) == 1}


def _time(text: str) -> str:
    match = TIME.match(text.strip())
    if match is None:
        raise ValueError(text)
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise ValueError(text)
    return f"{hours:02d}:{minutes:02d}"


def _windows(column: Column, value: Any) -> list[dict[str, str]]:
    windows = []
    for item in _items(value):
        match = WINDOW.match(item)
        if match is None:
            raise ValueError(item)
        day = _weekdays().get(_fold(match.group(1)))
        if day is None:
            raise ValueError(item)
        windows.append({"day": day, "start": _time(match.group(2)), "end": _time(match.group(3))})
    return windows


def _periods(column: Column, value: Any) -> list[dict[str, str]]:
    periods = []
    for item in _items(value):
        parts = PERIOD_SEPARATOR.split(item)
        if len(parts) != 2:
            raise ValueError(item)
        start, end = (_date_text(part) for part in parts)
        periods.append({"start": start.isoformat(), "end": end.isoformat()})
    return periods


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("_", " ").split())


_READERS = {
    Cell.TEXT: _text,
    Cell.INT: _int,
    Cell.FLOAT: _float,
    Cell.BOOL: _bool,
    Cell.DATE: _date,
    Cell.CODES: _codes,
    Cell.LIST: _list,
    Cell.CHOICE: _choice,
    Cell.WINDOWS: _windows,
    Cell.PERIODS: _periods,
}
