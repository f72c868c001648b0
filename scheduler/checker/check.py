"""An independent check of a plan against the hard constraints H1–H10 (docs/rules.md).

The checker shares no code with the solver: it reads only the contract (its models,
the rule keys and thresholds of `scheduler.contract.rules`) and re-derives every rule,
travel times included, from the design brief. Each violation names the rule part it
breaks by its key. `check` lists every violation it finds, never stops at the first
and never raises on a faulty plan: an unknown reference is an H1 violation, and the
checks that would need the missing record are skipped for that item.

Readings of the brief where it leaves room:
- Times are half-open intervals: a session [10:00, 12:00) and one starting at 12:00
  do not overlap. A window covers a session when it is on the session's day, starts
  no later and ends no earlier.
- Group sizes count distinct participant ids; a room holds the distinct participants
  present (all but a hybrid group's remote participants) plus the distinct leaders. With
  an unknown template the floor bounds still apply (at least 3, at most 10).
- H3's small-group exemption holds for a group marked pinned in the plan or pinned in
  the problem's input groups, and for a pop-up (a group whose model's admission is open).
- A "new" group is one marked new in the plan or not among the problem's input groups;
  `popup_slots` counts the new pop-ups of the plan.
- A pop-up's visitors for H5 are its room's capacity less its distinct leaders, at most
  its model's max_size; a pop-up with no known room (remote) counts max_size.
- A hybrid group is placed like an in-person one (hub, room, the room's windows, the
  leaders at its hub); its remote participants are at home for the room's capacity,
  accessibility and travel, and need remote_ok.
- H6 checks every pair of same-day sessions of a leader (not only consecutive ones)
  for overlap and for the car travel time between their hubs. A remote session
  counts as held at the leader's base hub.
- H8 "falls on a day listed in a window": an in-person or hybrid group's day appears in a
  window of its room; a remote group's day appears in a window of at least one of
  its leaders. (Whole-session availability is H4 for rooms, H6 for leaders.)
- A group's own term: its first session is `start_date`, or the season's first date of
  its weekday when left out; it runs `sessions` weekly sessions, or every week to the
  season's last day (its start Monday + 7 × weeks − 1) when left out. Public holidays and
  closures skip a session without moving the term's end.
- H9 compares leaders as a set (order is not meaning) and ignores the plan group's
  own `pinned` flag.
- Language codes match exactly ("fi" is not "fi-FI").
- H7 "newly placed": a participant of a plan group who was not a participant of the
  problem's group with the same id. For `decision_in_force` a group's sessions are its own
  term's weekly dates from `seats_from` (never before the term's Monday) to its last, less
  Finnish public holidays (the `holidays` package) and the problem's closures. For `closed`
  the closes_after-th session is the group's first date plus closes_after − 1 weeks,
  holidays not skipped; it closes the group when it falls before the first seat day.
  Decisions whose dates touch or overlap (the next starts at the latest the day after one ends) make one
  service period, in force from its first day to 18 calendar months later, less a day
  (a month's missing day falls to its last day), or to its last decision's end if sooner.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations

import holidays

from scheduler.contract import (
    DAYS,
    Client,
    Group,
    Hub,
    Plan,
    Problem,
    Room,
    Staff,
    Template,
    Window,
    hhmm,
    minutes,
)
from scheduler.contract.rules import LARGEST_GROUP, MAX_LEADERS, ONE_LEADER_UP_TO, RULE_BY_KEY, SMALLEST_GROUP
from scheduler.contract.travel import formula_minutes, haversine_km, hub_car_minutes

__all__ = [
    "Violation",
    "check",
    "client_travel_minutes",
    "format_report",
    "hub_travel_minutes",
]


@dataclass(frozen=True)
class Violation:
    """One broken part of a hard rule: its key (`scheduler.contract.rules`), a plain
    sentence, and the group it concerns (None for a client or leader over the week)."""

    key: str
    message: str
    group: str | None = None

    def __post_init__(self) -> None:
        if self.key not in RULE_BY_KEY:
            raise ValueError(f"{self.key!r} is not a rule key")

    @property
    def rule(self) -> str:
        """The rule family, H1–H10."""
        return RULE_BY_KEY[self.key].family

    @property
    def label(self) -> str:
        """What a breach of the rule part is called."""
        return RULE_BY_KEY[self.key].label

    def __str__(self) -> str:
        return f"{self.rule} {self.label}: {self.message}"


# --- travel times, re-derived from the brief ----------------------------------------


def hub_travel_minutes(problem: Problem, a: str, b: str) -> int | None:
    """Staff car minutes between two hubs (override [a][b], then [b][a]); None if unknown."""
    places = {hub.id: (hub.lat, hub.lon) for hub in problem.hubs}
    return hub_car_minutes(a, b, places, problem.travel.hub_minutes)


def client_travel_minutes(problem: Problem, client: Client, hub_id: str) -> int | None:
    """Minutes from a client's home to a hub by their travel mode; None for an unknown hub."""
    override = problem.travel.client_minutes.get(client.id, {})
    if hub_id in override:
        return override[hub_id]
    hub = next((h for h in problem.hubs if h.id == hub_id), None)
    if hub is None:
        return None
    km = haversine_km(client.home.lat, client.home.lon, hub.lat, hub.lon)
    return formula_minutes(km, client.travel_mode)


# --- what the rules look things up in -----------------------------------------------


@dataclass(frozen=True)
class _Session:
    """A plan group with its times read as minutes after midnight."""

    group: Group
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: _Session) -> bool:
        same_day = self.group.day == other.group.day
        return same_day and self.start < other.end and other.start < self.end

    def when(self) -> str:
        return f"{self.group.day} {hhmm(self.start)}-{hhmm(self.end)}"


@dataclass(frozen=True)
class _Context:
    """The problem's records by id, and the plan's groups as sessions."""

    problem: Problem
    plan: Plan
    templates: dict[str, Template]
    hubs: dict[str, Hub]
    rooms: dict[str, Room]
    room_hub: dict[str, str]
    staff: dict[str, Staff]
    clients: dict[str, Client]
    sessions: list[_Session]
    inputs: dict[str, Group]

    @classmethod
    def of(cls, problem: Problem, plan: Plan) -> _Context:
        rooms = {room.id: (hub.id, room) for hub in problem.hubs for room in hub.rooms}
        return cls(
            problem=problem,
            plan=plan,
            templates={t.id: t for t in problem.templates},
            hubs={h.id: h for h in problem.hubs},
            rooms={rid: room for rid, (_, room) in rooms.items()},
            room_hub={rid: hub_id for rid, (hub_id, _) in rooms.items()},
            staff={s.id: s for s in problem.staff},
            clients={c.id: c for c in problem.clients},
            sessions=[s for s in map(_session, plan.groups) if s is not None],
            inputs={g.id: g for g in problem.groups},
        )

    def leaders(self, group: Group) -> list[Staff]:
        return [self.staff[i] for i in _unique(group.leaders) if i in self.staff]

    def participants(self, group: Group) -> list[Client]:
        return [self.clients[i] for i in _unique(group.participants) if i in self.clients]

    def present(self, group: Group) -> list[Client]:
        """The participants who come to the room: all of them, but a hybrid group's remote ones."""
        remote = _remote_ids(group)
        return [client for client in self.participants(group) if client.id not in remote]

    def popup(self, group: Group) -> bool:
        """Whether the group runs an open (pop-up) model: no roster, anyone may just come."""
        template = self.templates.get(group.template)
        return template is not None and template.admission == "open"

    def new(self, group: Group) -> bool:
        """A group the plan opens: marked new, or not among the problem's input groups."""
        return group.new or group.id not in self.inputs

    def newcomers(self, group: Group) -> list[Client]:
        """The participants the problem's input group of the same id did not have."""
        before = self.inputs.get(group.id)
        had = set(before.participants) if before is not None else set()
        return [client for client in self.participants(group) if client.id not in had]

    def session_hub(self, session: _Session, leader: Staff) -> str | None:
        """Where a leader is during a session: the group's hub, or their base hub if remote."""
        if session.group.modality == "remote":
            return leader.base_hub
        hub = session.group.hub
        return hub if hub in self.hubs else None


@dataclass(frozen=True)
class _Term:
    """A group's own term: the date of its first weekly session and how many weeks it runs."""

    first: date
    weeks: int

    @property
    def last(self) -> date:
        return self.first + timedelta(weeks=self.weeks - 1)

    def dates(self) -> list[date]:
        return [self.first + timedelta(weeks=week) for week in range(self.weeks)]


def _season_end(problem: Problem) -> date:
    """The season's last day: the Sunday of its last week."""
    return problem.term.start + timedelta(days=7 * problem.term.weeks - 1)


def _weeks_left(problem: Problem, first: date) -> int:
    """Weekly sessions from `first` to the season's last day (none when it starts after it)."""
    return max(0, (_season_end(problem) - first).days // 7 + 1)


def _own_term(problem: Problem, group: Group) -> _Term | None:
    """From `start_date` (the season's first date of the group's weekday when left out) for
    `sessions` weeks (to the season's end when left out); None for an unknown weekday."""
    if group.day not in DAYS:
        return None
    first = group.start_date or problem.term.start + timedelta(days=DAYS.index(group.day))
    weeks = group.sessions if group.sessions is not None else _weeks_left(problem, first)
    return _Term(first, weeks)


def _session(group: Group) -> _Session | None:
    try:
        return _Session(group, minutes(group.start), minutes(group.end))
    except (TypeError, ValueError):
        return None


def _remote_ids(group: Group) -> set[str]:
    """Who joins a hybrid group from home (nobody in any other group)."""
    return set(group.remote_participants) if group.modality == "hybrid" else set()


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _covers(windows: Sequence[Window], session: _Session) -> bool:
    """Some window on the session's day spans the whole session."""
    return any(
        w.day == session.group.day and w.start_min <= session.start and session.end <= w.end_min for w in windows
    )


def _names(ids: Iterable[str]) -> str:
    return ", ".join(ids)


def _count(n: int, noun: str) -> str:
    """Count a noun: 1 participant, 3 participants."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _flag(key: str, group: str | None, message: str) -> Violation:
    """A violation of the rule part `key`, written group first so the sentence can run to
    the end of the line."""
    return Violation(key, message, group)


# --- H1 references ------------------------------------------------------------------


def _check_references(ctx: _Context) -> list[Violation]:
    """H1: every id exists, places match the modality, group ids are unique."""
    found: list[Violation] = []
    for gid, count in Counter(g.id for g in ctx.plan.groups).items():
        if count > 1:
            found.append(_flag("group_ids_unique", gid, f"group id {gid} is used by {count} groups"))
    for group in ctx.plan.groups:
        found += _group_references(ctx, group)
    for entry in ctx.plan.unassigned:
        if entry.client not in ctx.clients:
            found.append(_flag("client_exists", None, f"unassigned client {entry.client} is not in the problem"))
    return found


def _group_references(ctx: _Context, group: Group) -> list[Violation]:
    """H1 for one group: its template, leaders and participants exist."""
    gid, found = group.id, []
    template = ctx.templates.get(group.template)
    if template is None:
        found.append(_flag("template_exists", gid, f"group {gid} uses unknown template {group.template}"))
    elif template.modality != group.modality:
        found.append(
            _flag(
                "modality_matches_template",
                gid,
                f"group {gid} is {group.modality} but template {template.id} is {template.modality}",
            )
        )
    found += _group_place(ctx, group)
    found += _group_county(ctx, group)
    for sid in _unique(group.leaders):
        if sid not in ctx.staff:
            found.append(_flag("leader_exists", gid, f"group {gid} is led by unknown staff member {sid}"))
    for cid in _unique(group.participants):
        if cid not in ctx.clients:
            found.append(_flag("client_exists", gid, f"group {gid} has unknown participant {cid}"))
    found += _remote_participants(group)
    return found


def _remote_participants(group: Group) -> list[Violation]:
    """H1: only a hybrid group has remote participants, and they are among its participants."""
    gid, remote = group.id, _unique(group.remote_participants)
    if not remote:
        return []
    if group.modality != "hybrid":
        return [
            _flag(
                "remote_participants_listed",
                gid,
                f"{group.modality} group {gid} lists remote participants ({_names(remote)}); "
                "only a hybrid group has them",
            )
        ]
    strangers = [cid for cid in remote if cid not in group.participants]
    if not strangers:
        return []
    return [
        _flag(
            "remote_participants_listed",
            gid,
            f"hybrid group {gid} lists {_names(strangers)} as remote participants but not as participants",
        )
    ]


def _group_county(ctx: _Context, group: Group) -> list[Violation]:
    """H1 in a problem of several counties: the group's hub, leaders and participants are of one county."""
    hub = ctx.hubs.get(group.hub) if group.hub is not None else None
    members: list[tuple[str, str | None]] = [(f"hub {hub.id}", hub.county)] if hub is not None else []
    members += [(f"leader {s.id}", s.county) for s in ctx.leaders(group)]
    members += [(f"participant {c.id}", c.county) for c in ctx.participants(group)]
    counties = {county for _, county in members if county}
    if len(counties) <= 1:
        return []
    named = ", ".join(f"{who} of {county}" for who, county in members if county)
    return [_flag("same_county", group.id, f"group {group.id} crosses counties: {named}")]


def _group_place(ctx: _Context, group: Group) -> list[Violation]:
    """H1 for one group's place: in person or hybrid at a room of its hub, remote with neither."""
    gid, hub, room = group.id, group.hub, group.room
    if group.modality == "remote":
        if hub is None and room is None:
            return []
        named = " and ".join(f"{kind} {ref}" for kind, ref in (("hub", hub), ("room", room)) if ref)
        return [_flag("remote_has_no_place", gid, f"remote group {gid} names {named}; a remote group has neither")]
    found, kind = [], "hybrid" if group.modality == "hybrid" else "in-person"
    if hub is None:
        found.append(_flag("in_person_has_hub", gid, f"{kind} group {gid} has no hub"))
    elif hub not in ctx.hubs:
        found.append(_flag("hub_exists", gid, f"group {gid} meets at unknown hub {hub}"))
    if room is None:
        found.append(_flag("in_person_has_room", gid, f"{kind} group {gid} has no room"))
    elif room not in ctx.rooms:
        found.append(_flag("room_exists", gid, f"group {gid} meets in unknown room {room}"))
    elif hub is not None and ctx.room_hub[room] != hub:
        found.append(
            _flag(
                "room_in_its_hub",
                gid,
                f"group {gid} meets at hub {hub} but room {room} belongs to hub {ctx.room_hub[room]}",
            )
        )
    return found


# --- H2 language --------------------------------------------------------------------


def _check_language(ctx: _Context) -> list[Violation]:
    """H2: the group's language is the template's, and everyone in the group speaks it."""
    found = []
    for group in ctx.plan.groups:
        gid, lang = group.id, group.language
        template = ctx.templates.get(group.template)
        if template is not None and lang not in template.languages:
            found.append(
                _flag(
                    "template_offers_language",
                    gid,
                    f"group {gid} runs in {lang}, which template {template.id} "
                    f"does not offer ({_names(template.languages)})",
                )
            )
        for leader in ctx.leaders(group):
            if lang not in leader.languages:
                found.append(
                    _flag("leader_speaks_language", gid, f"leader {leader.id} of group {gid} does not speak {lang}")
                )
        for client in ctx.participants(group):
            if lang not in client.languages:
                found.append(_flag("language", gid, f"participant {client.id} of group {gid} does not speak {lang}"))
    return found


# --- H3 group size ------------------------------------------------------------------


def _check_size(ctx: _Context) -> list[Violation]:
    """H3: distinct participants, no more than the template allows, enough unless pinned or a
    pop-up; a pop-up has no roster, and the plan opens no more new pop-ups than its slots."""
    pinned_inputs = {g.id for g in ctx.problem.groups if g.pinned}
    found = _popup_slots(ctx)
    for group in ctx.plan.groups:
        gid = group.id
        twice = [cid for cid, n in Counter(group.participants).items() if n > 1]
        if twice:
            found.append(_flag("participants_distinct", gid, f"group {gid} lists {_names(twice)} more than once"))
        size = len(set(group.participants))
        template = ctx.templates.get(group.template)
        most = min(LARGEST_GROUP, template.max_size) if template else LARGEST_GROUP
        least = max(SMALLEST_GROUP, template.min_size) if template else SMALLEST_GROUP
        if size > most:
            found.append(
                _flag("group_not_too_large", gid, f"group {gid} has {_count(size, 'participant')}; at most {most}")
            )
        popup = ctx.popup(group)
        if size < least and not (group.pinned or gid in pinned_inputs or popup):
            found.append(
                _flag("group_not_too_small", gid, f"group {gid} has {_count(size, 'participant')}; at least {least}")
            )
        if popup and group.participants:
            found.append(
                _flag(
                    "popup_has_no_roster",
                    gid,
                    f"pop-up {gid} (open model {group.template}) lists participants "
                    f"{_names(_unique(group.participants))}; anyone may just come",
                )
            )
    return found


def _popup_slots(ctx: _Context) -> list[Violation]:
    """H3 over the plan: the new pop-up sessions a week number at most the problem's popup_slots."""
    opened = [g.id for g in ctx.plan.groups if ctx.popup(g) and ctx.new(g)]
    slots = ctx.problem.popup_slots
    if len(opened) <= slots:
        return []
    return [
        _flag(
            "popup_slots",
            None,
            f"the plan opens {_count(len(opened), 'new pop-up')} ({_names(opened)}); "
            f"the problem's popup_slots allows {slots}",
        )
    ]


# --- H4 rooms -----------------------------------------------------------------------


def _check_rooms(ctx: _Context) -> list[Violation]:
    """H4 for in-person and hybrid groups: the room fits everyone present, is open for the
    session, holds one session at a time."""
    found: list[Violation] = []
    booked: dict[tuple[str, str], list[_Session]] = defaultdict(list)
    for session in ctx.sessions:
        group = session.group
        if group.modality == "remote" or group.room not in ctx.rooms:
            continue
        found += _room_fit(ctx, session, ctx.rooms[group.room])
        booked[(group.room, group.day)].append(session)
    for (room_id, _), sessions in booked.items():
        for a, b in combinations(sessions, 2):
            if a.overlaps(b):
                first, second = sorted((a.group.id, b.group.id))
                found.append(
                    _flag(
                        "one_session_per_room",
                        first,
                        f"groups {first} and {second} both use room {room_id} on {a.when()} and {b.when()}",
                    )
                )
    return found


def _room_fit(ctx: _Context, session: _Session, room: Room) -> list[Violation]:
    """H4 for one session in a known room: size, opening hours, accessibility; a hybrid
    group's remote participants are at home and count for none of them."""
    group = session.group
    gid, found = group.id, []
    present = [cid for cid in _unique(group.participants) if cid not in _remote_ids(group)]
    people = len(present) + len(set(group.leaders))
    if people > room.capacity:
        found.append(
            _flag(
                "room_fits_everyone",
                gid,
                f"group {gid} has {people} people present with its leaders but room {room.id} holds {room.capacity}",
            )
        )
    if not _covers(room.available, session):
        found.append(
            _flag("room_available", gid, f"room {room.id} is not available for group {gid} on {session.when()}")
        )
    if not room.accessible:
        for client in ctx.present(group):
            if client.needs_accessible:
                found.append(
                    _flag(
                        "accessibility",
                        gid,
                        f"participant {client.id} of group {gid} needs an accessible room but room {room.id} is not",
                    )
                )
    return found


# --- H5 leaders ---------------------------------------------------------------------


def _check_leaders(ctx: _Context) -> list[Violation]:
    """H5: one or two distinct leaders, one qualified, two for five or more, skills covered."""
    found: list[Violation] = []
    for group in ctx.plan.groups:
        gid, unique, size = group.id, _unique(group.leaders), len(set(group.participants))
        if len(unique) < len(group.leaders):
            found.append(_flag("leaders_distinct", gid, f"group {gid} lists a leader twice ({_names(group.leaders)})"))
        if not unique:
            found.append(_flag("has_a_leader", gid, f"group {gid} has no leader"))
        elif len(unique) > MAX_LEADERS:
            found.append(
                _flag(
                    "at_most_two_leaders",
                    gid,
                    f"group {gid} has {len(unique)} leaders ({_names(unique)}); a group has one or two",
                )
            )
        if ctx.popup(group):
            found += _popup_leaders(ctx, group, unique)
        elif size > ONE_LEADER_UP_TO and len(unique) < MAX_LEADERS:
            found.append(
                _flag(
                    "five_need_two_leaders",
                    gid,
                    f"group {gid} has {_count(size, 'participant')} but {_count(len(unique), 'leader')}",
                )
            )
        known = ctx.leaders(group)
        if unique and len(known) == len(unique):
            found += _leader_competence(ctx, group, known)
    return found


def _popup_leaders(ctx: _Context, group: Group, leaders: list[str]) -> list[Violation]:
    """H5 for a pop-up: it counts as many visitors as its room takes besides its leaders, at
    most its model's max_size (all of max_size with no known room, as a remote pop-up)."""
    template = ctx.templates.get(group.template)
    if template is None or len(leaders) >= MAX_LEADERS:
        return []
    visitors = template.max_size
    room = ctx.rooms.get(group.room) if group.modality != "remote" and group.room is not None else None
    if room is not None:
        visitors = min(visitors, max(0, room.capacity - len(leaders)))
    if visitors <= ONE_LEADER_UP_TO:
        return []
    where = f"room {room.id} takes" if room is not None else f"model {template.id} takes"
    return [
        _flag(
            "five_need_two_leaders",
            group.id,
            f"pop-up {group.id} counts {_count(visitors, 'visitor')} ({where} that many besides its leaders) "
            f"but has {_count(len(leaders), 'leader')}",
        )
    ]


def _leader_competence(ctx: _Context, group: Group, leaders: list[Staff]) -> list[Violation]:
    """H5 for a group whose leaders are all known: a qualified one, and the skills."""
    gid, found = group.id, []
    if not any(leader.qualified for leader in leaders):
        found.append(
            _flag(
                "one_qualified_leader",
                gid,
                f"group {gid} has no qualified leader among {_names(s.id for s in leaders)}",
            )
        )
        for peer in (leader for leader in leaders if leader.peer):
            found.append(
                _flag(
                    "peer_beside_professional",
                    gid,
                    f"peer instructor {peer.id} leads group {gid} with no qualified professional beside them",
                )
            )
    template = ctx.templates.get(group.template)
    if template is not None:
        skills = {skill for leader in leaders for skill in leader.skills}
        missing = [skill for skill in template.required_skills if skill not in skills]
        if missing:
            found.append(
                _flag(
                    "skills_covered",
                    gid,
                    f"the leaders of group {gid} lack {_names(missing)}, required by template {template.id}",
                )
            )
    return found


# --- H6 staff time ------------------------------------------------------------------


def _check_staff_time(ctx: _Context) -> list[Violation]:
    """H6: leaders are available, can get from one session to the next, stay within hours."""
    found: list[Violation] = []
    led: dict[str, list[_Session]] = defaultdict(list)
    for session in ctx.sessions:
        for leader in ctx.leaders(session.group):
            led[leader.id].append(session)
    for sid in sorted(led):
        leader, sessions = ctx.staff[sid], led[sid]
        for session in sessions:
            if not _covers(leader.available, session):
                found.append(
                    _flag(
                        "leader_available",
                        session.group.id,
                        f"leader {sid} is not available for group {session.group.id} on {session.when()}",
                    )
                )
        found += _leader_day(ctx, leader, sessions)
        found += _leader_reach(ctx, leader, sessions)
        total = sum(s.length for s in sessions)
        if total > leader.max_weekly_minutes:
            found.append(
                _flag(
                    "leader_weekly_minutes",
                    None,
                    f"leader {sid} leads {total} minutes a week "
                    f"({_names(s.group.id for s in sessions)}); "
                    f"at most {leader.max_weekly_minutes}",
                )
            )
    return found


def _leader_reach(ctx: _Context, leader: Staff, sessions: list[_Session]) -> list[Violation]:
    """H6: a leader runs a group that is not pinned only within the policy's reach of their base hub."""
    reach = ctx.problem.policy.leader_reach_minutes
    pinned = {g.id for g in ctx.problem.groups if g.pinned}
    found = []
    for session in sessions:
        hub = ctx.session_hub(session, leader)
        if reach is None or session.group.id in pinned or hub is None:
            continue
        need = hub_travel_minutes(ctx.problem, leader.base_hub, hub)
        if need is not None and need > reach:
            found.append(
                _flag(
                    "leader_within_reach",
                    session.group.id,
                    f"leader {leader.id} drives {need} min from {leader.base_hub} to {hub} for group "
                    f"{session.group.id}; the county's leader reach is {reach} min",
                )
            )
    return found


def _leader_day(ctx: _Context, leader: Staff, sessions: list[_Session]) -> list[Violation]:
    """H6 for every pair of one leader's same-day sessions: no overlap, time to travel."""
    found = []
    ordered = sorted(sessions, key=lambda s: (s.group.day, s.start, s.end, s.group.id))
    for a, b in combinations(ordered, 2):
        if a.group.day != b.group.day:
            continue
        pair = f"groups {a.group.id} ({a.when()}) and {b.group.id} ({b.when()})"
        if a.overlaps(b):
            found.append(
                _flag(
                    "leader_one_session_at_a_time", a.group.id, f"leader {leader.id} leads {pair} at overlapping times"
                )
            )
            continue
        here, there = ctx.session_hub(a, leader), ctx.session_hub(b, leader)
        need = hub_travel_minutes(ctx.problem, here, there) if here and there else None
        if need is not None and b.start - a.end < need:
            found.append(
                _flag(
                    "leader_travel_time",
                    a.group.id,
                    f"leader {leader.id} has {b.start - a.end} min between {pair} "
                    f"but needs {need} min by car from {here} to {there}",
                )
            )
    return found


# --- H7 clients ---------------------------------------------------------------------


def _check_clients(ctx: _Context) -> list[Violation]:
    """H7: each participant can and may join the group; no client is over-booked."""
    found: list[Violation] = []
    for session in ctx.sessions:
        template = ctx.templates.get(session.group.template)
        for client in ctx.participants(session.group):
            found += _client_fit(ctx, session, client, template)
    found += _client_week(ctx)
    found += _new_places(ctx)
    return found


def _client_fit(ctx: _Context, session: _Session, client: Client, template: Template | None) -> list[Violation]:
    """H7 for one participant of one session: time, travel (only to a room they come to),
    remote (a remote group, or a hybrid group from home), theme, audience."""
    group, cid = session.group, client.id
    gid, found = group.id, []
    from_home = group.modality == "remote" or cid in _remote_ids(group)
    if not _covers(client.available, session):
        found.append(_flag("availability", gid, f"client {cid} is not available for group {gid} on {session.when()}"))
    if not from_home and group.hub in ctx.hubs:
        took = client_travel_minutes(ctx.problem, client, group.hub)
        if took is not None and took > client.max_travel_minutes:
            found.append(
                _flag(
                    "travel",
                    gid,
                    f"client {cid} needs {took} min by {client.travel_mode} to hub "
                    f"{group.hub} of group {gid}; at most {client.max_travel_minutes}",
                )
            )
    if from_home and not client.remote_ok:
        how = f"remote group {gid}" if group.modality == "remote" else f"hybrid group {gid} from home"
        found.append(_flag("remote", gid, f"client {cid} is not remote_ok but joins {how}"))
    if template is not None and template.theme not in client.interests:
        found.append(
            _flag("interest", gid, f"theme {template.theme} of group {gid} is not among the interests of client {cid}")
        )
    if template is not None and template.audience not in ("all", *client.audiences):
        found.append(
            _flag("audience", gid, f"group {gid} is for audience {template.audience}, which client {cid} is not in")
        )
    return found


def _client_week(ctx: _Context) -> list[Violation]:
    """H7 across the week: no more groups than a client allows, none at the same time."""
    joined: dict[str, list[_Session]] = defaultdict(list)
    for session in ctx.sessions:
        for client in ctx.participants(session.group):
            joined[client.id].append(session)
    found = []
    for cid in sorted(joined):
        sessions, allowed = joined[cid], ctx.clients[cid].max_groups_per_week
        if len(sessions) > allowed:
            found.append(
                _flag(
                    "groups_per_week",
                    None,
                    f"client {cid} is in {_count(len(sessions), 'group')} "
                    f"({_names(s.group.id for s in sessions)}); at most {allowed}",
                )
            )
        ordered = sorted(sessions, key=lambda s: (s.group.day, s.start, s.group.id))
        for a, b in combinations(ordered, 2):
            if a.overlaps(b):
                found.append(
                    _flag(
                        "client_one_session_at_a_time",
                        a.group.id,
                        f"client {cid} is in groups {a.group.id} ({a.when()}) and "
                        f"{b.group.id} ({b.when()}) at overlapping times",
                    )
                )
    return found


SERVICE_CAP_MONTHS = 18
"""The handbook's longest service period, from its first decision's first day."""


def _new_places(ctx: _Context) -> list[Violation]:
    """H7 for each client newly placed: not in a group they declined, not in a closed group past
    its closing session, and with a decision in force on one of the group's sessions when any
    decision is on record."""
    first_seat = _first_seat_day(ctx.problem)
    found = []
    for group in ctx.plan.groups:
        gid, newcomers = group.id, ctx.newcomers(group)
        term = _own_term(ctx.problem, group)
        if not newcomers or term is None:
            continue
        found += _closed(ctx, group, term, newcomers)
        held = _held_sessions(ctx.problem, term)
        for client in newcomers:
            if any(d.group == gid for d in client.declined):
                found.append(
                    _flag("declined_not_offered", gid, f"client {client.id} declined group {gid} but is placed in it")
                )
            if client.decisions and not _in_force_on_a_session(client, held):
                found.append(
                    _flag(
                        "decision_in_force",
                        gid,
                        f"client {client.id} has no decision in force on any session of group {gid} "
                        f"({group.day}) from {first_seat} to its last on {term.last}",
                    )
                )
    return found


def _closed(ctx: _Context, group: Group, term: _Term, newcomers: list[Client]) -> list[Violation]:
    """H7: a closed model's group takes nobody new once its closes_after-th weekly session (from
    its own first date) falls before the first seat day."""
    template = ctx.templates.get(group.template)
    if template is None or template.admission != "closed":
        return []
    closing = term.first + timedelta(weeks=template.closes_after - 1)
    first_seat = _first_seat_day(ctx.problem)
    if closing >= first_seat:
        return []
    return [
        _flag(
            "closed",
            group.id,
            f"client {client.id} joins closed group {group.id}, whose session {template.closes_after} "
            f"was on {closing}, before seats start on {first_seat}",
        )
        for client in newcomers
    ]


def _first_seat_day(problem: Problem) -> date:
    return max(problem.seats_from or problem.term.start, problem.term.start)


def _in_force_on_a_session(client: Client, held: list[date]) -> bool:
    """Whether one of the group's held sessions falls in one of the client's service periods."""
    periods = _service_periods([(d.start, d.end) for d in client.decisions])
    return any(start <= when <= end for when in held for start, end in periods)


def _held_sessions(problem: Problem, term: _Term) -> list[date]:
    """The group's own weekly session dates from the first seat day to its last, less public
    holidays and closures."""
    first = _first_seat_day(problem)
    dates = term.dates()
    closed = set(problem.closures)
    public = holidays.country_holidays("FI", years=sorted({d.year for d in dates}))
    return [d for d in dates if d >= first and d not in closed and d not in public]


def _service_periods(decisions: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Decisions merged where they touch or overlap, each period cut at its 18-month cap."""
    merged: list[tuple[date, date]] = []
    for start, end in sorted(decisions):
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return [(start, min(end, _months_after(start, SERVICE_CAP_MONTHS) - timedelta(days=1))) for start, end in merged]


def _months_after(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day when it has fewer days."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return date(year, month + 1, min(day.day, (following - timedelta(days=1)).day))


# --- H8 timing ----------------------------------------------------------------------


def _check_timing(ctx: _Context) -> list[Violation]:
    """H8: the start is on the grid, the length is the template's, the day has a window, the
    group's own term lies in the season."""
    slot, found = ctx.problem.slot_minutes, []
    for group in ctx.plan.groups:
        found += _group_term(ctx, group)
        gid, session = group.id, _session(group)
        if session is None:
            found.append(_flag("times_readable", gid, f"group {gid} has unreadable times {group.start}-{group.end}"))
            continue
        if session.start % slot:
            found.append(
                _flag("start_on_grid", gid, f"group {gid} starts at {group.start}, off the {slot}-minute grid")
            )
        template = ctx.templates.get(group.template)
        if template is not None and session.length != template.duration_minutes:
            found.append(
                _flag(
                    "template_duration",
                    gid,
                    f"group {gid} lasts {session.length} min but template "
                    f"{template.id} lasts {template.duration_minutes} min",
                )
            )
        days = _window_days(ctx, group)
        if days is not None and group.day not in days:
            whose = "any of its leaders" if group.modality == "remote" else "its room"
            found.append(_flag("day_has_window", gid, f"group {gid} meets on {group.day}, when {whose} has no window"))
    return found


def _window_days(ctx: _Context, group: Group) -> set[str] | None:
    """Days with a window of the group's room (in person or hybrid) or leaders (remote); None if
    unknown."""
    if group.modality != "remote":
        room = ctx.rooms.get(group.room) if group.room is not None else None
        return {w.day for w in room.available} if room is not None else None
    leaders = ctx.leaders(group)
    return {w.day for leader in leaders for w in leader.available} if leaders else None


def _group_term(ctx: _Context, group: Group) -> list[Violation]:
    """H8: the group's own term lies in the season; a new group starts no earlier than the first
    seat day and runs its model's sessions (or to the season's end, when that comes first or the
    model does not say)."""
    term = _own_term(ctx.problem, group)
    if term is None:
        return []
    gid, season_start, season_end = group.id, ctx.problem.term.start, _season_end(ctx.problem)
    found = []
    if group.start_date is not None and group.start_date.weekday() != DAYS.index(group.day):
        found.append(
            _flag(
                "group_term",
                gid,
                f"group {gid} starts on {group.start_date}, a {group.start_date:%A}, but meets on {group.day}",
            )
        )
    first_seat = _first_seat_day(ctx.problem)
    if term.first < season_start:
        found.append(
            _flag("group_term", gid, f"group {gid} starts on {term.first}, before the season starts ({season_start})")
        )
    elif ctx.new(group) and term.first < first_seat:
        found.append(
            _flag(
                "group_term",
                gid,
                f"new group {gid} starts on {term.first}, before seats start on {first_seat}",
            )
        )
    if term.weeks < 1 or term.last > season_end:
        found.append(
            _flag(
                "group_term",
                gid,
                f"group {gid} runs {_count(term.weeks, 'weekly session')} from {term.first}, "
                f"not within the season ending {season_end}",
            )
        )
        return found
    template = ctx.templates.get(group.template)
    if ctx.new(group) and template is not None:
        left = _weeks_left(ctx.problem, term.first)
        due = left if template.sessions is None else min(template.sessions, left)
        if term.weeks != due:
            runs = "the whole season" if template.sessions is None else _count(template.sessions, "session")
            found.append(
                _flag(
                    "group_term",
                    gid,
                    f"new group {gid} runs {_count(term.weeks, 'weekly session')} from {term.first} "
                    f"but should run {due}: model {template.id} runs {runs}, and the season has {left} left",
                )
            )
    return found


# --- H9 pinned groups ---------------------------------------------------------------

_PINNED_FIELDS = ("template", "language", "day", "start", "hub", "room")


def _check_pinned(ctx: _Context) -> list[Violation]:
    """H9: each pinned input group is in the plan unchanged and keeps its participants."""
    planned: dict[str, Group] = {}
    for group in ctx.plan.groups:
        planned.setdefault(group.id, group)
    found: list[Violation] = []
    for pin in ctx.problem.groups:
        if not pin.pinned:
            continue
        kept = planned.get(pin.id)
        if kept is None:
            found.append(_flag("pinned_group_kept", pin.id, f"pinned group {pin.id} is not in the plan"))
        else:
            found += _pinned_changes(pin, kept)
    return found


def _pinned_changes(pin: Group, kept: Group) -> list[Violation]:
    """H9 for one pinned group found in the plan: what changed, who was dropped."""
    found = []
    changed = [
        f"{name} {getattr(pin, name)} -> {getattr(kept, name)}"
        for name in _PINNED_FIELDS
        if getattr(pin, name) != getattr(kept, name)
    ]
    if set(pin.leaders) != set(kept.leaders):
        changed.append(f"leaders {_names(pin.leaders)} -> {_names(kept.leaders)}")
    if changed:
        found.append(_flag("pinned_group_unchanged", pin.id, f"pinned group {pin.id} changed: {'; '.join(changed)}"))
    lost = [cid for cid in _unique(pin.participants) if cid not in kept.participants]
    if lost:
        found.append(
            _flag("pinned_participants_stay", pin.id, f"pinned group {pin.id} lost participant(s) {_names(lost)}")
        )
    return found


# --- H10 every client accounted for -------------------------------------------------


def _check_accounted(ctx: _Context) -> list[Violation]:
    """H10: each client is placed or listed unassigned with a reason, never both, once."""
    placed = {cid for group in ctx.plan.groups for cid in group.participants}
    listed = Counter(entry.client for entry in ctx.plan.unassigned)
    found = []
    for cid in (client.id for client in ctx.problem.clients):
        if cid in placed and cid in listed:
            found.append(
                _flag("unassigned_not_placed", None, f"client {cid} is placed in a group and also listed unassigned")
            )
        elif cid not in placed and cid not in listed:
            found.append(_flag("client_accounted_for", None, f"client {cid} is neither placed nor listed unassigned"))
    for cid, count in listed.items():
        if count > 1:
            found.append(_flag("unassigned_listed_once", None, f"client {cid} is listed unassigned {count} times"))
    for entry in ctx.plan.unassigned:
        if entry.client in ctx.clients and entry.client not in placed and not entry.reasons:
            found.append(_flag("unassigned_has_reason", None, f"unassigned client {entry.client} has no reason"))
    return found


# --- the whole check ----------------------------------------------------------------

_RULE_CHECKS = (
    _check_references,
    _check_language,
    _check_size,
    _check_rooms,
    _check_leaders,
    _check_staff_time,
    _check_clients,
    _check_timing,
    _check_pinned,
    _check_accounted,
)


def _order(violation: Violation) -> tuple[int, bool, str]:
    return int(violation.rule[1:]), violation.group is None, violation.group or ""


def check(problem: Problem, plan: Plan) -> list[Violation]:
    """Every violation of H1–H10, in a stable order (by rule, then group; plan-wide last)."""
    ctx = _Context.of(problem, plan)
    found = [violation for rule_check in _RULE_CHECKS for violation in rule_check(ctx)]
    return sorted(dict.fromkeys(found), key=_order)


def format_report(violations: Sequence[Violation]) -> str:
    """A plain-text report for the command line: a summary line, then one line each
    ending in the rule part's key."""
    if not violations:
        return "The plan meets every hard constraint (H1–H10)."
    rules = Counter(v.rule for v in violations)
    by_rule = sorted(rules.items(), key=lambda item: int(item[0][1:]))
    summary = ", ".join(f"{rule} ×{n}" for rule, n in by_rule)
    noun = "violation" if len(violations) == 1 else "violations"
    lines = [f"{len(violations)} {noun} of the hard constraints ({summary}):"]
    lines += [f"  {violation} [{violation.key}]" for violation in violations]
    return "\n".join(lines)
