"""Reading a PDF back without a PDF library (the project has none to read with): its pages' sizes and its text.

A PDF's objects are plain text around their streams; a content stream compressed with `/FlateDecode`
is zlib. The text is what the streams show with `Tj` and `TJ`, in the WinAnsi (cp1252) encoding that
fpdf2's core fonts use and Chromium's PDF printing does not (its text is in embedded subset fonts as
glyph ids), so `text` reads fpdf2's PDFs; `media_boxes` and `page_count` read any.
"""

from __future__ import annotations

import re
import zlib

__all__ = ["A4_POINTS", "is_a4", "media_boxes", "page_count", "text_lines"]

A4_POINTS = (595.28, 841.89)
"""210 mm x 297 mm in PDF points (1/72 inch)."""
STREAM = re.compile(rb"<<(.*?)>>\s*stream\r?\n", re.S)
LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
END = re.compile(rb"\r?\nendstream")
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.\s]+)\]")
PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")
SHOWN = re.compile(rb"\((?P<one>(?:\\.|[^\\)])*)\)\s*Tj|\[(?P<many>(?:\\.|[^\]])*)\]\s*TJ|(?P<end>ET)", re.S)
PIECE = re.compile(rb"\(((?:\\.|[^\\)])*)\)", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def media_boxes(pdf: bytes) -> list[tuple[float, ...]]:
    """Every MediaBox the file declares (a page's own, or the page tree's that its pages inherit)."""
    return [tuple(float(n) for n in found.group(1).split()) for found in MEDIA_BOX.finditer(pdf)]


def is_a4(box: tuple[float, ...]) -> bool:
    """Whether a MediaBox [x0 y0 x1 y1] is A4 portrait, to a point."""
    width, height = box[2] - box[0], box[3] - box[1]
    return abs(width - A4_POINTS[0]) < 1 and abs(height - A4_POINTS[1]) < 1


def page_count(pdf: bytes) -> int:
    """How many page objects the file has."""
    return len(PAGE.findall(pdf))


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i : i + 1] == b"\\" and i + 1 < len(raw):
            following = raw[i + 1 : i + 2]
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(0), 8))
                i += 1 + len(octal.group(0))
                continue
            out += ESCAPES.get(following, following)
            i += 2
            continue
        out += raw[i : i + 1]
        i += 1
    return bytes(out)


def _streams(pdf: bytes) -> list[bytes]:
    """Every stream's data, decompressed where it is zlib. A stream is cut by its dictionary's /Length:
    its data may itself end in a carriage return, which a search for the end-of-line before
    `endstream` would take away (and zlib then refuses the stream)."""
    found = []
    at = 0
    while head := STREAM.search(pdf, at):
        start = head.end()
        lengths = LENGTH.findall(head.group(1))
        end = start + int(lengths[-1]) if lengths else (m.start() if (m := END.search(pdf, start)) else len(pdf))
        body, at = pdf[start:end], end
        if b"/FlateDecode" in head.group(1):
            try:
                found.append(zlib.decompress(body))
            except zlib.error:
                continue  # an image or a font program, not a content stream
        else:
            found.append(body)
    return found


def text_lines(pdf: bytes, encoding: str = "cp1252") -> list[str]:
    """The text the content streams show, a line per text object (BT ... ET), in the order drawn."""
    lines: list[str] = []
    current = bytearray()
    for stream in _streams(pdf):
        for shown in SHOWN.finditer(stream):
            if shown.group("end"):
                if current:
                    lines.append(current.decode(encoding))
                    current = bytearray()
            elif shown.group("one") is not None:
                current += _unescape(shown.group("one"))
            else:
                current += b"".join(_unescape(piece) for piece in PIECE.findall(shown.group("many")))
    return lines
