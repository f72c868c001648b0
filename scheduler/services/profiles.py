"""A stored client as the matching rules see them: their profile and the seats they hold now."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.services.matching import Profile, Seat
from scheduler.storage.models import ClientRow, EnrollmentRow, GroupRow, TravelOverride

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
    """The running groups the client holds an active seat in."""
    rows = session.execute(
        select(GroupRow.id, GroupRow.day, GroupRow.start, GroupRow.end)
        .join(EnrollmentRow, EnrollmentRow.group_id == GroupRow.id)
        .where(EnrollmentRow.client_id == client_id, EnrollmentRow.status == "active", GroupRow.status == "running")
    )
    return [Seat(*row) for row in rows]
