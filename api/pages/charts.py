"""Bar charts drawn as inline SVG on the server: nothing loaded from outside, no script, no style attribute.

A chart is a list of labelled counts; each bar gets its label above it, so long labels in any
language fit on a phone. The SVG is a picture of the table printed beside it (`aria-describedby`):
screen readers read the table, which says the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Bar", "BarChart", "bar_chart"]

WIDTH = 360
LABEL, BAR, GAP = 18, 18, 12
"""The label's line, the bar's height and the space below each bar, in SVG units."""
VALUE_ROOM = 50
"""Room right of the longest bar for its figure."""


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: float
    """The top of the label line; the bar is below it."""
    width: float


@dataclass(frozen=True)
class BarChart:
    key: str
    """A name for the chart's element ids (`chart-KEY`, `table-KEY`)."""
    title: str
    bars: list[Bar]
    width: int
    height: int

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)


def bar_chart(key: str, title: str, rows: list[tuple[str, int]]) -> BarChart:
    """Horizontal bars, the longest the chart's width less room for its figure; a zero is a bar of no length."""
    top = max((value for _, value in rows), default=0)
    step = LABEL + BAR + GAP
    bars = [
        Bar(label, value, i * step, round((WIDTH - VALUE_ROOM) * value / top, 1) if top else 0.0)
        for i, (label, value) in enumerate(rows)
    ]
    return BarChart(key, title, bars, WIDTH, max(len(rows) * step, step))
