"""The gettext catalogues: every message the pages and the feeds use is translated into Finnish, Swedish and English,
placeholders kept. The messages are found as `pybabel extract` finds them with the project's babel.cfg."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "scheduler" / "i18n" / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
KEYWORDS = {**DEFAULT_KEYWORDS, **parse_keywords(["N_", "NC_:1c,2"])}
"""As babel.cfg's extract command: `-k N_ -k NC_:1c,2`."""

Key = tuple[str | None, str | tuple[str, str]]
"""A message as a catalogue keys it: its context (or None) and its msgid (a pair for a plural)."""


@cache
def used_messages() -> frozenset[Key]:
    """Every message in the page code, the templates and the feeds, as `pybabel extract -F babel.cfg` finds them
    (extracted once per test session: the tests only read the sources)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = extract_from_dir(ROOT, method_map=method_map, options_map=options_map, keywords=KEYWORDS)
    return frozenset(
        (context, message if isinstance(message, str) else tuple(message[:2])) for _, _, message, _, context in found
    )


def key(message: Message) -> Key:
    return message.context, message.id if isinstance(message.id, str) else tuple(message.id)


def read_catalogue(lang: str) -> dict[Key, Message]:
    with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return {key(m): m for m in read_po(po, locale=lang) if m.id}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_message_is_translated(lang: str) -> None:
    have = read_catalogue(lang)
    missing = sorted(str(m) for m in used_messages() - set(have))
    assert not missing, f"{lang}: messages missing from the catalogue (run pybabel extract and update): {missing}"
    for (_, ident), message in have.items():
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strings) and "fuzzy" not in message.flags, f"{lang}: {ident!r} is not translated"
        wanted = set(PLACEHOLDER.findall(ident if isinstance(ident, str) else ident[1]))
        for text in strings:  # a plural form may leave out the number ("vapaa paikka")
            got = set(PLACEHOLDER.findall(text))
            assert got == wanted or (isinstance(ident, tuple) and got <= wanted), f"{lang}: {ident!r}: {text!r}"


@pytest.mark.parametrize("lang", ["fi", "sv", "en", "pot"])
def test_the_catalogues_hold_only_messages_in_use(lang: str) -> None:
    """A renamed or dropped msgid leaves no orphan behind, and the template is as `pybabel extract` writes it."""
    if lang == "pot":
        with (LOCALE / "messages.pot").open("rb") as pot:
            have = {key(m) for m in read_po(pot) if m.id}
    else:
        have = set(read_catalogue(lang))
    assert sorted(map(str, have - used_messages())) == []
    assert sorted(map(str, used_messages() - have)) == []
