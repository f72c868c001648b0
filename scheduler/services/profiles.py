"""A stored client as the matching rules see them: their profile and the seats they hold now."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.services.matching import Profile, Seat
from scheduler.storage.models import ClientRow, EnrollmentRow, GroupRow, OfferRow, TravelOverride

__all__ = ["client_profile", "client_seats"]


def client_profile(session: Session, client: ClientRow) -> Profile:
    """A stored client as a matching profile, with their known travel times."""
    overrides = {
        hub: int(m)
        for hub, m in session.execute(
            select(TravelOverride.hub_id, TravelOverride.minutes).where(
                TravelOverride.kind == "client", TravelOverride.source == client.id
            )
        )
    }
    return Profile(
        languages=client.languages,
        lat=client.home_lat,
        lon=client.home_lon,
        travel_mode=client.travel_mode,
        max_travel_minutes=client.max_travel_minutes,
        available=client.available,
        interests=client.interests,
        audiences=client.audiences,
        needs_accessible=client.needs_accessible,
        remote_ok=client.remote_ok,
        max_groups_per_week=client.max_groups_per_week,
        travel_overrides=overrides,
        decisions=client.decisions or [],
    )


def client_seats(session: Session, client_id: str) -> list[Seat]:
    """The running groups the client holds a seat in: an active seat, or a pending offer (it holds that weekly
    slot and counts toward `max_groups_per_week` until it is answered)."""
    columns = (GroupRow.id, GroupRow.day, GroupRow.start, GroupRow.end)
    seats = session.execute(
        select(*columns)
        .join(EnrollmentRow, EnrollmentRow.group_id == GroupRow.id)
        .where(EnrollmentRow.client_id == client_id, EnrollmentRow.status == "active", GroupRow.status == "running")
    )
    offers = session.execute(
        select(*columns)
        .join(OfferRow, OfferRow.group_id == GroupRow.id)
        .where(OfferRow.client_id == client_id, OfferRow.status == "pending", GroupRow.status == "running")
    )
    held = {row[0]: Seat(*row) for row in [*seats, *offers]}
    return [held[group] for group in sorted(held)]
