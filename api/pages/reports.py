"""The county's figures as a page for coordinators, `/reports/county`: a period form (no script), tables,
and bar charts drawn as inline SVG, each with its table.

The same address answers the JSON API (`api.routers.reports`) when called with a bearer token;
a browser (asking for HTML, with no token) gets this page, signed in as a coordinator. From the
page, `format=csv` downloads the figures and `format=json` shows them as JSON.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from api.deps import SessionDep, today
from api.pages import labels
from api.pages.charts import BarChart, bar_chart
from api.pages.context import CoordinatorPage, Page
from api.pages.errors import PAGE_TAG
from api.pages.i18n import N_, Lang
from api.pages.offers import DECLINE_LABELS
from api.pages.render import render
from scheduler.i18n.labels import ATTENDANCE, END_REASONS, KINDS, NEXT_STEPS
from scheduler.services.figures import CountyFigures, county_figures, default_period, figures_csv
from scheduler.services.figures.activity import REMOTE, UNRECORDED
from scheduler.services.figures.clients import BINS

__all__ = ["BIN_LABELS", "OFFER_LABELS", "chart_rows", "decline_names", "period_of", "router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

Today = Annotated[date, Depends(today)]
DateText = Annotated[str | None, Query(max_length=40)]
BIN_LABELS = {
    "under_1": N_("Under a month"),
    "1_to_2": N_("1–2 months"),
    "2_to_3": N_("2–3 months"),
    "over_3": N_("Over three months"),
}
OFFER_LABELS = {
    "accepted": N_("accepted"),
    "declined": N_("declined"),
    "expired": N_("expired"),
    "withdrawn": N_("withdrawn"),
    "pending": N_("waiting for an answer"),
}
UNRECORDED_LABEL = N_("Not recorded")


def _day(text: str | None, fallback: date) -> date | None:
    if text is None or not text.strip():
        return fallback
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def period_of(start: str | None, end: str | None, on: date) -> tuple[date, date] | str:
    """The period asked for (each end defaulting to this month so far), or what is wrong with it (a msgid)."""
    first, last = default_period(on)
    period_from, period_to = _day(start, first), _day(end, last)
    if period_from is None:
        return N_("The first day is not a date: write it as YYYY-MM-DD.")
    if period_to is None:
        return N_("The last day is not a date: write it as YYYY-MM-DD.")
    if period_from > period_to:
        return N_("The period starts after it ends.")
    return period_from, period_to


def _label(lang: Lang, table: dict[str, str], code: str) -> str:
    return lang.gettext(UNRECORDED_LABEL) if code == UNRECORDED else labels.label(table, code, lang)


def chart_rows(lang: Lang, figures: CountyFigures) -> dict[str, tuple[str, list[tuple[str, int]]]]:
    """Each chart's title and its (label, count) rows in the language: what the page draws and tabulates,
    and what the workbook's figures sheet lists (`api.exports.week`)."""
    t = lang.gettext
    return {
        "waiting": (
            t(N_("Wait from case opening to first session")),
            [(t(BIN_LABELS[b]), figures.waiting.bins[b]) for b in BINS],
        ),
        "offers": (
            t(N_("Offers made, by what became of them")),
            [(t(OFFER_LABELS[s]), getattr(figures.offers, s)) for s in OFFER_LABELS],
        ),
        "attendance": (
            t(N_("Attendance marks")),
            [
                (labels.label(ATTENDANCE, s, lang), getattr(figures.attendance, s))
                for s in ("present", "excused", "absent")
            ],
        ),
        "reasons": (
            t(N_("Why seats ended")),
            [(_label(lang, END_REASONS, code), n) for code, n in figures.endings.reasons.items()],
        ),
        "steps": (
            t(N_("Where clients went next")),
            [(_label(lang, NEXT_STEPS, code), n) for code, n in figures.endings.next_steps.items()],
        ),
    }


def decline_names(lang: Lang, figures: CountyFigures) -> dict[str, str]:
    """Each decline reason of the period in words ("Not recorded" when the client gave none)."""
    return {
        code: lang.gettext(UNRECORDED_LABEL if code == UNRECORDED else DECLINE_LABELS.get(code, code))
        for code in figures.offers.declined_by_reason
    }


def _charts(page: Page, figures: CountyFigures) -> dict[str, BarChart]:
    return {key: bar_chart(key, title, rows) for key, (title, rows) in chart_rows(page.lang, figures).items()}


@router.get("/reports/county")
def county_page(
    page: CoordinatorPage,
    db: SessionDep,
    on: Today,
    start: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=40)] = None,
    format: Literal["html", "csv", "json"] = "html",  # noqa: A002
) -> Response:
    """The figures of the period asked for (this month so far by default)."""
    asked = period_of(start, end, on)
    if isinstance(asked, str):
        return render(
            page,
            "reports/county.html",
            status=422,
            nav="figures",
            error=page.t(asked),
            asked={"from": start or "", "to": end or ""},
            figures=None,
        )
    period_from, period_to = asked
    figures = county_figures(db, period_from, period_to, on)
    if format == "csv":
        name = f"county-figures-{period_from}-{period_to}.csv"
        return Response(
            figures_csv(figures),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    if format == "json":
        return JSONResponse(figures.model_dump(mode="json", by_alias=True))
    return render(
        page,
        "reports/county.html",
        nav="figures",
        figures=figures,
        charts=_charts(page, figures),
        asked={"from": period_from.isoformat(), "to": period_to.isoformat()},
        remote=REMOTE,
        kinds=KINDS,
        decline_names=decline_names(page.lang, figures),
        error=None,
    )
