"""The simulated season as a standalone HTML file (`api.pages.simulation_report`): one document with nothing from
outside and no script, a line chart per curve with a line per policy drawn where the figures put it, the tables
beside them holding the same figures, in Finnish, Swedish and English."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from itertools import combinations, groupby
from typing import Any

import pytest

from api.pages.line_charts import STYLES, line_chart, round_ticks
from api.pages.simulation_report import SEASON_ROWS, WEEK_SECTIONS, WORLD_LABELS, render_simulation
from scheduler.services.simulation.report import WAIT_BINS, PolicyRun, SeasonFigures, SimulationReport, WeekFigures
from scheduler.services.simulation.world import World
from tests.api.html_tables import Table, tables

START = date(2027, 1, 4)
TRICKY = 'placement <fast> & "quick"'
"""A policy label with markup in it: it must come out as text."""

WAITING: dict[str, list[int]] = {"handbook": [40, 52, 31, 20], TRICKY: [40, 35, 44, 61]}
"""Clients waiting at each week's end: the handbook's highest in week 2, the other's in week 4."""
MEDIAN_WAIT: dict[str, list[float | None]] = {"handbook": [12.5, None, 20.0, 33.75], TRICKY: [10.0, 14.5, 18.0, 21.0]}
"""The week's first sessions' median wait; the handbook had no first session in week 2."""


def week_figures(week: int, waiting: int, median: float | None, seed: int) -> WeekFigures:
    """One made-up week whose bookkeeping adds up: arrived = waiting + offered + seated + ended."""
    arrived_total = 60 + 4 * (week - 1)
    offered = 3 + seed
    ended = week - 1
    seated = arrived_total - waiting - offered - ended
    first = 0 if median is None else 5 + week + seed
    made, accepted, declined = 6 + week, 4 + week - seed, 1 + seed
    return WeekFigures(
        week=week,
        monday=START + timedelta(weeks=week - 1),
        arrived=60 if week == 1 else 4,
        arrived_total=arrived_total,
        waiting=waiting,
        offered=offered,
        seated=seated,
        ended=ended,
        waiting_past_three_months=max(0, waiting // 4 - week),
        first_sessions=first,
        median_wait_days=median,
        offers_made=made,
        offers_accepted=accepted,
        offers_declined=declined,
        offers_expired=made - accepted - declined,
        groups_running=3 + week,
        groups_opened=1,
        groups_closed=week % 2,
        groups_below_minimum=week % 2 + seed,
        groups_two_leaders=2 + week - seed,
        seats_used=seated,
        seats=(3 + week) * 10,
        sessions_held=3 + week,
        sessions_cancelled=0,
        substitutes=seed,
        staff_on_leave=week % 2,
        staff_minutes=(3 + week) * 360 + 15 * seed,
        driving_minutes=(3 + week) * 95 + 1000 * seed,
        dropouts=week % 2,
        absences=2 * week,
    )


def season_of(weeks: list[WeekFigures], seed: int) -> SeasonFigures:
    last = weeks[-1]
    bins = dict(zip([key for key, *_ in WAIT_BINS], [5, 9 + seed, 4, 2, 1 + seed, seed], strict=True))
    return SeasonFigures(
        arrived=last.arrived_total,
        first_sessions=sum(w.first_sessions for w in weeks),
        median_wait_days=21.5 + seed,
        p90_wait_days=80.25 + 10 * seed,
        mean_wait_days=30.0,
        wait_bins=bins,
        past_three_months=bins["13_26"] + bins["over_26"],
        still_waiting_past_three_months=last.waiting_past_three_months,
        still_waiting=last.waiting,
        offers_made=sum(w.offers_made for w in weeks),
        offers_accepted=sum(w.offers_accepted for w in weeks),
        offers_declined=sum(w.offers_declined for w in weeks),
        offers_expired=sum(w.offers_expired for w in weeks),
        offers_withdrawn=0,
        groups_opened=sum(w.groups_opened for w in weeks),
        groups_closed=sum(w.groups_closed for w in weeks),
        mean_groups_below_minimum=sum(w.groups_below_minimum for w in weeks) / len(weeks),
        mean_two_leader_share=sum(w.groups_two_leaders / w.groups_running for w in weeks) / len(weeks),
        mean_seats_used=sum(w.seats_used for w in weeks) / len(weeks),
        mean_seat_use=sum(w.seats_used / w.seats for w in weeks) / len(weeks),
        staff_minutes=sum(w.staff_minutes for w in weeks),
        driving_minutes=sum(w.driving_minutes for w in weeks) + 1234567 * seed,
        dropouts=sum(w.dropouts for w in weeks),
        ended=last.ended,
    )


def build_report() -> SimulationReport:
    """Two policies over four weeks of made-up but consistent figures."""
    policies = []
    runs: list[tuple[str, str, int | None]] = [("handbook", "handbook", 75), (TRICKY, "placement", None)]
    for seed, (label, preset, reach) in enumerate(runs):
        weeks = [
            week_figures(i, waiting, median, seed)
            for i, (waiting, median) in enumerate(zip(WAITING[label], MEDIAN_WAIT[label], strict=True), start=1)
        ]
        policies.append(
            PolicyRun(
                label=label, preset=preset, leader_reach_minutes=reach, weeks=weeks, season=season_of(weeks, seed)
            )
        )
    return SimulationReport(
        region="lansi-uusimaa",
        region_display="Länsi-Uusimaa",
        clients=60,
        weeks=4,
        seed=7,
        start=START,
        world=World().stated(),
        solve={"time_limit": 20.0, "effort": 10.0, "workers": 2},
        policies=policies,
    )


# --- a small DOM from the standard library's parser ---------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
OPTIONAL_END = {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "option"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element] = field(default_factory=list)
    text: str = ""

    def iter(self, tag: str | None = None) -> list[Element]:
        found = [self] if tag is None or self.tag == tag else []
        for child in self.children:
            found += child.iter(tag)
        return found

    def by_id(self, ident: str) -> Element:
        (found,) = [e for e in self.iter() if e.attrs.get("id") == ident]
        return found

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def all_text(self) -> str:
        return " ".join(" ".join([self.text, *(c.all_text() for c in self.children)]).split())


class _Tree(HTMLParser):
    """Builds the element tree and fails on an end tag that closes something else than the element open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.declarations: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.declarations.append(decl)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        assert tag not in VOID, f"</{tag}>"
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}> ({[e.tag for e in self.stack]})"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].text += data


def parse(html: str) -> Element:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    assert [e.tag for e in tree.stack] == ["#document"], "elements left open"
    assert tree.declarations == ["doctype html"]
    return tree.root


@pytest.fixture(scope="module")
def report() -> SimulationReport:
    return build_report()


@pytest.fixture(scope="module")
def pages(report: SimulationReport) -> dict[str, str]:
    return {lang: render_simulation(report, lang) for lang in ("fi", "sv", "en")}


def points(polyline: Element) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in polyline.attrs["points"].split())]


def table_of(html: str, ident: str) -> Table:
    (found,) = [t for t in tables(html) if t.attrs.get("id") == ident]
    return found


CURVES = [curve for _, _, curves in WEEK_SECTIONS for curve in curves]


# --- one document, nothing from outside ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_file_is_one_standalone_document(pages: dict[str, str], lang: str) -> None:
    html = pages[lang]
    root = parse(html)
    (document,) = root.children
    assert document.tag == "html" and document.attrs["lang"] == lang
    assert [c.tag for c in document.children] == ["head", "body"]
    head = document.children[0]
    assert head.iter("meta")[0].attrs == {"charset": "utf-8"} and head.iter("title")[0].all_text()
    assert len(head.iter("style")) == 1
    assert not root.iter("script") and "<script" not in html.lower()
    for tag in ("link", "img", "iframe", "object", "embed", "image", "use", "base", "form"):
        assert not root.iter(tag), tag
    for element in root.iter():
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.tag, name)
            if name in ("src", "href", "xlink:href", "srcset", "action", "data"):
                assert value.startswith("#") and len(value) > 1, (element.tag, name, value)
                root.by_id(value[1:])  # a link within the file, to an element that is there
            assert "style" != name, element.tag
    style = head.iter("style")[0].text
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert not re.search(r"https?://", html.replace("http://www.w3.org/2000/svg", ""))


def test_an_unknown_language_is_refused(report: SimulationReport) -> None:
    with pytest.raises(ValueError, match="fi, sv or en"):
        render_simulation(report, "de")


# --- the charts ---------------------------------------------------------------------------------------------------


def test_one_svg_per_chart_each_described_by_its_table(pages: dict[str, str], report: SimulationReport) -> None:
    root = parse(pages["en"])
    svgs = root.iter("svg")
    charts = [s for s in svgs if s.attrs.get("role") == "img"]
    legend_samples = [s for s in svgs if s.attrs.get("aria-hidden") == "true"]
    assert len(charts) == len(CURVES) + len(report.policies)  # a line chart per curve, a wait chart per policy
    assert len(legend_samples) == len(CURVES) * len(report.policies)
    assert len(svgs) == len(charts) + len(legend_samples)
    for svg in charts:
        table = root.by_id(svg.attrs["aria-describedby"])
        assert table.tag == "table"
        assert root.by_id(svg.attrs["aria-labelledby"]).tag == "title"


@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.field)
def test_each_policy_is_a_line_where_its_figures_put_it(
    pages: dict[str, str], report: SimulationReport, curve: Any
) -> None:
    svg = parse(pages["en"]).by_id(f"chart-week-{curve.field}")
    groups = [g for g in svg.iter("g") if "series" in g.classes]
    assert len(groups) == len(report.policies)
    dashes = set()
    for group, policy in zip(groups, report.policies, strict=True):
        values = [getattr(w, curve.field) for w in policy.weeks]
        lines = group.iter("polyline")
        drawn = [p for line in lines for p in points(line)]
        runs = [known for known, _ in groupby(values, key=lambda v: v is not None) if known]
        assert len(lines) == len(runs)  # a week without a figure breaks the line
        assert len(drawn) == len(group.iter("path")) == sum(v is not None for v in values)  # a marker a point
        known = [v for v in values if v is not None]
        xs, ys = [x for x, _ in drawn], [y for _, y in drawn]
        assert xs == sorted(xs) and len(set(xs)) == len(xs)
        for (va, ya), (vb, yb) in combinations(zip(known, ys, strict=True), 2):
            assert (va > vb) == (ya < yb) and (va == vb) == (ya == yb)  # a higher figure, a higher point
        top_week = max(range(len(values)), key=lambda i: (values[i] if values[i] is not None else -1, -i))
        highest = min(range(len(drawn)), key=lambda i: (ys[i], i))
        assert [w for w, v in enumerate(values) if v is not None][highest] == top_week
        dashes.add(lines[0].attrs.get("stroke-dasharray", ""))
    assert len(dashes) == len(report.policies)  # not the colour alone
    shapes = {re.sub(r"[-\d., ]+", "", g.iter("path")[0].attrs["d"]) for g in groups}
    assert len(shapes) == len(report.policies)  # nor the marker


def test_the_waiting_chart_peaks_in_the_week_of_the_most_waiting(pages: dict[str, str]) -> None:
    svg = parse(pages["en"]).by_id("chart-week-waiting")
    handbook, other = (g.iter("polyline")[0] for g in svg.iter("g") if "series" in g.classes)
    assert min(range(4), key=lambda i: points(handbook)[i][1]) == 1  # week 2: 52 waiting
    assert min(range(4), key=lambda i: points(other)[i][1]) == 3  # week 4: 61 waiting
    ticks = [t.all_text() for g in svg.iter("g") if "y-ticks" in g.classes for t in g.iter("text")]
    assert ticks == ["0", "20", "40", "60", "80"]  # from 0, round steps, above the highest figure (61)
    assert points(other)[3][1] > 16  # 61 of 80: below the top of the plot


def test_a_week_without_a_figure_is_a_gap_and_a_dash(pages: dict[str, str]) -> None:
    html = pages["fi"]
    svg = parse(html).by_id("chart-week-median_wait_days")
    handbook = next(g for g in svg.iter("g") if "series" in g.classes)
    assert [len(points(line)) for line in handbook.iter("polyline")] == [1, 2]
    rows = [[c.text for c in row.cells] for row in table_of(html, "table-week-median_wait_days").rows[1:]]
    assert [row[1] for row in rows] == ["12,5", "–", "20,0", "33,8"]
    assert [row[2] for row in rows] == ["10,0", "14,5", "18,0", "21,0"]


# --- the tables hold the figures ----------------------------------------------------------------------------------


@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.field)
def test_each_weekly_table_holds_the_weeks_figures(pages: dict[str, str], report: SimulationReport, curve: Any) -> None:
    table = table_of(pages["en"], f"table-week-{curve.field}")
    head, *rows = table.rows
    assert [c.text for c in head.cells] == ["Week", *(p.label for p in report.policies)]
    assert len(rows) == report.weeks
    for i, row in enumerate(rows):
        assert row.cells[0].text.startswith(f"{i + 1} (")
        for cell, policy in zip(row.cells[1:], report.policies, strict=True):
            value = getattr(policy.weeks[i], curve.field)
            want = "–" if value is None else f"{value:,.1f}" if curve.kind == "days" else f"{value:,}"
            assert cell.text == want


def test_the_season_table_holds_every_figure_side_by_side(pages: dict[str, str], report: SimulationReport) -> None:
    table = table_of(pages["en"], "season")
    head, *rows = table.rows
    assert [c.text for c in head.cells][1:] == [p.label for p in report.policies]
    by_heading = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in rows}
    assert by_heading["Offers made"] == [str(p.season.offers_made) for p in report.policies]
    assert by_heading["Median wait to the first session, days"] == ["21.5", "22.5"]
    assert by_heading["Wait of nine in ten (90th percentile), days"] == ["80.2", "90.2"]
    assert by_heading["Leaders' driving minutes"][1] == f"{report.policies[1].season.driving_minutes:,}"
    assert by_heading["Leader reach, minutes by car"] == ["75", "no limit"]
    assert by_heading["Planning policy"] == [
        "the handbook's groups (two leaders, five or more)",
        "clients placed first",
    ]
    seat_use = [f"{round(p.season.mean_seat_use * 100)}%" for p in report.policies if p.season.mean_seat_use]
    assert by_heading["Seats in use, mean share"] == seat_use
    assert len(rows) == 2 + len(SEASON_ROWS)
    for policy in report.policies:  # the wait chart's table per policy
        (wait,) = [t for t in tables(pages["en"]) if t.caption.endswith(policy.label)]
        assert [int(row.cells[1].text) for row in wait.rows[1:]] == list(policy.season.wait_bins.values())


def test_the_world_and_the_solve_are_stated(pages: dict[str, str], report: SimulationReport) -> None:
    for lang in ("fi", "en"):
        rows = table_of(pages[lang], "world").rows[1:]
        assert [row.attrs["id"] for row in rows] == [f"world-{name}" for name in World.model_fields]
    en = {row.attrs["id"]: [c.text for c in row.cells] for row in table_of(pages["en"], "world").rows[1:]}
    fi = {row.attrs["id"]: [c.text for c in row.cells] for row in table_of(pages["fi"], "world").rows[1:]}
    assert en["world-accept"] == [
        "Offers accepted accept",
        "0.75",
        "share of offers the client accepts",
        "an assumption",
    ]
    assert en["world-decision_days"][1] == "14–60" and fi["world-decision_days"][1] == "14–60"
    assert fi["world-accept"][1] == "0,75" and fi["world-referrals_per_week"][1] == "0,04"
    assert en["world-decision_months"][3] == "the handbook"
    for name in World.model_fields:
        assert fi[f"world-{name}"][0] != en[f"world-{name}"][0] and fi[f"world-{name}"][2] != en[f"world-{name}"][2]
    solve = [[c.text for c in row.cells] for row in table_of(pages["en"], "solve").rows[1:]]
    assert solve == [
        ["Time limit of each weekly plan, seconds", "20"],
        ["Deterministic search effort, seconds", "10"],
        ["Search workers", "2"],
    ]


def test_every_assumption_of_the_world_has_a_label_and_the_models_words() -> None:
    """The labels go by the field's name; the English meaning is the field's description, word for word."""
    assert set(WORLD_LABELS) == set(World.model_fields)
    for name, (_, means) in WORLD_LABELS.items():
        assert means == World.model_fields[name].description, name


def test_an_assumption_the_labels_do_not_know_shows_the_reports_words(report: SimulationReport) -> None:
    world = [*report.world, {"name": "new_knob", "value": 3, "means": "a knob <b>", "source": "assumption"}]
    html = render_simulation(report.model_copy(update={"world": world}), "fi")
    row = next(r for r in table_of(html, "world").rows if r.attrs.get("id") == "world-new_knob")
    assert [c.text for c in row.cells] == ["new_knob new_knob", "3", "a knob <b>", "oletus"]
    assert "a knob &lt;b&gt;" in html


# --- languages and escaping ---------------------------------------------------------------------------------------


def test_the_three_languages_have_their_own_words(pages: dict[str, str]) -> None:
    headings = {lang: [h.all_text() for h in parse(html).iter("h2")] for lang, html in pages.items()}
    assert headings["en"][1] == "Policies side by side"
    assert headings["fi"][1] == "Suunnitteluperiaatteet rinnakkain"
    assert headings["sv"][1] == "Planeringsprinciperna sida vid sida"
    for i in range(len(headings["en"])):
        assert len({headings[lang][i] for lang in pages}) == 3, [headings[lang][i] for lang in pages]
    titles = {lang: parse(html).iter("title")[0].all_text() for lang, html in pages.items()}
    assert titles["fi"].startswith("Simuloitu kausi: Länsi-Uusimaa")
    assert "4. tammikuuta 2027" in pages["fi"] and "January 4, 2027" in pages["en"]
    fi_week = table_of(pages["fi"], "table-week-waiting").rows[1].cells[0].text
    assert fi_week == "1 (4.1.2027)"


def test_a_label_with_markup_is_text(pages: dict[str, str]) -> None:
    for html in pages.values():
        assert "<fast>" not in html and "placement &lt;fast&gt; &amp; &#34;quick&#34;" in html
        root = parse(html)
        assert not root.iter("fast")
        legend = [li.all_text() for ul in root.iter("ul") if "legend" in ul.classes for li in ul.iter("li")]
        assert legend.count(TRICKY) == len(CURVES)


# --- the line chart itself ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("highest", "ticks"),
    [
        (0, [0, 1]),
        (7, [0, 2, 4, 6, 8]),
        (61, [0, 20, 40, 60, 80]),
        (100, [0, 20, 40, 60, 80, 100]),
        (2.3, [0, 0.5, 1, 1.5, 2, 2.5]),
        (12_345, [0, 2500, 5000, 7500, 10_000, 12_500]),
        (1, [0, 0.2, 0.4, 0.6, 0.8, 1]),
    ],
)
def test_the_y_axis_has_a_few_round_ticks_from_zero(highest: float, ticks: list[float]) -> None:
    assert round_ticks(highest) == ticks


@pytest.mark.parametrize(
    ("highest", "ticks"),
    [(0, [0, 1]), (1, [0, 1]), (2.3, [0, 1, 2, 3]), (11, [0, 5, 10, 15]), (61, [0, 20, 40, 60, 80])],
)
def test_counts_have_whole_ticks(highest: float, ticks: list[float]) -> None:
    assert round_ticks(highest, whole=True) == ticks


def test_a_line_chart_of_one_week_and_many_weeks() -> None:
    one = line_chart("k", "T", "x", "y", [("a", [3.0]), ("b", [None])])
    assert [len(s.points) for s in one.series] == [1, 0] and one.series[0].points[0].x == (one.left + one.right) / 2
    many = line_chart("k", "T", "x", "y", [(str(i), [float(w) for w in range(52)]) for i in range(8)])
    assert [t.value for t in many.x_ticks if t.labelled] == [1, 5, 9, 13, 17, 21, 25, 29, 33, 37, 41, 45, 49]
    assert len(many.x_ticks) == 52 and [s.style for s in many.series[:6]] == list(STYLES)
    assert many.series[6].style == STYLES[0]  # the styles repeat after six
    highest = many.plot_top + (many.bottom - many.plot_top) * (1 - 51 / many.top)
    assert many.top == 60 and many.series[0].points[-1].y == pytest.approx(highest, abs=0.05)
