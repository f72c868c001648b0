"""Travel minutes from coordinates, by the contract's formula (docs/contract.md).

minutes = overhead + ceil(km × 1.3 / speed × 60)

Used by the checker and the service. The solver keeps its own copy on purpose: the
checker shares no code with the model.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Protocol

__all__ = ["Place", "formula_minutes", "haversine_km", "hub_car_minutes", "nearest_municipality", "travel_minutes"]

EARTH_RADIUS_KM = 6371.0
ROAD_FACTOR = 1.3
SPEED_KMH = {"car": 60.0, "transit": 30.0}
OVERHEAD_MIN = {"car": 5, "transit": 10}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class Place(Protocol):
    """Anything with a point and a municipality: a contract hub or a stored hub row."""

    @property
    def lat(self) -> float: ...

    @property
    def lon(self) -> float: ...

    @property
    def municipality(self) -> str: ...


def nearest_municipality(lat: float, lon: float, places: Iterable[Place]) -> str | None:
    """The municipality of the place nearest a point (great-circle distance); None when there are none.

    A client's municipality is that of the hub nearest their home: a home is stored as a
    point, not a municipality, and the nearest hub is where they would most likely go."""
    nearest = min(places, key=lambda p: haversine_km(lat, lon, p.lat, p.lon), default=None)
    return nearest.municipality if nearest is not None else None


def formula_minutes(km: float, mode: str) -> int:
    """Default door-to-door minutes for a distance by car or transit."""
    return OVERHEAD_MIN[mode] + math.ceil(km * ROAD_FACTOR / SPEED_KMH[mode] * 60)


def travel_minutes(lat1: float, lon1: float, lat2: float, lon2: float, mode: str) -> int:
    """Door-to-door minutes between two points."""
    return formula_minutes(haversine_km(lat1, lon1, lat2, lon2), mode)


def hub_car_minutes(
    a: str, b: str, places: Mapping[str, tuple[float, float]], overrides: Mapping[str, Mapping[str, int]]
) -> int | None:
    """Staff car minutes between two hubs: 0 for the same hub, a known override ([a][b], then [b][a]),
    else the formula; None when a hub is unknown."""
    if a == b:
        return 0
    for x, y in ((a, b), (b, a)):
        if y in overrides.get(x, {}):
            return overrides[x][y]
    if a not in places or b not in places:
        return None
    return travel_minutes(*places[a], *places[b], "car")
