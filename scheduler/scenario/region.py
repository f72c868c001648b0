"""A region is data: its municipalities, hub sites and the few numbers that give it its character.

The one generator (`scheduler.scenario.generate`) builds a problem from any `Region`; each
region's facts live in a small module of `scheduler.scenario.regions`, with their sources and
assumptions in its docstring (docs/regions.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["HubSite", "Municipality", "Region", "Settlement"]


class Settlement(NamedTuple):
    """Where a share of a municipality's people live: a point and a spread in km."""

    lat: float
    lon: float
    weight: float
    spread_km: float


class Municipality(NamedTuple):
    """A municipality: its centre, 2023-ish population, Swedish-speaking and foreign-language
    shares, the share of clients who drive, and where its people live.

    `swedish_only_staff` is the share of its Swedish-speaking staff who speak no Finnish."""

    name: str
    lat: float
    lon: float
    population: int
    swedish_share: float
    foreign_share: float
    car_share: float
    settlements: tuple[Settlement, ...]
    swedish_only_staff: float = 0.0


class HubSite(NamedTuple):
    """A base meeting place; kind is sote, kirjasto (library) or asukastalo (resident house)."""

    id: str
    municipality: str
    kind: str
    lat: float
    lon: float
    name: str
    address: str
    swedish: bool = False


@dataclass(frozen=True)
class Region:
    """Everything that makes one region's scenario differ from another's.

    name: the id `tarjotin scenario --region` takes; display: the problem's `region` field.
    Rooms: about one per `clients_per_room` waiting clients in each municipality (at least one per
    hub). Staff: one per `clients_per_staff` clients (at least `min_staff`, one in every
    municipality, the first there qualified), qualified with `qualified_share`; of the qualified,
    `part_time_share` work two or three days a week. A client's travel limit is drawn from
    `car_minutes` or `transit_minutes` (start, stop, step of `range`). Group models run in
    `template_languages`, the first being the region's main language.
    """

    name: str
    display: str
    municipalities: tuple[Municipality, ...]
    hubs: tuple[HubSite, ...]
    clients_per_room: float = 25
    clients_per_staff: float = 10
    min_staff: int = 12
    qualified_share: float = 0.6
    part_time_share: float = 0.0
    car_minutes: tuple[int, int, int] = (20, 46, 5)
    transit_minutes: tuple[int, int, int] = (30, 76, 5)
    template_languages: tuple[str, ...] = ("fi", "sv")

    def __post_init__(self) -> None:
        names = [m.name for m in self.municipalities]
        if len(set(names)) != len(names):
            raise ValueError(f"region {self.name}: a municipality is listed twice")
        for site in self.hubs:
            if site.municipality not in names:
                raise ValueError(f"region {self.name}: hub {site.id} is in no municipality of the region")
        bare = set(names) - {site.municipality for site in self.hubs}
        if bare:
            raise ValueError(f"region {self.name}: no hub in {', '.join(sorted(bare))}")
        if len({site.id for site in self.hubs}) != len(self.hubs):
            raise ValueError(f"region {self.name}: a hub id is used twice")
