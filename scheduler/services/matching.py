"""Which published groups suit a client, why, and why not: the recommendations.

A group suits a client when every rule family the planner applies lets them in:
a decision in force on one of its sessions (for a client with decisions on record),
interest, audience, language, remote, travel, accessibility, availability (their
windows, and no clash with a seat they already hold), admission (`closed`: a closed
group past its closing session takes no new joiner) and a free seat (capacity). A hybrid
group a client cannot reach (or whose room is not accessible to them) suits them from
home when they can take part remotely (`Suitability.from_home`). Open pop-ups take no
seat and are never recommended as one.
When nothing suits, the reasons use the solver's codes: the first family, in the
solver's order, that rules out every group still in the running.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from pydantic import BaseModel, Field

from scheduler.contract import DAYS, Decision, Reason, Window, minutes
from scheduler.contract.service import in_force
from scheduler.contract.term import public_holidays
from scheduler.contract.travel import travel_minutes
from scheduler.services.offering import OfferedGroup

__all__ = ["Profile", "Recommendation", "Seat", "Suitability", "recommend", "suitability"]

DAY_NAMES = {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat", "sun": "Sun"}


class Profile(BaseModel):
    """What matters about a client for finding a group; a known client or an anonymous one."""

    languages: list[str]
    lat: float | None = None
    lon: float | None = None
    travel_mode: str = "transit"
    max_travel_minutes: int = 60
    available: list[Window] | None = None
    interests: list[str] | None = None
    audiences: list[str] = Field(default_factory=list)
    needs_accessible: bool = False
    remote_ok: bool = False
    max_groups_per_week: int = 1
    travel_overrides: dict[str, int] = Field(default_factory=dict)
    decisions: list[Decision] = Field(default_factory=list)


@dataclass(frozen=True)
class Seat:
    """A seat the client already holds: its group and weekly time."""

    group_id: str
    day: str
    start: str
    end: str


@dataclass
class Suitability:
    """How a group fits a client: the rule families it passes (with why) and those it fails."""

    group: OfferedGroup
    fits: list[Reason] = field(default_factory=list)
    fails: dict[str, str] = field(default_factory=dict)
    travel: int | None = None
    rank: int = 0
    closed: str | None = None
    """Why the group takes no new joiner now (`admission`: a closed group past its closing session)."""
    from_home: list[str] = field(default_factory=list)
    """A hybrid group: why the client could not come to the room (they would join from home)."""
    room_free: int | None = None
    """A hybrid group: free places in its room for those present (None: not judged here)."""

    @property
    def remote(self) -> bool:
        """A hybrid group the client would join from home."""
        return bool(self.from_home)


Check = Callable[[Profile, OfferedGroup, list[Seat], Suitability], tuple[bool, str]]


def _decision(p: Profile, g: OfferedGroup, _: list[Seat], __: Suitability) -> tuple[bool, str]:
    """A decision in force on one of the group's sessions left this term (none on record: no limit)."""
    if not p.decisions:
        return True, "no decision limit"
    first = g.next_sessions[0] if g.next_sessions else g.term_start
    day = g.term_start + timedelta(days=DAYS.index(g.day))
    while day <= g.term_end:
        if day >= first and day not in public_holidays(day.year) and in_force(p.decisions, day):
            return True, f"a decision is in force on {day}"
        day += timedelta(weeks=1)
    return False, f"no decision is in force on its sessions from {first} to {g.term_end}"


def _interest(p: Profile, g: OfferedGroup, _: list[Seat], s: Suitability) -> tuple[bool, str]:
    if p.interests is None:
        return True, f"theme: {g.theme}"
    if g.theme not in p.interests:
        return False, f"its theme {g.theme} is not among their interests ({', '.join(p.interests) or 'none'})"
    s.rank = p.interests.index(g.theme)
    return True, f"theme {g.theme} is their interest no. {s.rank + 1}"


def _audience(p: Profile, g: OfferedGroup, _: list[Seat], __: Suitability) -> tuple[bool, str]:
    if g.audience == "all":
        return True, "open to everyone"
    if g.audience in p.audiences:
        return True, f"for the audience {g.audience}"
    return False, f"it is for the audience {g.audience}, not theirs ({', '.join(p.audiences) or 'none given'})"


def _language(p: Profile, g: OfferedGroup, _: list[Seat], __: Suitability) -> tuple[bool, str]:
    if g.language in p.languages:
        return True, f"runs in {g.language}, which they speak"
    return False, f"it runs in {g.language}; they speak {', '.join(p.languages)}"


def _remote(p: Profile, g: OfferedGroup, _: list[Seat], __: Suitability) -> tuple[bool, str]:
    if g.modality == "hybrid":
        return True, "hybrid: in the room, or from home" if p.remote_ok else "hybrid: they come to the room"
    if g.modality == "remote":
        return (
            (True, "remote, and they can take part remotely")
            if p.remote_ok
            else (False, "it is remote and they cannot take part remotely")
        )
    return True, "meets in person"


def _travel(p: Profile, g: OfferedGroup, _: list[Seat], s: Suitability) -> tuple[bool, str]:
    if g.place is None:
        s.travel = 0
        return True, "no travel (remote)"
    if g.place.hub_id in p.travel_overrides:
        s.travel = p.travel_overrides[g.place.hub_id]
    elif p.lat is None or p.lon is None:
        return True, f"at {g.place.hub}, {g.place.municipality} (no home given to time the trip)"
    else:
        s.travel = travel_minutes(p.lat, p.lon, g.place.lat, g.place.lon, p.travel_mode)
    by = "by car" if p.travel_mode == "car" else "by public transport"
    trip = f"{s.travel} min {by} to {g.place.hub} (their limit {p.max_travel_minutes})"
    if s.travel > p.max_travel_minutes and g.modality == "hybrid" and p.remote_ok:
        s.from_home.append(trip)
        return True, f"{trip}: they join from home"
    return s.travel <= p.max_travel_minutes, trip


def _accessibility(p: Profile, g: OfferedGroup, _: list[Seat], s: Suitability) -> tuple[bool, str]:
    if not p.needs_accessible or g.place is None:
        return True, "accessible" if g.place is None or g.place.accessible else "no accessibility need"
    if g.place.accessible:
        return True, "in an accessible room"
    if g.modality == "hybrid" and p.remote_ok:
        s.from_home.append(f"its room at {g.place.hub} is not accessible")
        return True, f"its room at {g.place.hub} is not accessible: they join from home"
    return False, f"its room at {g.place.hub} is not accessible"


def _availability(p: Profile, g: OfferedGroup, seats: list[Seat], _: Suitability) -> tuple[bool, str]:
    when = f"{DAY_NAMES[g.day]} {g.start}–{g.end}"
    start, end = minutes(g.start), minutes(g.end)
    if p.available is not None and not any(
        w.day == g.day and w.start_min <= start and end <= w.end_min for w in p.available
    ):
        return False, f"{when} is outside the times they can come"
    clash = next((s for s in seats if s.day == g.day and minutes(s.start) < end and start < minutes(s.end)), None)
    if clash is not None:
        return False, f"{when} clashes with their group {clash.group_id}"
    if len(seats) >= p.max_groups_per_week:
        return False, f"they already attend {len(seats)} group(s) a week, their most"
    return True, f"{when} fits their week"


def _closed(_: Profile, __: OfferedGroup, ___: list[Seat], s: Suitability) -> tuple[bool, str]:
    return (True, "it takes new joiners") if s.closed is None else (False, s.closed)


def _capacity(p: Profile, g: OfferedGroup, __: list[Seat], s: Suitability) -> tuple[bool, str]:
    if g.free_seats and s.room_free == 0 and not s.from_home:  # a hybrid group's room is full
        if not p.remote_ok:
            return False, "its room is full (its other seats are taken from home)"
        s.from_home.append("its room is full")
        return True, f"{g.free_seats} of {g.capacity} seats free, from home (its room is full)"
    return g.free_seats > 0, f"{g.free_seats} of {g.capacity} seats free" if g.free_seats else "it is full"


CHECKS: list[tuple[str, Check]] = [
    ("decision", _decision),
    ("interest", _interest),
    ("audience", _audience),
    ("language", _language),
    ("remote", _remote),
    ("travel", _travel),
    ("accessibility", _accessibility),
    ("availability", _availability),
    ("closed", _closed),
    ("capacity", _capacity),
]


def suitability(
    profile: Profile, group: OfferedGroup, seats: list[Seat], closed: str | None = None, room_free: int | None = None
) -> Suitability:
    """Every rule family's verdict on the group for the client; `closed` says why the group takes no new
    joiner now (`scheduler.services.admission`), when it does not; `room_free` a hybrid group's free places
    in its room (full: the client joins from home, when they can)."""
    result = Suitability(group, closed=closed, room_free=room_free)
    for code, check in CHECKS:
        ok, why = check(profile, group, seats, result)
        if ok:
            result.fits.append(Reason(code=code, detail=why))
        else:
            result.fails[code] = why
    return result


@dataclass
class Recommendation:
    """Suitable groups best first; full ones that would suit (their waiting lists); or why none."""

    options: list[Suitability]
    full: list[Suitability]
    reasons: list[Reason]


def recommend(
    profile: Profile,
    groups: list[OfferedGroup],
    seats: list[Seat],
    limit: int = 5,
    closed: Mapping[str, str] | None = None,
    popups: Collection[str] = (),
    rooms: Mapping[str, int] | None = None,
) -> Recommendation:
    """The best suitable groups with a free seat (at least two whenever two exist).

    `closed`: the groups that take no new joiner now, with why (they fail `closed`); `popups`: open
    pop-ups, which take no seat and are never recommended as one (`scheduler.services.admission`); `rooms`:
    hybrid groups' free places in their rooms (`scheduler.services.hybrid`)."""
    held = {s.group_id for s in seats}
    shut, room = closed or {}, rooms or {}
    judged = [
        suitability(profile, g, seats, shut.get(g.id), room.get(g.id))
        for g in groups
        if g.id not in held and g.id not in popups
    ]
    options = [s for s in judged if not s.fails]
    options.sort(key=lambda s: (s.rank, s.travel or 0, -s.group.free_seats, s.group.id))
    full = [s for s in judged if set(s.fails) == {"capacity"}]
    return Recommendation(options[: max(limit, 2)], full, [] if options else _why_none(judged))


def _why_none(judged: list[Suitability]) -> list[Reason]:
    """The first rule family, in the solver's order, that rules out every group left."""
    if not judged:
        return [Reason(code="capacity", detail="no group is published yet")]
    left = judged
    passed: list[str] = []
    for code, _ in CHECKS:
        out = [s for s in left if code in s.fails]
        if len(out) == len(left):
            examples = "; ".join(f"{s.group.id}: {s.fails[code]}" for s in out[:3])
            more = f" (and {len(out) - 3} more)" if len(out) > 3 else ""
            which = f"{len(out)} group(s) fit by {', '.join(passed)}" if passed else f"{len(out)} group(s)"
            return [Reason(code=code, detail=f"{which}, none by {code}: {examples}{more}")]
        left = [s for s in left if code not in s.fails]
        passed.append(code)
    return [Reason(code="capacity", detail="no group fits")]
