"""Line charts drawn as inline SVG on the server, like the bar charts (`api.pages.charts`): no script, no style
attribute, nothing loaded from outside.

A chart is a figure week by week for each of a few series (the policies of a simulated season): the x axis
the weeks 1..N, the y axis from 0 to a round top with a few round ticks. Each series has its own colour, its
own dash pattern and its own marker at every point, so colour never carries the meaning alone (a legend
shows all three). The SVG is a picture of the table printed beside it (`aria-describedby`): screen readers
read the table, which says the same figures. A week without a figure (None) leaves a gap in its line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "MARKERS",
    "STYLES",
    "LineChart",
    "Point",
    "Series",
    "Style",
    "Tick",
    "line_chart",
    "marker_path",
    "round_ticks",
]

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 16, 52
"""The plot's margins in SVG units: room for the y ticks and label at the left, the x ticks and label below."""
MAX_X_LABELS = 13
"""At most this many week numbers under the x axis (every week has its tick)."""
MARKERS = ("circle", "square", "triangle", "diamond")


@dataclass(frozen=True)
class Style:
    """How a series is drawn: a colour (by its class, `series-N`, in the page's style sheet), a dash pattern and a
    marker."""

    index: int
    dash: str
    """The `stroke-dasharray` ("" for a solid line)."""
    marker: str
    """One of `MARKERS`."""
    colour: str
    """The stroke and the markers' fill: each at least 4.5:1 against white."""

    @property
    def css(self) -> str:
        return f"series-{self.index}"


STYLES = (
    Style(0, "", "circle", "#00527a"),
    Style(1, "8 4", "square", "#b35900"),
    Style(2, "2 3", "triangle", "#00703c"),
    Style(3, "10 3 2 3", "diamond", "#6b2c91"),
    Style(4, "4 2", "circle", "#a4000f"),
    Style(5, "1 2", "square", "#4a4a4a"),
)
"""One style per series, in order; after six they repeat."""


@dataclass(frozen=True)
class Point:
    week: int
    value: float
    x: float
    y: float


@dataclass(frozen=True)
class Series:
    label: str
    style: Style
    values: list[float | None]
    """The figure of each week, week 1 first (None: no figure that week)."""
    segments: list[list[Point]]
    """The runs of weeks with a figure, each drawn as one polyline."""

    @property
    def points(self) -> list[Point]:
        return [point for segment in self.segments for point in segment]

    @property
    def polylines(self) -> list[str]:
        """Each segment's `points` attribute ("x,y x,y ...")."""
        return [" ".join(f"{p.x:g},{p.y:g}" for p in segment) for segment in self.segments]


@dataclass(frozen=True)
class Tick:
    value: float
    at: float
    """Its place on the axis in SVG units (x for a week, y for a value)."""
    labelled: bool = True


@dataclass(frozen=True)
class LineChart:
    key: str
    """A name for the chart's element ids (`chart-KEY`, `table-KEY`)."""
    title: str
    x_label: str
    y_label: str
    weeks: list[int]
    series: list[Series]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    top: float
    """The y axis's highest value (its last tick)."""
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    plot_top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def marker_path(marker: str, x: float, y: float) -> str:
    """The SVG path of a series' marker centred on (x, y), about 9 units across."""
    if marker == "square":
        return f"M{x - 3.5:g},{y - 3.5:g}h7v7h-7Z"
    if marker == "triangle":
        return f"M{x:g},{y - 5:g}L{x + 4.5:g},{y + 3.5:g}H{x - 4.5:g}Z"
    if marker == "diamond":
        return f"M{x:g},{y - 5:g}L{x + 5:g},{y:g}L{x:g},{y + 5:g}L{x - 5:g},{y:g}Z"
    return f"M{x - 4:g},{y:g}a4,4 0 1,0 8,0a4,4 0 1,0 -8,0Z"  # a circle


def round_ticks(highest: float, most: int = 5, whole: bool = False) -> list[float]:
    """Ticks from 0 by a round step (1, 2, 2.5 or 5 times a power of ten) up to the first at or above `highest`,
    at most `most` steps; a chart of nothing but zeros gets 0 and 1. With `whole` (figures that are counts) the
    step is a whole number and never 2.5."""
    if highest <= 0 or not math.isfinite(highest):
        return [0.0, 1.0]
    rough = highest / most
    power = 10 ** math.floor(math.log10(rough))
    if whole:
        power = max(power, 1)
    steps = (1, 2, 5, 10) if whole and power < 100 else (1, 2, 2.5, 5, 10)
    step = next(m * power for m in steps if m * power >= rough)
    count = math.ceil(highest / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def _x_step(weeks: int) -> int:
    """Label every week, or every 2nd, 4th, 5th, 10th... so that at most MAX_X_LABELS are labelled."""
    for step in (1, 2, 4, 5, 10, 20, 25, 50):
        if math.ceil(weeks / step) <= MAX_X_LABELS:
            return step
    return math.ceil(weeks / MAX_X_LABELS)


def line_chart(
    key: str,
    title: str,
    x_label: str,
    y_label: str,
    rows: list[tuple[str, list[float | None]]],
    whole: bool = True,
) -> LineChart:
    """One line per (label, the figure of each week) row; every row has the same weeks, 1..N. `whole`: the
    figures are counts, so the y axis's ticks are whole numbers."""
    weeks = max((len(values) for _, values in rows), default=0)
    numbers = [v for _, values in rows for v in values if v is not None]
    ticks = round_ticks(max(numbers, default=0.0), whole=whole)
    top = ticks[-1]
    left, right, plot_top, bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM

    def x_of(week: int) -> float:
        if weeks <= 1:
            return round((left + right) / 2, 1)
        return round(left + (right - left) * (week - 1) / (weeks - 1), 1)

    def y_of(value: float) -> float:
        return round(bottom - (bottom - plot_top) * value / top, 1)

    series = []
    for i, (label, values) in enumerate(rows):
        segments: list[list[Point]] = []
        run: list[Point] = []
        for week, value in enumerate(values, start=1):
            if value is None:
                if run:
                    segments.append(run)
                run = []
            else:
                run.append(Point(week, value, x_of(week), y_of(value)))
        if run:
            segments.append(run)
        series.append(Series(label, STYLES[i % len(STYLES)], list(values), segments))
    step = _x_step(weeks)
    x_ticks = [Tick(week, x_of(week), week == 1 or (week - 1) % step == 0) for week in range(1, weeks + 1)]
    y_ticks = [Tick(value, y_of(value)) for value in ticks]
    return LineChart(key, title, x_label, y_label, list(range(1, weeks + 1)), series, x_ticks, y_ticks, top)
