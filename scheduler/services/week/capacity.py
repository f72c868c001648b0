"""Capacity by municipality × language: who waits there, and the seats the running groups offer.

A client's municipality is that of the hub nearest their home (great-circle distance):
the tables store a client's home point, not a municipality, and the nearest hub is
where they would most likely go. Demand counts the clients in service with no active
seat, under every group language they speak (a bilingual client counts in both
columns, so a column's demand can add up to more than the clients). Seats and free
seats are those of the running groups at the municipality's hubs; remote groups are
a row of their own, with no demand of their own. A cell is short when more clients
wait there than it has free seats.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract.travel import nearest_municipality
from scheduler.services.week.board import week_groups
from scheduler.storage.models import ClientRow, EnrollmentRow, GroupModelRow, HubRow, OfferRow

__all__ = ["CapacityCell", "CapacityTable", "home_municipality", "load_capacity"]


@dataclass
class CapacityCell:
    demand: int = 0
    seats: int = 0
    free: int = 0
    groups: int = 0

    @property
    def shortfall(self) -> int:
        """Waiting clients beyond the free seats."""
        return max(self.demand - self.free, 0)


@dataclass
class CapacityTable:
    """Rows are municipalities (None: the remote groups), columns the languages groups run in."""

    languages: list[str]
    municipalities: list[str | None]
    cells: dict[tuple[str | None, str], CapacityCell]

    def cell(self, municipality: str | None, language: str) -> CapacityCell:
        return self.cells.get((municipality, language), CapacityCell())

    def total(self, language: str) -> CapacityCell:
        parts = [self.cell(m, language) for m in self.municipalities]
        return CapacityCell(
            sum(c.demand for c in parts),
            sum(c.seats for c in parts),
            sum(c.free for c in parts),
            sum(c.groups for c in parts),
        )


def home_municipality(lat: float, lon: float, hubs: list[HubRow]) -> str | None:
    """The municipality of the hub nearest a home; None when there are no hubs."""
    return nearest_municipality(lat, lon, hubs)


def load_capacity(session: Session, today: date) -> CapacityTable:
    """Demand, seats and free seats for every municipality with a hub and every group language."""
    hubs = list(session.scalars(select(HubRow)))
    languages = sorted({lang for langs in session.scalars(select(GroupModelRow.languages)) for lang in langs})
    cells: dict[tuple[str | None, str], CapacityCell] = {}
    seated = (
        select(EnrollmentRow.client_id)
        .where(EnrollmentRow.status == "active")
        .union(
            select(OfferRow.client_id).where(OfferRow.status == "pending")  # a seat held for them: not demand
        )
    )
    waiting = session.scalars(select(ClientRow).where(ClientRow.in_service, ClientRow.id.not_in(seated)))
    for client in waiting:
        town = home_municipality(client.home_lat, client.home_lon, hubs)
        for language in set(client.languages) & set(languages):
            cells.setdefault((town, language), CapacityCell()).demand += 1
    for group in week_groups(session, today):
        cell = cells.setdefault((group.municipality, group.language), CapacityCell())
        cell.seats, cell.free, cell.groups = cell.seats + group.capacity, cell.free + group.free, cell.groups + 1
    towns: list[str | None] = [*sorted({h.municipality for h in hubs})]
    if any(town is None for town, _ in cells):
        towns.append(None)
    return CapacityTable(languages, towns, cells)
