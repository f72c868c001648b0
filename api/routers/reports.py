"""The county's figures for a period, as JSON or CSV: coordinators only.

`GET /reports/county?from=DATE&to=DATE` answers `scheduler.services.figures.county_figures`
(defaults: this month so far); `&format=csv` the same figures as one tidy table, an attachment
in UTF-8 with a byte-order mark. Every figure is defined in docs/county-figures.md. A browser
asking for HTML without a bearer token gets the coordinators' page at the same address instead.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from api.deps import Coordinator, SessionDep, today
from api.errors import ERRORS
from api.routers.resources_types import IsoDate
from api.routers.shared_paths import ApiRoute
from scheduler.services.figures import CountyFigures, county_figures, default_period, figures_csv

__all__ = ["Period", "period", "router"]


router = APIRouter(prefix="/reports", tags=["reports"], route_class=ApiRoute)


def period(
    on: Annotated[date, Depends(today)],
    start: Annotated[
        IsoDate | None, Query(alias="from", description="the period's first day (default: this month's first)")
    ] = None,
    end: Annotated[IsoDate | None, Query(alias="to", description="the period's last day (default: today)")] = None,
) -> tuple[date, date]:
    """The period asked for, each end defaulting to this month so far."""
    first, last = default_period(on)
    return start or first, end or last


Period = Annotated[tuple[date, date], Depends(period)]


@router.get(
    "/county",
    response_model=CountyFigures,
    summary="The county's figures for a period",
    responses={
        **ERRORS,
        200: {"content": {"text/csv": {}}, "description": "the figures (JSON, or CSV with format=csv)"},
    },
)
def county(
    db: SessionDep,
    _: Coordinator,
    asked: Period,
    on: Annotated[date, Depends(today)],
    format: Annotated[Literal["json", "csv"], Query(description="json, or csv: one row per figure")] = "json",  # noqa: A002
) -> Response:
    """Clients in group work, new decisions, the wait from case opening to the first session, offers,
    attendance, seats by municipality × language × kind, end reasons and next steps, and feedback
    (with its comments, which only coordinators see; the CSV leaves comments out). `from` after `to` is a 422."""
    figures = county_figures(db, *asked, on)
    if format == "csv":
        name = f"county-figures-{figures.period_from}-{figures.period_to}.csv"
        return Response(
            figures_csv(figures),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return JSONResponse(figures.model_dump(mode="json", by_alias=True))
