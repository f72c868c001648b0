"""Where a client lives, as coordinators count it: the municipality of the hub nearest their home."""

from __future__ import annotations

from scheduler.contract import Problem
from scheduler.contract.travel import nearest_municipality

__all__ = ["Municipalities"]


class Municipalities:
    """The municipality of each client of a problem (`nearest_municipality` of their home among the hubs)."""

    def __init__(self, problem: Problem) -> None:
        self.hubs = problem.hubs
        self.homes = {c.id: c.home for c in problem.clients}

    def of_client(self, client: str) -> str:
        home = self.homes.get(client)
        return "" if home is None else nearest_municipality(home.lat, home.lon, self.hubs) or ""
