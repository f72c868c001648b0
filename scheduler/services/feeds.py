"""Calendar feeds from the published offering: the database read once, handed to `calendars` as plain values.

Four feeds: the whole offering (with the offering's filters), one hub, one group, and one staff
member's sessions (only theirs: sessions a substitute takes over are left out of their feed,
and a substitute gets the sessions they take over). A hub's feed likewise holds the sessions
held there: one moved to another hub leaves it for that hub's feed. Cancelled groups stay in every feed,
STATUS:CANCELLED, until their term ends. `feed_version` says cheaply whether anything a feed
shows may have changed, so an unchanged feed is answered without rendering it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any

import holidays
from sqlalchemy import Connection, Select, func, select
from sqlalchemy.orm import Session

from calendars import Feed, FeedKind, Lang, Occurrence, Organizer, Place, Series, Skip, render
from calendars.texts import text
from scheduler.contract.errors import NotFound
from scheduler.contract.term import term_end
from scheduler.services.offering import OfferedGroup, OfferingFilter, first_name, load_offering, select_offering
from scheduler.services.term_sessions import TermSession, groups_sessions, scheduled_groups
from scheduler.storage.models import (
    AuditEntry,
    Closure,
    EnrollmentRow,
    GroupRow,
    HubRow,
    OfferingVersion,
    OfferRow,
    PlanningSettings,
    RoomRow,
    SessionChange,
    StaffRow,
    WaitlistEntry,
)

__all__ = [
    "FeedContext",
    "feed_version",
    "group_of",
    "group_uid",
    "load_series",
    "offering_feed",
    "one_group_feed",
    "one_hub_feed",
    "staff_feed",
]

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
HOLIDAY_LANGS = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}


@dataclass(frozen=True)
class FeedContext:
    """What every feed needs besides the data: the language, today, where pages live, who publishes."""

    lang: Lang
    today: date
    public_url: str
    organizer: Organizer
    source: str | None = None


def group_uid(group_id: str, term_start: date) -> str:
    """The UID of a group's term: the same on every republish, new for a new term."""
    return f"{group_id}-{term_start.isoformat()}@tarjotin"


def group_of(uid: str) -> str:
    """The group a series' UID names (`group_uid` read back)."""
    return uid.removesuffix("@tarjotin")[: -len("-YYYY-MM-DD")]


@lru_cache(maxsize=16)
def _holiday_names(year: int, lang: str) -> dict[date, str]:
    return dict(holidays.country_holidays("FI", years=year, language=HOLIDAY_LANGS[lang]).items())


def _hhmm(text: str) -> time:
    return time.fromisoformat(text)


@dataclass
class _Lookup:
    """Names the series need: hubs and rooms by id, staff first names."""

    hubs: dict[str, HubRow]
    rooms: dict[str, str]
    first_names: dict[str, str]

    def place(self, hub_id: str | None, room_id: str | None) -> Place | None:
        hub = self.hubs.get(hub_id) if hub_id else None
        if hub is None:
            return None
        return Place(hub.name, hub.address, hub.municipality, hub.lat, hub.lon, self.rooms.get(room_id or ""))

    def names(self, staff: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.first_names.get(s, s) for s in staff)


def _lookup(session: Session) -> _Lookup:
    hubs = {h.id: h for h in session.scalars(select(HubRow))}
    rooms = {r: n or r.rpartition("/")[2] for r, n in session.execute(select(RoomRow.id, RoomRow.name))}
    first = {sid: first_name(name, sid) for sid, name in session.execute(select(StaffRow.id, StaffRow.name))}
    return _Lookup(hubs, rooms, first)


def _skip_reason(term: TermSession, lang: Lang) -> str | None:
    if term.cause == "holiday":
        return _holiday_names(term.planned.year, lang).get(term.planned, term.reason)
    if term.cause == "closure" and term.reason in (None, "closed"):
        return text("closed", lang)
    return term.reason


def _occurrence(term: TermSession, names: _Lookup) -> Occurrence:
    return Occurrence(
        term.planned,
        term.day,
        _hhmm(term.start),
        _hhmm(term.end),
        names.place(term.hub_id, term.room_id),
        names.names(term.leaders),
        term.changed_at or EPOCH,
        term.status == "moved",
        term.status == "substitute",
        term.reason,
    )


@dataclass(frozen=True)
class _Source:
    """One group as the feeds need it: its offering entry, its row and its term sessions."""

    offered: OfferedGroup
    row: GroupRow
    sessions: list[TermSession]


def _sources(session: Session, today: date) -> tuple[list[_Source], date | None]:
    frame = session.get(PlanningSettings, 1)
    if frame is None:
        return [], None
    rows = {g.id: g for g in scheduled_groups(session)}
    sessions = groups_sessions(session, rows.values())
    keep_cancelled = today <= term_end(frame.term_start, frame.term_weeks)
    offered = load_offering(session, today, upcoming=0, cancelled=keep_cancelled)
    return [_Source(o, rows[o.id], sessions[o.id]) for o in offered], frame.term_start


Mine = Callable[[TermSession], bool]
NOT_HELD = ("holiday", "closure", "session")


def _kept(term: TermSession, mine: Mine | None) -> bool:
    """A session the feed shows: held (or called off with the whole group, which the series says), and
    with `mine`, led by the feed's staff member."""
    return term.cause not in NOT_HELD and (mine is None or mine(term))


def _series(
    source: _Source, term_start: date, context: FeedContext, names: _Lookup, mine: Mine | None = None
) -> Series | None:
    """The group's term as a series; with `mine`, only the sessions that pass it (a staff member's own)."""
    offered, row = source.offered, source.row
    if not source.sessions:  # a term that holds no week (a start after the season's end)
        return None
    kept = [s for s in source.sessions if _kept(s, mine)]
    leads = mine is None or any(s.status in ("held", "cancelled") for s in kept)
    skips = tuple(
        Skip(s.planned, _skip_reason(s, context.lang) if s.cause in NOT_HELD else None)
        for s in source.sessions
        if not _kept(s, mine)
    )
    changes = tuple(_occurrence(s, names) for s in kept if s.status in ("moved", "substitute"))
    if not leads and not changes:
        return None
    cancelled = row.status == "cancelled"
    return Series(
        uid=group_uid(row.id, term_start),
        titles=offered.name.model_dump(exclude_none=True),
        theme=offered.theme,
        audience=offered.audience,
        language=offered.language,
        kind=offered.kind,
        first=source.sessions[0].planned,
        start=_hhmm(row.start),
        end=_hhmm(row.end),
        until=offered.term_end,
        place=names.place(row.hub_id, row.room_id),
        leaders=tuple(offered.leaders),
        capacity=offered.capacity,
        free_seats=0 if cancelled else offered.free_seats,
        url=f"{context.public_url.rstrip('/')}/group/{row.id}?lang={context.lang}",
        sequence=row.sequence or 0,
        updated_at=row.updated_at or EPOCH,
        skips=skips,
        changes=changes,
        cancelled=cancelled,
        cancel_reason=row.cancel_reason,
        only_changes=not leads,
        just_come=offered.just_come,
        remote_joining=offered.remote_joining,
        admission=offered.admission,
        closes_on=offered.closes_on,
        admission_open=offered.admission_open and not cancelled,
        free_in_room=None if cancelled else offered.free_in_room,
        waiting=offered.waiting,
        starts_on=offered.starts_on,
        sessions_left=0 if cancelled else offered.sessions_left,
    )


def load_series(
    session: Session,
    context: FeedContext,
    keep: Callable[[OfferedGroup], bool] = lambda _: True,
    mine: Mine | None = None,
) -> list[Series]:
    """The series of every group the feed shows."""
    sources, term_start = _sources(session, context.today)
    if term_start is None:
        return []
    names = _lookup(session)
    chosen = [_series(s, term_start, context, names, mine) for s in sources if keep(s.offered)]
    return [s for s in chosen if s is not None]


def _feed(kind: FeedKind, subject: str, context: FeedContext, series: list[Series]) -> bytes:
    return render(Feed(kind, subject, context.lang, context.organizer, tuple(series), context.source))


def offering_feed(session: Session, context: FeedContext, where: OfferingFilter | None = None) -> bytes:
    """The whole offering, or what passes the offering's filters."""
    where = where or OfferingFilter()
    frame = session.get(PlanningSettings, 1)
    series = load_series(session, context, lambda g: bool(select_offering([g], where)))
    return _feed("offering", frame.region if frame and frame.region else "", context, series)


def one_hub_feed(session: Session, hub_id: str, context: FeedContext) -> bytes:
    """The sessions held at one hub: its groups' (less any moved elsewhere) and other groups' sessions
    moved here (events of their own); NotFound for an unknown hub."""
    hub = session.get(HubRow, hub_id)
    if hub is None:
        raise NotFound(f"no hub {hub_id!r}")
    series = load_series(session, context, mine=lambda s: s.hub_id == hub_id)
    return _feed("hub", hub.name, context, series)


def one_group_feed(session: Session, group_id: str, context: FeedContext) -> bytes:
    """One group's term; NotFound for a group that is not (or no longer) in the offering."""
    series = load_series(session, context, lambda g: g.id == group_id)
    if not series:
        row = session.get(GroupRow, group_id)
        raise NotFound(
            f"no group {group_id!r}"
            if row is None
            else f"group {group_id!r} is {row.status}: it is no longer in the offering"
        )
    return _feed("group", series[0].titles.get(context.lang) or series[0].titles["fi"], context, series)


def staff_feed(session: Session, staff_id: str, context: FeedContext) -> bytes:
    """The sessions one staff member leads, and nobody else's."""
    member = session.get(StaffRow, staff_id)
    if member is None:
        raise NotFound(f"no staff member {staff_id!r}")
    series = load_series(session, context, mine=lambda s: staff_id in s.leaders)
    return _feed("staff", first_name(member.name, staff_id), context, series)


def _version_query() -> Select[Any]:
    return select(
        select(func.max(AuditEntry.id)).scalar_subquery(),
        select(AuditEntry.at).order_by(AuditEntry.id.desc()).limit(1).scalar_subquery(),  # by the index
        select(func.max(OfferingVersion.id)).scalar_subquery(),
        select(func.max(GroupRow.updated_at)).scalar_subquery(),
        select(func.sum(GroupRow.sequence)).scalar_subquery(),
        select(func.count()).select_from(GroupRow).scalar_subquery(),
        select(func.max(SessionChange.updated_at)).scalar_subquery(),
        select(func.count()).select_from(SessionChange).scalar_subquery(),
        select(func.count()).select_from(EnrollmentRow).where(EnrollmentRow.status == "active").scalar_subquery(),
        select(func.count()).select_from(Closure).scalar_subquery(),
        select(func.count()).select_from(WaitlistEntry).where(WaitlistEntry.status == "waiting").scalar_subquery(),
        select(func.count()).select_from(OfferRow).where(OfferRow.status == "pending").scalar_subquery(),
    )


VERSION = _version_query()
"""Built once: a 304 costs the query, not building it."""


def feed_version(session: Session | Connection) -> tuple[str, datetime | None]:
    """A cheap fingerprint of everything feeds show, and when it last changed (one query, no rendering).

    Every change goes through the audit log, a publish or a session change; active seats and pending
    offers cover free seats, and the clients waiting the waiting lists' counts. The date (sessions
    left, a closed group's admission) is in the ETag the routes make of it.
    """
    values = session.execute(VERSION).one()
    stamps = [_aware(v) for v in (values[1], values[3], values[6]) if v is not None]
    return "/".join(str(v) for v in values), max(stamps) if stamps else None


def _aware(moment: datetime) -> datetime:
    """In UTC, whether the database kept the zone (PostgreSQL) or not (SQLite)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
