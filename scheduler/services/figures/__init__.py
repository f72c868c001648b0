"""The county's figures for a period: who was in group work, how long they waited, offers,
attendance, seats by place, language and kind, how seats ended, and feedback.

`county_figures(session, start, end)` reads the database once per section and returns one
record (`CountyFigures`); `figure_rows` lays it out as a tidy table (one row per figure) for
CSV. Every figure is defined in docs/county-figures.md. Coordinators only: the routes check.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from scheduler.contract.errors import Invalid
from scheduler.services.figures.activity import attendance_figures, ending_figures, offer_figures, seat_cells
from scheduler.services.figures.clients import client_figures, waiting_figures
from scheduler.services.figures.feedback import feedback_figures
from scheduler.services.figures.model import CountyFigures
from scheduler.services.figures.rows import ROW_COLUMNS, figure_rows, figures_csv

__all__ = ["ROW_COLUMNS", "CountyFigures", "county_figures", "default_period", "figure_rows", "figures_csv"]


def default_period(today: date) -> tuple[date, date]:
    """The report's period when none is asked for: this month so far (its first day to today)."""
    return today.replace(day=1), today


def county_figures(session: Session, start: date, end: date, today: date | None = None) -> CountyFigures:
    """Every figure for the days `start` to `end`, both included (`Invalid` naming `from` if reversed);
    with `today`, the still-waiting count of a period that ends later is taken today."""
    if start > end:
        raise Invalid.of("from", f"the period starts ({start}) after it ends ({end})")
    return CountyFigures(
        period_from=start,
        period_to=end,
        clients=client_figures(session, start, end),
        waiting=waiting_figures(session, start, end, today),
        offers=offer_figures(session, start, end),
        attendance=attendance_figures(session, start, end),
        seats=seat_cells(session, start, end),
        endings=ending_figures(session, start, end),
        feedback=feedback_figures(session, start, end),
    )
