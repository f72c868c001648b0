"""The pages' languages: Finnish (the default), Swedish and English, from gettext catalogues.

The catalogues are the `.po` files under `api/locale/`; they are compiled in memory the
first time a language is asked for, so a fresh clone needs no build step and a catalogue
can never be stale. Dates and weekdays come from Babel's CLDR data in the same language.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.dates import format_date, get_day_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from scheduler.contract import DAYS

__all__ = ["DEFAULT", "LANGS", "LANG_NAMES", "Lang", "N_", "catalogue", "lang_for"]

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGS: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT = "fi"
LANG_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}
"""Each language named in itself, as the language switch shows it."""


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


@lru_cache(maxsize=len(LANGS))
def catalogue(lang: str) -> Translations:
    """The language's translations, compiled in memory from its `.po` file."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        compiled = io.BytesIO()
        write_mo(compiled, read_po(po, locale=lang))
    compiled.seek(0)
    return Translations(compiled)


@dataclass(frozen=True)
class Lang:
    """One language's messages, dates and weekdays: what a page is rendered with."""

    code: str

    @property
    def translations(self) -> Translations:
        return catalogue(self.code)

    def gettext(self, message: str, **values: Any) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> str:
        return self.translations.ngettext(singular, plural, n) % {"num": n, **values}

    def date(self, day: date, form: str = "medium") -> str:
        """A date as people write it in the language ("medium", "long", "full" or a CLDR pattern)."""
        return format_date(day, format=form, locale=self.code)

    def weekday(self, day: str | date, width: str = "wide", alone: bool = False) -> str:
        """A weekday's name from a contract day (`mon`) or a date; `alone` as a label ("maanantai")."""
        index = DAYS.index(day) if isinstance(day, str) else day.weekday()
        return str(get_day_names(width, context="stand-alone" if alone else "format", locale=self.code)[index])


def lang_for(code: str | None) -> Lang | None:
    """The language a code names, or None for a code the pages do not speak."""
    return Lang(code) if code in LANGS else None
