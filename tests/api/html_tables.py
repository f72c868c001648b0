"""The tables of a page as data, read with the standard library's HTML parser.

Each table has its attributes, its caption's text and its rows; each row its attributes and its
cells; each cell its tag (`th`/`td`), attributes, whole text, and the text of every element
inside it that has a class (`parts["fill-figure"]`), so a test can read a page's figures
the way a person reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["Cell", "Row", "Table", "tables"]

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _flat(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Cell:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    parts: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Row:
    attrs: dict[str, str]
    cells: list[Cell] = field(default_factory=list)
    section: str = "tbody"


@dataclass
class Table:
    attrs: dict[str, str]
    caption: str = ""
    rows: list[Row] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.table: Table | None = None
        self.row: Row | None = None
        self.cell: Cell | None = None
        self.section = "tbody"
        self.in_caption = False
        self.open: list[tuple[str, list[str], list[str]]] = []  # tag, classes, text, inside the cell

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "table":
            self.table = Table(values)
            self.tables.append(self.table)
        elif self.table is None:
            return
        elif tag == "caption":
            self.in_caption = True
        elif tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif tag == "tr":
            self.row = Row(values, section=self.section)
            self.table.rows.append(self.row)
        elif tag in ("th", "td") and self.row is not None:
            self.cell = Cell(tag, values)
            self.row.cells.append(self.cell)
            self.open = []
        elif self.cell is not None and tag not in VOID:
            self.open.append((tag, values.get("class", "").split(), []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.table = self.row = self.cell = None
        elif tag == "caption":
            self.in_caption = False
        elif tag in ("th", "td") and self.cell is not None:
            self.cell.text = _flat(self.cell.text)
            self.cell = None
        elif self.cell is not None and self.open and self.open[-1][0] == tag:
            _, classes, text = self.open.pop()
            for name in classes:
                self.cell.parts.setdefault(name, []).append(_flat("".join(text)))

    def handle_data(self, data: str) -> None:
        if self.table is not None and self.in_caption:
            self.table.caption = _flat(self.table.caption + " " + data)
        if self.cell is not None:
            self.cell.text += data
            for _, _, text in self.open:
                text.append(data)


def tables(html: str) -> list[Table]:
    """Every table of the page, in order."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.tables
