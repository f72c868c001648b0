"""Every message of the coordinator's pages is in the Finnish and Swedish catalogues, placeholders intact.

The messages are extracted from the sources as `pybabel extract` does (babel.cfg), so a
message added to a template without a translation fails here, not in front of a user.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

from api.pages.i18n import catalogue

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "api/pages/week.py", ROOT / "api/pages/planning.py",
           *sorted((ROOT / "api/templates/week").glob("*.html"))]
JINJA = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def messages() -> list[str | tuple[str, str]]:
    found: list[str | tuple[str, str]] = []
    for path in SOURCES:
        method = "python" if path.suffix == ".py" else "jinja2.ext:babel_extract"
        for _, message, _, _ in extract_from_file(method, path, {**DEFAULT_KEYWORDS, "N_": None},
                                                  options=None if path.suffix == ".py" else JINJA):
            found.append(message if isinstance(message, str) else (message[0], message[1]))
    return sorted(set(found), key=str)


def test_the_pages_have_messages_to_translate() -> None:
    assert len(messages()) > 100


SAME = {"Status", "Status: %(status)s", "%(num)d min", "%(s)s s", "full"}
"""Messages written the same way in Swedish (or Finnish) as in English."""


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_message_is_translated_with_its_placeholders(lang: str) -> None:
    translations = catalogue(lang)
    missing, broken = [], []
    for message in messages():
        originals = list(message) if isinstance(message, tuple) else [message]
        texts = ([translations.ngettext(message[0], message[1], n) for n in (1, 2)] if isinstance(message, tuple)
                 else [translations.gettext(message)])
        for original, text in zip(originals, texts, strict=True):
            if text == original and original not in SAME:
                missing.append(original)
            if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(original)):
                broken.append(original)
    assert not missing, f"not translated into {lang}: {missing}"
    assert not broken, f"placeholders changed in {lang}: {broken}"


def msgids(path: Path) -> list[str]:
    """Each entry's msgid (continuation lines joined), as the file spells it."""
    found = []
    for entry in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in entry.splitlines() if not line.startswith("#")]
        ident, inside = [], False
        for line in lines:
            if line.startswith("msgid "):
                ident, inside = [line.removeprefix("msgid ")], True
            elif inside and line.startswith('"'):
                ident.append(line)
            else:
                inside = False
        if ident:
            found.append("".join(part.strip('"') for part in ident))
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "api/locale").glob("**/*.po*")), ids=lambda p: p.parent.parent.name)
def test_no_message_is_in_a_catalogue_twice(path: Path) -> None:
    """A second entry would silently replace the first one's translation (merged branches can do this)."""
    ids = msgids(path)
    assert len(ids) > 100
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
