"""The offering arranged by hub, as paper wants it: one section per hub, its groups by weekday and time.

The printed offering page (`offering.html`'s print-only part) and the offering PDF (`api.pages.offering_pdf`)
both read it: a hub's groups on a sheet of their own, the remote groups last.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.contract import DAYS
from scheduler.services.offering import OfferedGroup, Place

__all__ = ["HubSection", "hub_sections"]


@dataclass(frozen=True)
class HubSection:
    """One hub and its groups; `place` None: the remote groups (no hub)."""

    place: Place | None
    groups: list[OfferedGroup]

    @property
    def key(self) -> str:
        return self.place.hub_id if self.place else ""


def hub_sections(groups: list[OfferedGroup]) -> list[HubSection]:
    """The groups by hub: hubs by municipality and name, the remote groups last; each hub's groups by weekday,
    start time and id."""
    by_hub: dict[str, list[OfferedGroup]] = {}
    places: dict[str, Place | None] = {}
    for group in groups:
        key = group.place.hub_id if group.place else ""
        by_hub.setdefault(key, []).append(group)
        places.setdefault(key, group.place)

    def order(key: str) -> tuple[bool, str, str, str]:
        place = places[key]
        return (place is None, place.municipality if place else "", place.hub if place else "", key)

    return [
        HubSection(places[key], sorted(by_hub[key], key=lambda g: (DAYS.index(g.day), g.start, g.id)))
        for key in sorted(by_hub, key=order)
    ]
