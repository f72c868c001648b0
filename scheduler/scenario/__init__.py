"""The built-in scenarios: a reproducible region of any size, Western Uusimaa by default
(docs/design.md, docs/regions.md). `REGIONS` names every region `generate` can build;
`generate_national` builds all of mainland Finland, county by county (region name `national`)."""

from scheduler.scenario.generate import DEFAULT_TERM_START, TERM_WEEKS, closures, generate, municipality_at
from scheduler.scenario.national import NATIONAL, NATIONAL_DISPLAY, area_regions, generate_national
from scheduler.scenario.region import HubSite, Municipality, Region, Settlement
from scheduler.scenario.regions import DEFAULT_REGION, REGIONS, UnknownRegion, find_region

__all__ = [
    "DEFAULT_REGION",
    "DEFAULT_TERM_START",
    "NATIONAL",
    "NATIONAL_DISPLAY",
    "REGIONS",
    "TERM_WEEKS",
    "HubSite",
    "Municipality",
    "Region",
    "Settlement",
    "UnknownRegion",
    "area_regions",
    "closures",
    "find_region",
    "generate",
    "generate_national",
    "municipality_at",
]
