"""The county's figures as one tidy table: a row per figure, for CSV and spreadsheets.

Columns: `section`, `figure`, `key` (a reason, a bin, a question id), `municipality`,
`language`, `kind` (the seat table's three keys) and `value`. A figure with nothing to count
(no marks, no answers) has an empty value. The CSV is UTF-8 with a byte-order mark (so Excel
reads it as UTF-8), comma-separated with a point for decimals (RFC 4180). Feedback comments (free text) are not in it: a
file travels further than the coordinators' page; their count is.
"""

from __future__ import annotations

import csv
import io

from scheduler.services.figures.model import CountyFigures

__all__ = ["ROW_COLUMNS", "Row", "figure_rows", "figures_csv"]

ROW_COLUMNS = ("section", "figure", "key", "municipality", "language", "kind", "value")
Row = tuple[str, str, str, str, str, str, int | float | str | None]


def _plain(section: str, figures: dict[str, object]) -> list[Row]:
    rows: list[Row] = []
    for figure, value in figures.items():
        if isinstance(value, dict):
            rows += [(section, figure, key, "", "", "", count) for key, count in value.items()]
        elif value is None or isinstance(value, int | float):
            rows.append((section, figure, "", "", "", "", value))
    return rows


def figure_rows(figures: CountyFigures) -> list[Row]:
    """Every figure of the record as a row, in the report's order."""
    rows: list[Row] = [
        ("period", "from", "", "", "", "", figures.period_from.isoformat()),
        ("period", "to", "", "", "", "", figures.period_to.isoformat()),
    ]
    for section in ("clients", "waiting", "offers", "attendance", "endings"):
        rows += _plain(section, getattr(figures, section).model_dump())
    rows += [("seats", "seats", "", c.municipality, c.language, c.kind, c.seats) for c in figures.seats]
    feedback = figures.feedback
    rows += [("feedback", "forms", kind, "", "", "", n) for kind, n in feedback.forms.items()]
    for q in feedback.questions:
        for figure in ("answers", "mean", "promoters", "passives", "detractors", "nps"):
            value = getattr(q, figure)
            if value is not None or figure in ("answers", "mean"):
                rows.append(("feedback", figure, q.id, "", "", "", value))
    rows.append(("feedback", "comments", "", "", "", "", len(feedback.comments)))
    return rows


def figures_csv(figures: CountyFigures) -> bytes:
    """The tidy table as CSV: a header row, then `figure_rows`; UTF-8 with a byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ROW_COLUMNS)
    writer.writerows(["" if cell is None else cell for cell in row] for row in figure_rows(figures))
    return out.getvalue().encode("utf-8-sig")
