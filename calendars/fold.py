"""Content lines folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character or an escape.

The values are escaped before (by `icalendar`); this folds the lines. The library's own folding
walks every character of every line, which was most of the time a large feed took; this looks
only at the lines that are too long and cuts their bytes directly.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["LIMIT", "fold", "fold_all"]

LIMIT = 75
CRLF = b"\r\n"


def _cut(data: bytes, start: int, limit: int) -> int:
    """Where the line from `start` ends: at most `limit` octets, at a character's first byte, and not
    between a backslash and the character it escapes."""
    cut = start + limit
    while data[cut] & 0xC0 == 0x80:  # a continuation byte: the character began earlier
        cut -= 1
    slashes = 0
    while cut - slashes - 1 >= 0 and data[cut - slashes - 1] == 0x5C:  # the whole run: escapes pair from its start
        slashes += 1
    return cut - 1 if slashes % 2 and cut - 1 > start else cut


def fold(line: str) -> bytes:
    """One content line as UTF-8, folded: CRLF and a space before every 74 further octets."""
    data = line.encode("utf-8")
    if len(data) <= LIMIT:
        return data + CRLF
    parts, start, limit = [], 0, LIMIT
    while len(data) - start > limit:
        cut = _cut(data, start, limit)
        parts.append(data[start:cut])
        start, limit = cut, LIMIT - 1
    parts.append(data[start:])
    return b"\r\n ".join(parts) + CRLF


def fold_all(lines: Iterable[str]) -> bytes:
    """The content lines of a calendar, each folded, each ended by CRLF."""
    return b"".join(fold(line) for line in lines if line)
