"""The test's own PDF reader (`tests.pages.pdf_text`) reads every content stream, whatever bytes it ends in."""

from __future__ import annotations

import zlib

from tests.pages.pdf_text import text_lines


def _ending_in_carriage_return() -> tuple[bytes, bytes]:
    """A content stream whose compressed bytes end in a carriage return (about one in 256 do)."""
    for n in range(1, 1000):  # each "A" adds 65 to the checksum's last byte: every residue comes round
        content = f"BT (Group {'A' * n}) Tj ET".encode()
        packed = zlib.compress(content)
        if packed.endswith(b"\r"):
            return content, packed
    raise AssertionError("no such stream")


def test_a_stream_ending_in_a_carriage_return_is_read_whole() -> None:
    content, packed = _ending_in_carriage_return()
    pdf = (
        b"%PDF-1.3\n1 0 obj\n<< /Filter /FlateDecode /Length "
        + str(len(packed)).encode()
        + b" >>\nstream\n"
        + packed
        + b"\nendstream\nendobj\n%%EOF\n"
    )
    assert text_lines(pdf) == [content[4:-7].decode()]
