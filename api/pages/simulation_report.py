"""A simulated season as one standalone HTML file (`tarjotin simulate --html REPORT.html`).

A county manager opens the file from disk: everything is in it (the style sheet inline, the charts as
inline SVG drawn here, no script, no font, no image, no link to another file), in Finnish, Swedish or
English. It shows the policies side by side for the season, then week by week as line charts (a line
per policy) each with its table, then the world the season was simulated in (every assumption with its
source) and the limits of each weekly solve, so no figure stands without what it rests on.

The template is `simulation_report.html`, rendered with the pages' Jinja environment and catalogues.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from babel.numbers import format_decimal, format_percent

from api.pages.charts import BarChart, bar_chart
from api.pages.i18n import N_, Lang, lang_for
from api.pages.line_charts import STYLES, LineChart, line_chart, marker_path
from api.pages.render import ENV, message_callables
from api.pages.week import POLICY_NAMES
from scheduler.services.simulation.report import WAIT_BINS, PolicyRun, SimulationReport, WeekFigures

__all__ = [
    "SEASON_ROWS",
    "SOLVE_LABELS",
    "SOURCE_LABELS",
    "WAIT_BIN_LABELS",
    "WEEK_SECTIONS",
    "WORLD_LABELS",
    "render_simulation",
]

TEMPLATE = "simulation_report.html"
DASH = "–"
"""What a table shows for no figure (no first session that week, no seats to use)."""

WAIT_BIN_LABELS = {
    "0_2": N_("Under 2 weeks"),
    "2_4": N_("2–4 weeks"),
    "4_8": N_("4–8 weeks"),
    "8_13": N_("8–13 weeks"),
    "13_26": N_("13–26 weeks"),
    "over_26": N_("Over 26 weeks"),
}
"""`WAIT_BINS` in words: the weeks from case opening to the first session."""

SEASON_ROWS: list[tuple[str, str, str]] = [
    ("arrived", N_("Clients in the season (waiting at the start and new)"), "count"),
    ("first_sessions", N_("First sessions"), "count"),
    ("median_wait_days", N_("Median wait to the first session, days"), "days"),
    ("p90_wait_days", N_("Wait of nine in ten (90th percentile), days"), "days"),
    ("past_three_months", N_("First session over three months after the case opening"), "count"),
    ("still_waiting_past_three_months", N_("Still waiting past three months at the season's end"), "count"),
    ("still_waiting", N_("Still waiting at the season's end"), "count"),
    ("offers_made", N_("Offers made"), "count"),
    ("offers_accepted", N_("Offers accepted"), "count"),
    ("offers_declined", N_("Offers declined"), "count"),
    ("offers_expired", N_("Offers expired"), "count"),
    ("groups_opened", N_("Groups opened in the season"), "count"),
    ("groups_closed", N_("Groups closed in the season"), "count"),
    ("mean_groups_below_minimum", N_("Groups below their minimum, mean a week"), "decimal"),
    ("mean_two_leader_share", N_("Groups with two leaders, mean share"), "share"),
    ("mean_seat_use", N_("Seats in use, mean share"), "share"),
    ("staff_minutes", N_("Leaders' minutes in sessions"), "count"),
    ("driving_minutes", N_("Leaders' driving minutes"), "count"),
    ("dropouts", N_("Dropouts"), "count"),
    ("ended", N_("Left the service"), "count"),
]
"""The season's figures side by side: the field of `SeasonFigures`, its row heading and how it is written."""


@dataclass(frozen=True)
class Curve:
    """One week-by-week figure: the field of `WeekFigures`, the chart's title and its y axis."""

    field: str
    title: str
    y_label: str
    kind: str = "count"


WEEK_SECTIONS: list[tuple[str, str, list[Curve]]] = [
    (
        "waiting",
        N_("Who is waiting"),
        [
            Curve("waiting", N_("Clients waiting (no seat, no offer)"), N_("clients")),
            Curve("waiting_past_three_months", N_("Waiting past three months, no session yet"), N_("clients")),
            Curve("seated", N_("Clients with a seat"), N_("clients")),
        ],
    ),
    (
        "first",
        N_("First sessions and the wait"),
        [
            Curve("first_sessions", N_("Clients at their first session"), N_("clients")),
            Curve("median_wait_days", N_("Median wait of the week's first sessions"), N_("days"), "days"),
        ],
    ),
    (
        "offers",
        N_("Offers"),
        [
            Curve("offers_made", N_("Offers made"), N_("offers")),
            Curve("offers_accepted", N_("Offers accepted"), N_("offers")),
            Curve("offers_declined", N_("Offers declined"), N_("offers")),
        ],
    ),
    (
        "groups",
        N_("Groups"),
        [
            Curve("groups_running", N_("Groups running"), N_("groups")),
            Curve("groups_below_minimum", N_("Groups below their minimum"), N_("groups")),
            Curve("groups_two_leaders", N_("Groups with two leaders"), N_("groups")),
        ],
    ),
    (
        "seats",
        N_("Seats"),
        [
            Curve("seats_used", N_("Seats in use"), N_("seats")),
            Curve("seats", N_("Seats of the running groups"), N_("seats")),
        ],
    ),
    (
        "minutes",
        N_("Staff time"),
        [
            Curve("staff_minutes", N_("Leaders' minutes in sessions"), N_("minutes")),
            Curve("driving_minutes", N_("Leaders' driving minutes"), N_("minutes")),
        ],
    ),
]
"""The curves week by week, in sections: a line chart each, a line per policy, with its table."""

WORLD_LABELS: dict[str, tuple[str, str]] = {
    "referrals_per_week": (
        N_("New clients a week"),
        N_(
            "new case openings a week, as a share of the clients waiting at the start, spread over the "
            "municipalities by their population"
        ),
    ),
    "decision_days": (
        N_("Days to the decision"),
        N_("days from a case opening to the start of its first decision (least, most)"),
    ),
    "accept": (N_("Offers accepted"), N_("share of offers the client accepts")),
    "decline": (
        N_("Offers declined"),
        N_("share of offers the client declines; the rest go unanswered and expire"),
    ),
    "answer_days": (N_("Days to answer"), N_("days from an offer to the client's answer (least, most)")),
    "dropout_per_week": (N_("Dropouts a week"), N_("chance a participant gives up their seat in a given week")),
    "absence": (N_("Absences"), N_("chance a participant misses a session")),
    "excused": (N_("Absences told beforehand"), N_("share of the absences told beforehand")),
    "decision_months": (N_("Months of a decision"), N_("months one decision grants the service")),
    "continuation": (
        N_("Decisions continued"),
        N_("chance a decision ending is followed by another (to the cap)"),
    ),
    "service_months": (N_("Longest service period"), N_("the longest service period, in months")),
    "leave_per_week": (
        N_("Staff leaves a week"),
        N_("chance a staff member starts a leave (illness, holiday) in a given week"),
    ),
    "leave_weeks": (N_("Weeks of a leave"), N_("weeks a leave lasts (least, most)")),
    "close_below_minimum_weeks": (
        N_("Weeks below the minimum"),
        N_("weeks in a row a group may stay below its minimum before the coordinator calls it off"),
    ),
    "staff_scale": (
        N_("Staff and rooms"),
        N_("staff and rooms as for this many times the starting clients (1: the scenario's own)"),
    ),
}
"""Each assumption of the world (`World`'s fields) named and explained; the English explanation is the field's
description, so a test can tell when the model's words change. A name not here shows the report's own words."""

SOURCE_LABELS = {
    "handbook": N_("the handbook"),
    "law": N_("the law"),
    "scenario": N_("the built-in scenario"),
    "assumption": N_("an assumption"),
}
"""Where an assumption's figure comes from."""

SOLVE_LABELS = {
    "time_limit": N_("Time limit of each weekly plan, seconds"),
    "effort": N_("Deterministic search effort, seconds"),
    "workers": N_("Search workers"),
    "seed": N_("Solver seed"),
    "deterministic": N_("Repeatable search"),
}
"""Each weekly solve's limits (`report.solve`); a key not here is shown as it is."""

YES_NO = (N_("no"), N_("yes"))


class Numbers:
    """Figures written as people write them in the language (Babel's CLDR data): a decimal comma in Finnish
    and Swedish, a narrow space between thousands; none is a dash."""

    def __init__(self, lang: Lang) -> None:
        self.code = lang.code
        self.lang = lang

    def count(self, value: float | None) -> str:
        return DASH if value is None else format_decimal(value, format="#,##0", locale=self.code)

    def decimal(self, value: float | None) -> str:
        return DASH if value is None else format_decimal(value, format="#,##0.0", locale=self.code)

    def days(self, value: float | None) -> str:
        return self.decimal(value)

    def share(self, value: float | None) -> str:
        return DASH if value is None else format_percent(value, locale=self.code)

    def tick(self, value: float) -> str:
        """An axis tick: a whole number without decimals, a step like 2.5 with them."""
        return format_decimal(value, format="#,##0.#", locale=self.code)

    def of(self, kind: str) -> Callable[[float | None], str]:
        formats: dict[str, Callable[[float | None], str]] = {
            "count": self.count,
            "days": self.days,
            "decimal": self.decimal,
            "share": self.share,
        }
        return formats[kind]

    def value(self, value: Any) -> str:
        """An assumption's or a limit's value: a number, a (least, most) pair, yes or no."""
        if value is None:
            return DASH
        if isinstance(value, bool):
            return self.lang.gettext(YES_NO[value])
        if isinstance(value, list | tuple):
            return "–".join(self.value(part) for part in value)
        if isinstance(value, int | float):
            return format_decimal(value, locale=self.code)
        return str(value)


@dataclass(frozen=True)
class WeekChart:
    """A line chart of one curve and the figures it draws, for its table."""

    chart: LineChart
    kind: str


@dataclass(frozen=True)
class WaitChart:
    policy: str
    chart: BarChart


def _weekly(policy: PolicyRun, field: str) -> list[float | None]:
    values: list[float | None] = []
    for week in sorted(policy.weeks, key=lambda w: w.week):
        value = getattr(week, field)
        values.append(None if value is None else float(value))
    return values


def week_charts(report: SimulationReport, lang: Lang) -> list[tuple[str, str, list[WeekChart]]]:
    """Each section's key, its heading in the language and its charts."""
    t = lang.gettext
    x_label = t(N_("Week of the season"))
    return [
        (
            key,
            t(heading),
            [
                WeekChart(
                    line_chart(
                        f"week-{curve.field}",
                        t(curve.title),
                        x_label,
                        t(curve.y_label),
                        [(policy.label, _weekly(policy, curve.field)) for policy in report.policies],
                        whole=curve.kind == "count",
                    ),
                    curve.kind,
                )
                for curve in curves
            ],
        )
        for key, heading, curves in WEEK_SECTIONS
    ]


def wait_charts(report: SimulationReport, lang: Lang) -> list[WaitChart]:
    """The season's first sessions by weeks waited, a bar chart per policy."""
    return [
        WaitChart(
            policy.label,
            bar_chart(
                f"wait-{i}",
                lang.gettext(N_("First sessions by weeks waited: %(policy)s"), policy=policy.label),
                [(lang.gettext(WAIT_BIN_LABELS[key]), policy.season.wait_bins.get(key, 0)) for key, *_ in WAIT_BINS],
            ),
        )
        for i, policy in enumerate(report.policies, start=1)
    ]


def _mondays(report: SimulationReport) -> list[WeekFigures]:
    """The weeks as the first policy ran them (every policy runs the same weeks)."""
    return sorted(report.policies[0].weeks, key=lambda w: w.week) if report.policies else []


def render_simulation(report: SimulationReport, lang: str) -> str:
    """The report as one standalone HTML document in the language (`fi`, `sv` or `en`)."""
    language = lang_for(lang)
    if language is None:
        raise ValueError(f"no report in {lang!r}: choose fi, sv or en")
    numbers = Numbers(language)
    return ENV.get_template(TEMPLATE).render(
        t=language,
        report=report,
        numbers=numbers,
        season_rows=SEASON_ROWS,
        wait_charts=wait_charts(report, language),
        sections=week_charts(report, language),
        weeks=_mondays(report),
        world_labels=WORLD_LABELS,
        source_labels=SOURCE_LABELS,
        solve_labels=SOLVE_LABELS,
        policy_names=POLICY_NAMES,
        styles=STYLES,
        marker_path=marker_path,
        **message_callables(language),
    )
