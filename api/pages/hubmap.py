"""The map of the hubs, drawn as inline SVG from their coordinates: no tiles, nothing from outside.

Latitude and longitude are projected equirectangularly, longitude shrunk by the cosine of
the middle latitude so distances look right at 60° N. Each hub is a circle sized by its
groups, and each municipality is named once, at the middle of its hubs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scheduler.services.offering import OfferedGroup

__all__ = ["HubDot", "HubMap", "hub_map"]

WIDTH, MAX_HEIGHT, MARGIN = 640, 480, 40


@dataclass(frozen=True)
class HubDot:
    hub_id: str
    name: str
    municipality: str
    x: float
    y: float
    groups: int
    r: float


@dataclass(frozen=True)
class HubMap:
    width: int
    height: int
    dots: list[HubDot]
    towns: list[tuple[str, float, float]]
    """Each municipality's name and where to write it."""


def hub_map(offered: list[OfferedGroup], shown: list[OfferedGroup]) -> HubMap:
    """Every hub with a group in `offered`, counting the groups of `shown` (the filtered list) at each."""
    places = {g.place.hub_id: g.place for g in offered if g.place is not None}
    counts: dict[str, int] = {}
    for group in shown:
        if group.place is not None:
            counts[group.place.hub_id] = counts.get(group.place.hub_id, 0) + 1
    if not places:
        return HubMap(WIDTH, MAX_HEIGHT // 2, [], [])
    lats = [p.lat for p in places.values()]
    lons = [p.lon for p in places.values()]
    shrink = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * shrink, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (MAX_HEIGHT - 2 * MARGIN) / span_y)
    width, height = round(span_x * scale + 2 * MARGIN), round(span_y * scale + 2 * MARGIN)

    def project(lat: float, lon: float) -> tuple[float, float]:
        return (
            round(MARGIN + (lon - min(lons)) * shrink * scale, 1),
            round(height - MARGIN - (lat - min(lats)) * scale, 1),
        )

    dots = []
    for hub_id, place in sorted(places.items()):
        x, y = project(place.lat, place.lon)
        n = counts.get(hub_id, 0)
        dots.append(HubDot(hub_id, place.hub, place.municipality, x, y, n, 5 + 2.2 * math.sqrt(n)))
    return HubMap(width, height, dots, _town_labels(dots))


def _town_labels(dots: list[HubDot]) -> list[tuple[str, float, float]]:
    """Each municipality's name above its hubs, or below or beside them where another name is in the way."""
    placed: list[tuple[str, float, float]] = []
    boxes: list[tuple[float, float, float, float]] = []
    for town in sorted({d.municipality for d in dots}, key=lambda t: -sum(d.municipality == t for d in dots)):
        mine = [d for d in dots if d.municipality == town]
        x = sum(d.x for d in mine) / len(mine)
        top, bottom = min(d.y - d.r for d in mine), max(d.y + d.r for d in mine)
        half, middle = 3.6 * len(town), (top + bottom) / 2 + 4
        right, left = max(d.x + d.r for d in mine) + half + 4, min(d.x - d.r for d in mine) - half - 4
        for cx, cy in ((x, top - 6), (x, bottom + 14), (right, middle), (left, middle)):
            box = (cx - half, cy - 11, cx + half, cy + 2)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
                break
        boxes.append(box)
        placed.append((town, round(cx, 1), round(cy, 1)))
    return sorted(placed)
