"""The events that make notices, each written through `notices.notify` in the transaction of the change.

- an offer made when a plan is published: to the client's counsellor (none without one);
- an offer about to expire (the daily step): a pending offer whose reply-by day is within
  `OFFER_EXPIRING_DAYS`, to the counsellor, once;
- a session cancelled or moved (its date, time or place) whose old or new start is within
  `NOTICE_WINDOW_HOURS` from now: to each of its leaders (substitutes included) and to the
  counsellor of each participant (an active seat or a pending offer), one notice each.

The absences in a row are notified where attendance is marked. A notice's `args` hold only
dates, times and place ids; the mail is composed from them (`scheduler.services.mail_text`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from scheduler.contract.followup import NOTICE_WINDOW_HOURS, NoticeKind
from scheduler.services.clock import HELSINKI
from scheduler.services.notices import notify
from scheduler.services.term_sessions import TermSession
from scheduler.storage.models import ClientRow, EnrollmentRow, GroupRow, OfferRow, PlanningSettings

__all__ = [
    "OFFER_EXPIRING_DAYS",
    "notify_offers_expiring",
    "notify_offers_made",
    "notify_session_change",
    "starts_soon",
]

OFFER_EXPIRING_DAYS = 2
"""A pending offer whose reply-by day is at most this many days away is about to expire: its counsellor is told."""


def _counsellors(session: Session, clients: Iterable[str]) -> dict[str, str]:
    """Each client's responsible counsellor (clients of the shared queue have none)."""
    wanted = sorted(set(clients))
    if not wanted:
        return {}
    rows = session.execute(select(ClientRow.id, ClientRow.counsellor_id).where(ClientRow.id.in_(wanted)))
    return {client: counsellor for client, counsellor in rows if counsellor is not None}


def _offer_notice(session: Session, kind: NoticeKind, offer: OfferRow, counsellor: str, now: datetime | None) -> bool:
    args = {"starts_on": offer.starts_on.isoformat(), "reply_by": offer.reply_by.isoformat()}
    made = notify(
        session,
        kind,
        f"offer:{offer.id}",
        counsellor_id=counsellor,
        client_id=offer.client_id,
        group_id=offer.group_id,
        day=offer.starts_on,
        args=args,
        now=now,
    )
    return made is not None


def notify_offers_made(session: Session, offers: Sequence[OfferRow], now: datetime | None = None) -> int:
    """Each new offer told to its client's counsellor; how many notices."""
    session.flush()  # the offers' ids name the notices
    owners = _counsellors(session, (o.client_id for o in offers))
    return sum(
        _offer_notice(session, "offer_made", o, owners[o.client_id], now) for o in offers if o.client_id in owners
    )


def notify_offers_expiring(session: Session, today: date, now: datetime) -> int:
    """Pending offers to answer within `OFFER_EXPIRING_DAYS` told to their counsellors, each once; how many notices."""
    soon = today + timedelta(days=OFFER_EXPIRING_DAYS)
    offers = list(
        session.scalars(
            select(OfferRow)
            .where(OfferRow.status == "pending", OfferRow.reply_by >= today, OfferRow.reply_by <= soon)
            .order_by(OfferRow.id)
        )
    )
    owners = _counsellors(session, (o.client_id for o in offers))
    return sum(
        _offer_notice(session, "offer_expiring", o, owners[o.client_id], now) for o in offers if o.client_id in owners
    )


def _zone(session: Session) -> ZoneInfo:
    frame = session.get(PlanningSettings, 1)
    try:
        return ZoneInfo(frame.timezone if frame is not None and frame.timezone else HELSINKI)
    except ZoneInfoNotFoundError:
        return ZoneInfo(HELSINKI)


def starts_soon(session: Session, held: TermSession, now: datetime) -> bool:
    """The session starts between now and `NOTICE_WINDOW_HOURS` from now (on the county's wall clock)."""
    begins = datetime.combine(held.day, time.fromisoformat(held.start), _zone(session))
    return now <= begins <= now + timedelta(hours=NOTICE_WINDOW_HOURS)


def _participants(session: Session, group_id: str, days: Sequence[date]) -> list[str]:
    """Who takes part in the group on those days: active seats covering one of them, and pending offers."""
    first, last = min(days), max(days)
    seated = session.scalars(
        select(EnrollmentRow.client_id).where(
            EnrollmentRow.group_id == group_id,
            EnrollmentRow.status == "active",
            EnrollmentRow.from_date <= last,
            or_(EnrollmentRow.to_date.is_(None), EnrollmentRow.to_date >= first),
        )
    )
    offered = session.scalars(
        select(OfferRow.client_id).where(OfferRow.group_id == group_id, OfferRow.status == "pending")
    )
    return sorted({*seated, *offered})


def _where(held: TermSession) -> dict[str, Any]:
    return {"day": held.day.isoformat(), "start": held.start, "end": held.end, "hub": held.hub_id}


def _session_notice(
    session: Session,
    kind: NoticeKind,
    ref: str,
    group: GroupRow,
    planned: date,
    args: dict[str, Any],
    now: datetime,
    **recipient: str,
) -> int:
    made = notify(session, kind, ref, group_id=group.id, day=planned, args=args, now=now, **recipient)
    return 0 if made is None else 1


def notify_session_change(
    session: Session,
    group: GroupRow,
    kind: NoticeKind,
    before: TermSession,
    after: TermSession | None,
    reason: str | None,
    now: datetime | None = None,
) -> int:
    """A session cancelled (`after` None) or moved, told to its leaders and its participants' counsellors when its
    old or new start is within the notice window; how many notices. Call it after the change, before the commit."""
    now = now or datetime.now(UTC)
    if not (starts_soon(session, before, now) or (after is not None and starts_soon(session, after, now))):
        return 0
    ref = f"session:{group.id}:{before.planned.isoformat()}:{group.sequence}"
    args = {"from": _where(before), "to": _where(after) if after is not None else None, "reason": reason}
    days = [before.day] + ([after.day] if after is not None else [])
    leaders = sorted({*before.leaders, *(after.leaders if after is not None else ())})
    made = 0
    for leader in leaders:
        made += _session_notice(session, kind, ref, group, before.planned, args, now, staff_id=str(leader))
    clients: dict[str, list[str]] = {}
    for client, counsellor in _counsellors(session, _participants(session, group.id, days)).items():
        clients.setdefault(counsellor, []).append(client)
    for counsellor, theirs in sorted(clients.items()):
        counted = {**args, "clients": len(theirs)}
        made += _session_notice(
            session, kind, ref, group, before.planned, counted, now, counsellor_id=counsellor, client_id=min(theirs)
        )
    return made
