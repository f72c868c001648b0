"""The shape of groups on a page: the rows of a size histogram for shapes set side by side."""

from __future__ import annotations

from collections.abc import Sequence

from scheduler.contract import PlanShape

__all__ = ["BAR_WIDTH", "size_rows"]

BAR_WIDTH = 20
"""The longest bar, in characters: the most groups of one size in any column."""


def size_rows(shapes: Sequence[PlanShape | None]) -> list[tuple[int, list[tuple[int, int]]]]:
    """Per group size in any of the shapes: each shape's count of groups of that size and its bar's length."""
    known = [shape for shape in shapes if shape is not None]
    sizes = sorted({size for shape in known for size in shape.sizes})
    most = max((count for shape in known for count in shape.sizes.values()), default=0)
    rows = []
    for size in sizes:
        cells = []
        for shape in shapes:
            count = shape.sizes.get(size, 0) if shape is not None else 0
            cells.append((count, -(-BAR_WIDTH * count // most) if most else 0))
        rows.append((size, cells))
    return rows
