"""The regions a scenario can be generated for, each a `Region` of facts in its own module.

Each module's docstring states its sources and assumptions; docs/regions.md describes the
regions' characters side by side.
"""

from __future__ import annotations

from scheduler.scenario.region import Region
from scheduler.scenario.regions import kainuu, lansi_uusimaa, lappi, pohjanmaa, tampere

__all__ = ["DEFAULT_REGION", "REGIONS", "UnknownRegion", "find_region"]

DEFAULT_REGION = lansi_uusimaa.REGION.name
REGIONS: dict[str, Region] = {
    region.name: region
    for region in (lansi_uusimaa.REGION, lappi.REGION, tampere.REGION, pohjanmaa.REGION, kainuu.REGION)
}
"""Every built-in region by name, the default first."""


class UnknownRegion(ValueError):
    """A region name that is not in REGIONS; the message lists the known ones."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"unknown region {name!r}: choose one of {', '.join(REGIONS)}")


def find_region(name: str) -> Region:
    """The built-in region of a name, or UnknownRegion."""
    try:
        return REGIONS[name]
    except KeyError:
        raise UnknownRegion(name) from None
