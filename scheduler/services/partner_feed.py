"""The partners' calendar feed: stored activities handed to `calendars.partners` as plain values.

DTSTART is the first of the activity's weekday on or after its `first_date`, or else on or after the day it
was last saved (a date that stays put, unlike "the next one from today", so an unchanged feed renders to
the same bytes); the rhythm ends on `last_date`. Activities that ended before today are left out.
"""

from __future__ import annotations

from datetime import UTC, date, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from calendars.partners import PartnerEvent, render_partners
from scheduler.contract.partner import PartnerActivityOut
from scheduler.contract.times import DAYS
from scheduler.services.clock import HELSINKI
from scheduler.services.feeds import EPOCH, FeedContext
from scheduler.services.partners import PartnerFilter, list_partners

__all__ = ["first_date", "partner_events", "partners_feed", "partners_page_url"]


def partners_page_url(public_url: str, lang: str) -> str:
    """The public page that lists the activities, in a language."""
    return f"{public_url.rstrip('/')}/partner-activities?lang={lang}"


def first_date(activity: PartnerActivityOut) -> date:
    """The first date of the weekly rhythm: the first of its weekday on or after `first_date`, else on or after
    the day it was last saved (in Helsinki)."""
    since = activity.first_date
    if since is None:
        saved = activity.updated_at or EPOCH
        since = (saved if saved.tzinfo else saved.replace(tzinfo=UTC)).astimezone(ZoneInfo(HELSINKI)).date()
    return since + timedelta(days=(DAYS.index(activity.day) - since.weekday()) % 7)


def partner_events(activities: list[PartnerActivityOut], page: str) -> list[PartnerEvent]:
    """The activities as calendar events."""
    return [
        PartnerEvent(
            id=a.id,
            organisation=a.organisation,
            name=a.name,
            description=a.description,
            municipality=a.municipality,
            place=a.place,
            lat=a.lat,
            lon=a.lon,
            day=a.day,
            start=time.fromisoformat(a.start),
            end=time.fromisoformat(a.end),
            first=first_date(a),
            last=a.last_date,
            languages=tuple(a.languages),
            theme=a.theme,
            audience=a.audience,
            contact=a.contact,
            url=a.url,
            accessible=a.accessible,
            sequence=a.sequence,
            updated_at=a.updated_at or EPOCH,
            page=f"{page}#{a.id}",
        )
        for a in activities
    ]


def partners_feed(session: Session, context: FeedContext, refresh_minutes: int = 60) -> bytes:
    """Every activity that has not ended, as one calendar in the context's language."""
    activities = list_partners(session, PartnerFilter(on=context.today))
    page = partners_page_url(context.public_url, context.lang)
    return render_partners(
        partner_events(activities, page), context.lang, context.organizer, context.source, refresh_minutes
    )
