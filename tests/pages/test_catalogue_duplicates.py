"""No message is in a catalogue twice: a second entry would silently replace the first one's translation.

Branches that each add messages to the same catalogues can leave both entries after a
merge (a run "cancelled" and a session "cancelled" once shared one msgid this way);
`tests/pages/test_catalogues.py` checks that every message is translated.
"""

from __future__ import annotations

from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "scheduler" / "i18n" / "locale"


def msgids(path: Path) -> list[str]:
    """Each entry's msgid (continuation lines joined), as the file spells it; `context\x04msgid` with a msgctxt."""
    found = []
    for entry in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in entry.splitlines() if not line.startswith("#")]
        parts: dict[str, list[str]] = {}
        inside = None
        for line in lines:
            keyword = line.split(" ", 1)[0]
            if keyword in ("msgctxt", "msgid"):
                parts[keyword], inside = [line.removeprefix(keyword + " ")], keyword
            elif inside and line.startswith('"'):
                parts[inside].append(line)
            else:
                inside = None
        joined = {keyword: "".join(part.strip('"') for part in text) for keyword, text in parts.items()}
        if "msgid" in joined:
            found.append(joined["msgctxt"] + "\x04" + joined["msgid"] if "msgctxt" in joined else joined["msgid"])
    return found


@pytest.mark.parametrize("path", sorted(LOCALE.glob("**/*.po*")), ids=lambda p: p.parent.parent.name)
def test_no_message_is_in_a_catalogue_twice(path: Path) -> None:
    ids = msgids(path)
    assert len(ids) > 100
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
