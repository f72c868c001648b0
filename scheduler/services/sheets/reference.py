"""The sheets and their columns as Markdown tables, for docs/sheets.md (from the one catalogue, `columns`).

    python -m scheduler.services.sheets.reference docs/sheets.md

rewrites the part of the file between `<!-- columns -->` and `<!-- /columns -->`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scheduler.i18n import gettext as translated
from scheduler.services.sheets.cells import EXPECTED
from scheduler.services.sheets.columns import CHOICES, SHEETS, Cell, Column

__all__ = ["column_tables", "rewrite"]

START, END = "<!-- columns -->", "<!-- /columns -->"


def _written(column: Column) -> str:
    if column.cell is Cell.CHOICE and column.choices:
        return "one of: " + ", ".join(f"`{c.code}`" for c in CHOICES[column.choices])
    return translated("en", EXPECTED[column.cell]).removeprefix("give ")


def column_tables() -> str:
    """Every sheet: its names, then a row a column (its headers in en, fi and sv, required, how written, help)."""
    parts = []
    for sheet in SHEETS:
        names = ", ".join(f"`{translated(lang, sheet.label)}`" for lang in ("fi", "sv"))
        parts += [f"### `{sheet.kind}` ({names})", "", translated("en", sheet.help), ""]
        parts += [
            "| column | fi | sv | required | written as | what it holds | example |",
            "|---|---|---|---|---|---|---|",
        ]
        for column in sheet.columns:
            parts.append(
                f"| `{column.field}` | {translated('fi', column.label)} | {translated('sv', column.label)} | "
                f"{'yes' if column.required else ''} | {_written(column)} | {translated('en', column.help)} | "
                f"{('`' + column.example + '`') if column.example else ''} |"
            )
        parts.append("")
    return "\n".join(parts)


def rewrite(path: Path) -> None:
    """The tables written into the file between the markers."""
    text = path.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    path.write_text(f"{before}{START}\n\n{column_tables()}\n{END}{after}", encoding="utf-8")


if __name__ == "__main__":
    rewrite(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/sheets.md"))
