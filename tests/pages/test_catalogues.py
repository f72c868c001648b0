"""The gettext catalogues: every message the pages use is translated into Finnish and Swedish, placeholders kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
API = ROOT / "api"
LOCALE = ROOT / "scheduler" / "i18n" / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def used_messages() -> set[str | tuple[str, str]]:
    """Every msgid in the page code and templates, as `pybabel extract -F babel.cfg -k N_` finds them."""
    found = extract_from_dir(
        API, method_map=[("**.py", "python"), ("templates/**.html", "jinja2")],
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                                           "lstrip_blocks": "true"}},
        keywords={**DEFAULT_KEYWORDS, "N_": None})
    return {message if isinstance(message, str) else tuple(message[:2]) for _, _, message, _, _ in found}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_message_is_translated(lang: str) -> None:
    with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po, locale=lang)
    have = {m.id if isinstance(m.id, str) else tuple(m.id): m for m in catalogue if m.id}
    missing = sorted(str(m) for m in used_messages() - set(have))
    assert not missing, f"{lang}: messages missing from the catalogue (run pybabel extract and update): {missing}"
    for key, message in have.items():
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strings) and "fuzzy" not in message.flags, f"{lang}: {key!r} is not translated"
        wanted = set(PLACEHOLDER.findall(key if isinstance(key, str) else key[1]))
        for text in strings:  # a plural form may leave out the number ("vapaa paikka")
            got = set(PLACEHOLDER.findall(text))
            assert got == wanted or (isinstance(key, tuple) and got <= wanted), f"{lang}: {key!r}: {text!r}"
