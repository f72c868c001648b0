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


@pytest.mark.parametrize("path", sorted(LOCALE.glob("**/*.po*")), ids=lambda p: p.parent.parent.name)
def test_no_message_is_in_a_catalogue_twice(path: Path) -> None:
    ids = msgids(path)
    assert len(ids) > 100
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
