"""What a feed is made of: plain values the application fills in, nothing from the database.

A `Series` is one group over one term: its weekly rhythm, the dates it skips and the
sessions that differ (`Occurrence`). A `Feed` is the calendar around them: what it shows,
in which language, who publishes it. Times are wall-clock times in Europe/Helsinki.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Literal

__all__ = ["FeedKind", "Feed", "Lang", "LANGS", "Occurrence", "Organizer", "Place", "Series", "Skip"]

Lang = Literal["fi", "sv", "en"]
LANGS: tuple[Lang, ...] = ("fi", "sv", "en")
FeedKind = Literal["offering", "hub", "group", "staff"]


@dataclass(frozen=True)
class Place:
    """Where a session is held: the hub's name, street address and coordinates."""

    name: str
    address: str | None
    municipality: str
    lat: float
    lon: float
    room: str | None = None


@dataclass(frozen=True)
class Skip:
    """A date of the rhythm without a session, and why (a holiday's name, a closure, a cancelled session)."""

    day: date
    reason: str | None = None


@dataclass(frozen=True)
class Occurrence:
    """One session held differently from the rhythm: moved (date, time, place) or with a substitute leader."""

    planned: date
    day: date
    start: time
    end: time
    place: Place | None
    leaders: tuple[str, ...]
    changed_at: datetime
    moved: bool
    substitute: bool
    note: str | None = None


@dataclass(frozen=True)
class Series:
    """One weekly group over one term, as a calendar shows it."""

    uid: str
    titles: dict[str, str] = field(hash=False)
    """The group model's name by language (fi and sv always; en may be missing)."""
    theme: str
    audience: str
    language: str
    kind: str
    first: date
    """The first date of the rhythm (DTSTART), even if no session is held on it."""
    start: time
    end: time
    until: date
    """The term's last day."""
    place: Place | None
    leaders: tuple[str, ...]
    capacity: int
    free_seats: int
    url: str
    sequence: int
    updated_at: datetime
    skips: tuple[Skip, ...] = ()
    changes: tuple[Occurrence, ...] = ()
    cancelled: bool = False
    cancel_reason: str | None = None
    only_changes: bool = False
    """Show only `changes`, each as an event of its own (a substitute's sessions in another's group)."""
    just_come: bool = False
    """A pop-up: anyone may come without signing up (no free seats to show, `capacity` is the room's limit)."""
    remote_joining: bool = False
    """One may join from home: with a `place`, a hybrid group."""
    admission: str = "rolling"
    """open (a pop-up), closed (after `closes_on` no new joiners) or rolling (joiners welcome)."""
    closes_on: date | None = None
    admission_open: bool = True
    """Whether the group takes new joiners on the feed's today (false: closed past `closes_on`)."""
    free_in_room: int | None = None
    """A hybrid group: of the free seats, those its room still takes."""
    waiting: int = 0
    """How many wait for a seat (a count, never who)."""
    starts_on: date | None = None
    """The group's first session held (its own term)."""
    sessions_left: int | None = None
    """Sessions held from the feed's today on."""


@dataclass(frozen=True)
class Organizer:
    """Who publishes the feeds: the county's team."""

    name: str
    email: str


@dataclass(frozen=True)
class Feed:
    """A calendar: which feed, about what, in which language, and its series."""

    kind: FeedKind
    subject: str
    """What the feed is about: the region, a hub's name, a group's title, a staff member's first name."""
    lang: Lang
    organizer: Organizer
    series: tuple[Series, ...] = field(default_factory=tuple)
    source: str | None = None
    """The feed's own URL."""
    refresh_minutes: int = 60
