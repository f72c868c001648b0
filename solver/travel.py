"""Travel times of the contract: overrides first, else the great-circle formula."""

from __future__ import annotations

import math
from functools import lru_cache

from scheduler.contract import Client, Hub, Problem

__all__ = ["TravelTimes", "formula_minutes"]

EARTH_RADIUS_KM = 6371.0
DETOUR = 1.3
SPEED_KMH = {"car": 60.0, "transit": 30.0}
OVERHEAD_MIN = {"car": 5, "transit": 10}


def formula_minutes(lat1: float, lon1: float, lat2: float, lon2: float, mode: str) -> int:
    """Door-to-door minutes by the contract's default formula (haversine, detour 1.3)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
    return OVERHEAD_MIN[mode] + math.ceil(km * DETOUR / SPEED_KMH[mode] * 60)


class TravelTimes:
    """Minutes between hubs (staff, by car) and from clients' homes to hubs."""

    def __init__(self, problem: Problem) -> None:
        self._hubs: dict[str, Hub] = {hub.id: hub for hub in problem.hubs}
        self._hub_overrides = problem.travel.hub_minutes
        self._client_overrides = problem.travel.client_minutes
        self._client_cache: dict[tuple[str, str], int] = {}
        self.hub = lru_cache(maxsize=None)(self._hub)

    def _hub(self, a: str, b: str) -> int:
        if a == b:
            return 0
        for x, y in ((a, b), (b, a)):
            if y in self._hub_overrides.get(x, {}):
                return self._hub_overrides[x][y]
        ha, hb = self._hubs[a], self._hubs[b]
        return formula_minutes(ha.lat, ha.lon, hb.lat, hb.lon, "car")

    def client(self, client: Client, hub_id: str) -> int:
        """Minutes from the client's home to a hub by the client's travel mode."""
        key = (client.id, hub_id)
        if key not in self._client_cache:
            override = self._client_overrides.get(client.id, {})
            if hub_id in override:
                self._client_cache[key] = override[hub_id]
            else:
                hub = self._hubs[hub_id]
                self._client_cache[key] = formula_minutes(
                    client.home.lat, client.home.lon, hub.lat, hub.lon, client.travel_mode
                )
        return self._client_cache[key]
