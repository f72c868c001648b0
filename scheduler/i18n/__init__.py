"""The product's languages: Finnish (the default), Swedish and English, from one set of gettext catalogues.

The pages and the calendar feeds read the same catalogues, `locale/{fi,sv,en}/LC_MESSAGES/messages.po`
beside this file, so a word has one translation everywhere. They are compiled in memory the first
time a language is asked for, so a fresh clone needs no build step and a catalogue can never be
stale. Dates, weekdays and language names come from Babel's CLDR data in the same language, and
`negotiate` picks the best language of an Accept-Language header with Babel.

A bottom layer beside the contract: this package imports no other project module.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale
from babel.core import negotiate_locale
from babel.dates import format_date, get_day_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

__all__ = [
    "DAYS",
    "DEFAULT",
    "LANGS",
    "LANG_NAMES",
    "LOCALE_DIR",
    "Lang",
    "Message",
    "NC_",
    "N_",
    "Width",
    "catalogue",
    "gettext",
    "lang_for",
    "language_name",
    "negotiate",
    "short_date",
]

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGS: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT = "fi"
LANG_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}
"""Each language named in itself, as the language switch shows it."""
DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The contract's day codes in `date.weekday()` order (the contract's own DAYS; kept here to stay at the bottom)."""

SHORT_DATES = {"fi": ("fi_FI", "short"), "sv": ("sv_FI", "short"), "en": ("en", "yyyy-MM-dd")}
"""A short date's CLDR locale and format: Finland's 6.1.2027 in Finnish and Swedish, 2027-01-06 in English."""

Message = str | tuple[str, str]
"""A msgid, or a (msgctxt, msgid) pair for a word that differs by where it is shown."""
Width = Literal["abbreviated", "narrow", "short", "wide"]
"""How long a weekday's name is, in CLDR's words ("wide": maanantai, "abbreviated": ma)."""


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


def NC_(context: str, message: str) -> tuple[str, str]:
    """Marks a message with its context (msgctxt) for extraction: `pybabel extract -k NC_:1c,2`."""
    return context, message


@lru_cache(maxsize=len(LANGS))
def catalogue(lang: str) -> Translations:
    """The language's translations, compiled in memory from its `.po` file."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        compiled = io.BytesIO()
        write_mo(compiled, read_po(po, locale=lang))
    compiled.seek(0)
    return Translations(compiled)


def gettext(lang: str, message: Message, **values: Any) -> str:
    """A message in the language, its `%(name)s` blanks filled.

    A (context, msgid) pair is looked up with its context.
    """
    translations = catalogue(lang)
    # Babel types pgettext as `str | object`, but it returns the msgid itself when there is no translation.
    text = str(translations.pgettext(*message)) if isinstance(message, tuple) else translations.gettext(message)
    return text % values if values else text


def language_name(code: str, lang: str) -> str:
    """A language's name in another language, from CLDR (`sv` is "ruotsi" in Finnish); an unknown code as it is."""
    name = Locale.parse(lang).languages.get(code)
    return str(name) if name else code


def short_date(day: date, lang: str) -> str:
    """A date in few characters: 6.1.2027 in Finnish and Swedish (as written in Finland), 2027-01-06 in English."""
    locale, form = SHORT_DATES[lang]
    return format_date(day, format=form, locale=locale)


def negotiate(header: str | None) -> str | None:
    """The best of fi, sv and en for an Accept-Language header (`sv-FI,sv;q=0.9,en;q=0.5`), or None if none fits.

    The header's tags are ordered by their q weights (a tag with q=0 is refused, `*` says nothing);
    Babel's `negotiate_locale` then matches them to the languages, a region falling back to its language.
    """
    if not header:
        return None
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, *params = (piece.strip() for piece in part.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if tag and tag != "*" and weight > 0:
            weighted.append((-weight, position, tag.replace("_", "-")))
    found = negotiate_locale([tag for *_, tag in sorted(weighted)], LANGS, sep="-")
    return found.lower() if found else None


@dataclass(frozen=True)
class Lang:
    """One language's messages, dates and weekdays: what a page or a feed is rendered with."""

    code: str

    @classmethod
    def negotiate(cls, header: str | None) -> Lang | None:
        """The language an Accept-Language header prefers among fi, sv and en, or None."""
        code = negotiate(header)
        return cls(code) if code else None

    @property
    def translations(self) -> Translations:
        return catalogue(self.code)

    def gettext(self, message: Message, **values: Any) -> str:
        return gettext(self.code, message, **values)

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> str:
        return self.translations.ngettext(singular, plural, n) % {"num": n, **values}

    def date(self, day: dt.date, form: str = "medium") -> str:
        """A date as people write it in the language ("medium", "long", "full" or a CLDR pattern)."""
        return format_date(day, format=form, locale=self.code)

    def short_date(self, day: dt.date) -> str:
        return short_date(day, self.code)

    def weekday(self, day: str | dt.date, width: Width = "wide", alone: bool = False) -> str:
        """A weekday's name from a contract day (`mon`) or a date; `alone` as a label ("maanantai")."""
        index = DAYS.index(day) if isinstance(day, str) else day.weekday()
        return str(get_day_names(width, context="stand-alone" if alone else "format", locale=self.code)[index])

    def language_name(self, code: str) -> str:
        return language_name(code, self.code)


def lang_for(code: str | None) -> Lang | None:
    """The language a code names, or None for a code the product does not speak."""
    return Lang(code) if code in LANGS else None
