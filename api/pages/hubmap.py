"""The map of the hubs, drawn as inline SVG from their coordinates: no tiles, nothing from outside.

Latitude and longitude are projected equirectangularly, longitude shrunk by the cosine of
the middle latitude so distances look right at 60° N. Each hub is a circle sized by its
groups, and each municipality is named once, at the middle of its hubs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scheduler.offering import OfferedGroup

__all__ = ["HubDot", "HubMap", "hub_map"]

WIDTH, HEIGHT, MARGIN = 640, 360, 36


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
        return HubMap(WIDTH, HEIGHT, [], [])
    lats = [p.lat for p in places.values()]
    lons = [p.lon for p in places.values()]
    shrink = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * shrink, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)

    def project(lat: float, lon: float) -> tuple[float, float]:
        return (round(MARGIN + (lon - min(lons)) * shrink * scale, 1),
                round(HEIGHT - MARGIN - (lat - min(lats)) * scale, 1))

    dots = []
    for hub_id, place in sorted(places.items()):
        x, y = project(place.lat, place.lon)
        n = counts.get(hub_id, 0)
        dots.append(HubDot(hub_id, place.hub, place.municipality, x, y, n, 5 + 2.2 * math.sqrt(n)))
    towns = []
    for town in sorted({p.municipality for p in places.values()}):
        mine = [d for d in dots if d.municipality == town]
        towns.append((town, round(sum(d.x for d in mine) / len(mine), 1),
                      round(min(d.y for d in mine) - 14, 1)))
    return HubMap(WIDTH, HEIGHT, dots, towns)
