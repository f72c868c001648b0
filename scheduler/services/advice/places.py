"""Where a client lives, as coordinators count it: the municipality of the hub nearest their home."""

from __future__ import annotations

from scheduler.contract import Problem
from scheduler.contract.travel import haversine_km

__all__ = ["Municipalities"]


class Municipalities:
    """The municipality of each client of a problem: that of the hub nearest their home (great-circle)."""

    def __init__(self, problem: Problem) -> None:
        self.hubs = [(h.lat, h.lon, h.municipality) for h in problem.hubs]
        self.homes = {c.id: (c.home.lat, c.home.lon) for c in problem.clients}

    def of_point(self, lat: float, lon: float) -> str:
        if not self.hubs:
            return ""
        return min(self.hubs, key=lambda h: (haversine_km(lat, lon, h[0], h[1]), h[2]))[2]

    def of_client(self, client: str) -> str:
        home = self.homes.get(client)
        return "" if home is None else self.of_point(*home)
