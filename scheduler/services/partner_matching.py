"""Partner activities that suit a client, for the recommendations: a list of their own, never ranked among the
county's groups nor counted with them.

An activity suits a profile when they share a language, its theme is one of the client's interests (any,
when the profile names none), the client can come on its weekday at its hours (any time, when the profile
gives no windows), it is for everyone or for one of the client's audiences, it is accessible when the
client needs that, and it has not ended. Most wanted theme first, then by weekday and time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import Session

from scheduler.contract.errors import NotFound
from scheduler.contract.partner import PartnerActivityOut
from scheduler.contract.times import DAYS, minutes
from scheduler.services.matching import Profile
from scheduler.services.partners import PartnerFilter, list_partners
from scheduler.services.profiles import client_profile
from scheduler.storage.models import ClientRow

__all__ = ["match_partners", "partner_matches", "partners_for_client", "suits"]


def suits(profile: Profile, activity: PartnerActivityOut) -> bool:
    """Whether the activity suits the profile (language, theme, day and time, audience, accessibility)."""
    if not set(profile.languages) & set(activity.languages):
        return False
    if profile.interests and activity.theme not in profile.interests:
        return False
    if activity.audience != "all" and activity.audience not in profile.audiences:
        return False
    if profile.needs_accessible and not activity.accessible:
        return False
    if profile.available is None:
        return True
    start, end = minutes(activity.start), minutes(activity.end)
    return any(w.day == activity.day and w.start_min <= start and end <= w.end_min for w in profile.available)


def partner_matches(session: Session, profile: Profile, on: date, limit: int = 5) -> list[PartnerActivityOut]:
    """The partner activities that suit the profile and have not ended by `on`, at most `limit`."""
    return match_partners(list_partners(session, PartnerFilter(on=on)), profile, limit)


def match_partners(activities: Iterable[PartnerActivityOut], profile: Profile, limit: int) -> list[PartnerActivityOut]:
    """Of the activities (those not ended), the ones that suit the profile, most wanted theme first, at most `limit`."""
    interests = profile.interests or []

    def order(a: PartnerActivityOut) -> tuple[int, int, str, str]:
        wanted = interests.index(a.theme) if a.theme in interests else len(interests)
        return (wanted, DAYS.index(a.day), a.start, a.id)

    return sorted((a for a in activities if suits(profile, a)), key=order)[:limit]


def partners_for_client(session: Session, client_id: str, on: date, limit: int = 5) -> list[PartnerActivityOut]:
    """The partner activities that suit a stored client; NotFound for an unknown one."""
    client = session.get(ClientRow, client_id)
    if client is None:
        raise NotFound(f"no client {client_id!r}")
    return partner_matches(session, client_profile(session, client), on, limit)
