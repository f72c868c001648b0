"""The offering kept per version: built once per change of what it shows, filtered without the database.

`load_offering` reads the offering in six queries; it changes only when a plan is published, a seat or an
offer is taken or freed, a session changes, or a resource changes — and every such write moves the
offering's version in its own transaction (`scheduler.storage.offering_stamp`). An `OfferingKeeper` (one
per process) keeps the offering built for a version and a day (`KeptOffering`), with what recommendations
need beside it (the new joiners' view, the partners' activities): a request reads the version (one
primary-key read, the round trip that keeps free seats exact across processes), and builds only when the
version is new to this process; concurrent requests for a new version wait for one build.

Filtering uses the kept indexes (by municipality, hub, language, day, theme, audience, modality, and the
groups with a free seat) and a travel-time lookup per point and place; the answer is exactly what
`offering.select_offering` answers on the same groups, in the same order.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from scheduler.contract.partner import PartnerActivityOut
from scheduler.contract.travel import travel_minutes
from scheduler.services.admission import NewJoiners, new_joiners
from scheduler.services.matching import Profile, Recommendation, recommend
from scheduler.services.offering import OfferedGroup, OfferingFilter, load_offering
from scheduler.services.partner_matching import match_partners
from scheduler.services.partners import PartnerFilter, list_partners
from scheduler.storage.offering_stamp import offering_version

__all__ = ["KeptOffering", "OfferingKeeper", "build_kept"]

KEPT = 8
"""Offerings a process keeps (versions, days, with and without what a coordinator sees)."""
TRAVEL_KEPT = 50_000
"""Travel times a kept offering remembers (point, place, mode)."""


@dataclass
class KeptOffering:
    """The offering of one version on one day, indexed for its filters."""

    version: int
    day: date
    coordinator: bool
    groups: tuple[OfferedGroup, ...]
    joiners: NewJoiners
    partners: tuple[PartnerActivityOut, ...]
    by_id: dict[str, OfferedGroup] = field(init=False)
    _index: dict[str, dict[str | None, frozenset[int]]] = field(init=False)
    _free: frozenset[int] = field(init=False)
    _travel: dict[tuple[float, float, str, str], int] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {g.id: g for g in self.groups}
        keys: dict[str, Callable[[OfferedGroup], str | None]] = {
            "municipality": lambda g: g.place.municipality if g.place else None,
            "hub": lambda g: g.place.hub_id if g.place else None,
            "language": lambda g: g.language,
            "day": lambda g: g.day,
            "theme": lambda g: g.theme,
            "audience": lambda g: g.audience,
            "modality": lambda g: g.modality,
        }
        index: dict[str, dict[str | None, set[int]]] = {name: {} for name in keys}
        for position, group in enumerate(self.groups):
            for name, key in keys.items():
                index[name].setdefault(key(group), set()).add(position)
        self._index = {name: {k: frozenset(v) for k, v in found.items()} for name, found in index.items()}
        self._free = frozenset(i for i, g in enumerate(self.groups) if g.free_seats > 0 or g.just_come)

    def _positions(self, name: str, *values: str | None) -> frozenset[int]:
        found = self._index[name]
        return frozenset().union(*(found.get(v, frozenset()) for v in values))

    def minutes(self, near: tuple[float, float], group: OfferedGroup, mode: str) -> int:
        """Travel minutes from a point to the group's place (0 for a remote group), remembered per point."""
        place = group.place
        if place is None:
            return 0
        key = (near[0], near[1], place.hub_id, mode)
        found = self._travel.get(key)
        if found is None:
            found = travel_minutes(*near, place.lat, place.lon, mode)
            if len(self._travel) < TRAVEL_KEPT:
                self._travel[key] = found
        return found

    def select(self, where: OfferingFilter) -> list[OfferedGroup]:
        """The groups that pass every filter, in the offering's order; with a point, each with its travel time."""
        chosen: frozenset[int] | None = None
        wanted = [
            ("municipality", (where.municipality,)),
            ("hub", (where.hub,)),
            ("language", (where.language,)),
            ("day", (where.day,)),
            ("theme", (where.theme,)),
            ("audience", (where.audience, "all") if where.audience is not None else None),
            ("modality", (where.modality, "hybrid") if where.modality == "remote" else (where.modality,)),
        ]
        for name, values in wanted:
            if values is None or values[0] is None:
                continue
            found = self._positions(name, *values)
            chosen = found if chosen is None else chosen & found
        if where.free_only:
            chosen = self._free if chosen is None else chosen & self._free
        positions = range(len(self.groups)) if chosen is None else sorted(chosen)
        groups = [self.groups[i] for i in positions]
        if where.near is None:
            return groups
        near, kept = where.near, []
        for group in groups:
            minutes = self.minutes(near, group, where.mode)
            if where.within_minutes is None or minutes <= where.within_minutes:
                kept.append(group.model_copy(update={"travel_minutes": minutes}))
        return kept

    def recommend(self, profile: Profile, limit: int) -> Recommendation:
        """Recommendations for an anonymous profile, from the kept offering alone."""
        shut = self.joiners
        return recommend(profile, shut.groups, [], limit, shut.closed, shut.popups, shut.rooms)

    def partners_for(self, profile: Profile, limit: int) -> list[PartnerActivityOut]:
        return match_partners(self.partners, profile, limit)


def build_kept(session: Session, version: int, today: date, coordinator: bool = False) -> KeptOffering:
    """The offering of `version` (read first: the data read after it is never older), kept for filtering."""
    groups = tuple(load_offering(session, today, coordinator=coordinator))
    partners = tuple(list_partners(session, PartnerFilter(on=today)))
    return KeptOffering(version, today, coordinator, groups, new_joiners(session, today), partners)


class OfferingKeeper:
    """The offerings this process keeps, newest last; a new version is built once however many ask at once."""

    def __init__(self, keep: int = KEPT) -> None:
        self._keep = keep
        self._kept: OrderedDict[tuple[int, date, bool], KeptOffering] = OrderedDict()
        self._guard = threading.Lock()
        self._building: dict[tuple[int, date, bool], threading.Lock] = {}
        self.builds = 0
        """How many offerings this keeper built (for the tests and the benchmark)."""

    def kept(self, version: int, today: date, coordinator: bool = False) -> KeptOffering | None:
        """The offering kept for the version, if this process has built it."""
        with self._guard:
            return self._kept.get((version, today, coordinator))

    def get(self, session: Session, today: date, coordinator: bool = False, version: int | None = None) -> KeptOffering:
        """The offering now, kept: `version` when the caller has read it already (in this session)."""
        key = (offering_version(session) if version is None else version, today, coordinator)
        with self._guard:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._guard:
                kept = self._kept.get(key)
            if kept is None:
                kept = build_kept(session, key[0], today, coordinator)
                with self._guard:
                    self._kept[key] = kept
                    self.builds += 1
                    while len(self._kept) > self._keep:
                        self._kept.popitem(last=False)
        with self._guard:
            self._building.pop(key, None)
        return kept
