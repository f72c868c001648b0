"""Why a client was not placed: the rule part that excluded every candidate group, or the leaders.

Each code but `decision`, `leaders` and `capacity` is the key of a client-fit rule part
(`REASON_CODES`, `scheduler.contract.rules`), the same key the checker reports a breach
under; `decision` stands for `decision_in_force`. Codes (also in the README):

| code | meaning |
|---|---|
| `decision` | decisions are on record, but none is in force on a session this term (`solver.decisions`) |
| `interest` | no group model has a theme on the client's list |
| `audience` | the group models on their themes are for other audiences |
| `language` | none of those runs in a language the client speaks |
| `remote` | only remote groups fit and the client cannot take part remotely |
| `travel` | no hub with a group model for them is within their travel limit |
| `accessibility` | the reachable hubs have no accessible room and they need one |
| `availability` | no session time fits the client's windows together with a room |
| `closed` | the only groups that fit them are closed groups past their closing session (`closed`) |
| `leaders` | sessions fit the client and a room, but no leader team can be formed for any of them |
| `capacity` | suitable groups could run (a leader team exists), but none opened with a free seat for them |

`leaders` names the nearest miss: the session times the client fits are tried against
the staff one condition at a time, in the order the candidates filter them (speaks the
language, lives within the county's reach of the hub, free for the whole session,
qualified, the team has the skills), and the detail says how far the best of them got:
"no Swedish-speaking qualified leader is free on Tuesday–Thursday within 75 min of
Raasepori". A client who had options whose leaders all went to other groups is `capacity`.

Every reason carries `args`: the detail's parts as codes and numbers (`case` names the
wording), so the pages can say it in Finnish, Swedish or English (`scheduler.i18n.reasons`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from scheduler.contract import DAYS, Client, Problem, Reason, Template, Window, minutes
from scheduler.contract.plan import ReasonArg
from solver.availability import Availability
from solver.candidates import Instance, build_instance

__all__ = ["Explainer", "explain_clients", "reasons_for"]

_DAY_NAMES = dict(
    zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)
_LANGUAGE_NAMES = {"fi": "Finnish", "sv": "Swedish", "en": "English", "se": "Northern Sami", "ru": "Russian"}
_MISSES = ("language", "reach", "availability", "qualified", "skills")
"""The leader conditions in the order they are tried; a later one is a nearer miss."""


@dataclass(frozen=True)
class _Session:
    """A time the client could meet for a template: its language, hub (None: remote) and minutes."""

    template_id: str
    language: str
    hub: str | None
    day: str
    start: int
    end: int
    template: Template = field(compare=False, hash=False)


def reasons_for(inst: Instance, c: int, options: list[str]) -> list[Reason]:
    """Reasons a client is unplaced; `options` names the candidate groups they could have joined."""
    return Explainer(inst)(c, options)


class Explainer:
    """Explains the unplaced clients of one instance (the staff masks are built once)."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.problem = inst.problem
        self.reach = inst.problem.policy.leader_reach_minutes
        self.staff_avail = Availability([s.available for s in inst.staff])
        self._speakers: dict[str, int] = {}
        self._near: dict[str, int] = {}
        self.qualified = _bits(i for i, s in enumerate(inst.staff) if s.qualified)
        self.hub_names = {h.id: h.name for h in inst.problem.hubs}

    def __call__(self, c: int, options: list[str]) -> list[Reason]:
        limit = self.inst.decisions.get(c)
        if limit is not None and limit.reason is not None:  # decision_in_force
            return [limit.reason]
        shut = self.inst.closed_out.get(c)
        if shut and not options:  # closed: only closed groups fit them
            return [
                _reason(
                    code="closed",
                    detail=f"the groups that fit them ({', '.join(shut[:3])}) take no joiners after their"
                    " closing session",
                    groups=shut[:3],
                    count=len(shut),
                )
            ]
        if options:
            shown = ", ".join(options[:3]) + (f" and {len(options) - 3} more" if len(options) > 3 else "")
            return [
                _reason(
                    code="capacity",
                    detail=f"{len(options)} suitable group options ({shown}), none opened with a free seat for them",
                    case="options",
                    count=len(options),
                    options=options[:3],
                )
            ]
        client = self.inst.clients[c]
        # a pop-up is not a seat (`popup_has_no_roster`): only the rostered models can place a client
        templates = [t for t in self.problem.templates if t.theme in client.interests and not t.popup]
        if not templates:
            return [
                _reason(
                    code="interest",
                    detail=f"no group model on their interests ({', '.join(client.interests) or 'none given'})",
                    interests=list(client.interests),
                )
            ]
        fitting = [t for t in templates if t.audience == "all" or t.audience in client.audiences]
        if not fitting:
            audiences = sorted({t.audience for t in templates})
            return [
                _reason(
                    code="audience",
                    detail=f"the group models on their interests are for other audiences ({', '.join(audiences)})",
                    audiences=audiences,
                )
            ]
        spoken = [t for t in fitting if set(t.languages) & set(client.languages)]
        if not spoken:
            offered = sorted({lang for t in fitting for lang in t.languages})
            return [
                _reason(
                    code="language",
                    detail=f"groups on their interests run in {', '.join(offered)};"
                    f" they speak {', '.join(client.languages)}",
                    offered=offered,
                    spoken=list(client.languages),
                )
            ]
        reasons: list[Reason] = []
        sessions: set[_Session] = set()
        remote = [t for t in spoken if t.modality == "remote" or (t.modality == "hybrid" and client.remote_ok)]
        in_person = [t for t in spoken if t.modality != "remote"]
        for found in (
            self._remote_sessions(client, remote) if remote else set(),
            self._in_person_sessions(client, in_person) if in_person else set(),
        ):
            if isinstance(found, Reason):
                reasons.append(found)
            else:
                sessions |= found
        if sessions:
            leaders = self._leaders(sessions)
            if leaders is None:
                themes = _themes(list({s.template.id: s.template for s in sessions}.values()))
                return [
                    _reason(
                        code="capacity",
                        detail=f"too few other clients for {_names([s.template for s in sessions])}"
                        " at the times they can come (a leader team could lead it)",
                        case="few_clients",
                        themes=themes,
                    )
                ]
            reasons.append(leaders)
        return reasons or [_reason(code="capacity", detail="no group could open for them", case="none")]

    # --- the client's own fit: the sessions a room (or, remotely, their week) allows ---------------------------------

    def _remote_sessions(self, client: Client, remote: list[Template]) -> Reason | set[_Session]:
        if not client.remote_ok:
            return _reason(
                code="remote",
                detail=f"{_names(remote)} runs remotely and they cannot take part remotely",
                themes=_themes(remote),
            )
        found = {
            _Session(t.id, lang, None, day, start, end, t)
            for t in remote
            for lang in _shared(t, client)
            for day, start, end in _times(self.problem, client, t, client.available)
        }
        if not found:
            return _reason(
                code="availability",
                detail=f"they have no time free long enough for {_names(remote)}",
                case="remote",
                themes=_themes(remote),
            )
        return found

    def _in_person_sessions(self, client: Client, templates: list[Template]) -> Reason | set[_Session]:
        inst = self.inst
        hubs = self.problem.hubs
        if not hubs:
            return _reason(code="travel", detail="there are no hubs", case="no_hubs")
        near = [h for h in hubs if inst.travel.client(client, h.id) <= client.max_travel_minutes]
        if not near:
            nearest = min(hubs, key=lambda h: (inst.travel.client(client, h.id), h.id))
            minutes_away = inst.travel.client(client, nearest.id)
            return _reason(
                code="travel",
                detail=f"no hub within {client.max_travel_minutes} min by {client.travel_mode}"
                f" (nearest: {nearest.name}, {minutes_away} min)",
                limit=client.max_travel_minutes,
                mode=client.travel_mode,
                nearest=nearest.name,
                minutes=minutes_away,
            )
        rooms = [(h, r) for h in near for r in h.rooms if r.accessible or not client.needs_accessible]
        if not rooms:
            places = [h.name for h in near]
            return _reason(
                code="accessibility",
                detail=f"no accessible room at the hubs they reach ({', '.join(places)})",
                places=places,
            )
        found = {
            _Session(t.id, lang, hub.id, day, start, end, t)
            for hub, room in rooms
            for t in templates
            for lang in _shared(t, client)
            for day, start, end in _times(self.problem, client, t, room.available)
        }
        if not found:
            return _reason(
                code="availability",
                detail=f"no room at the hubs they reach is free for {_names(templates)} when they can come",
                case="rooms",
                themes=_themes(templates),
            )
        return found

    # --- the leaders: can a team be formed for any of those sessions? -------------------------------------------------

    def _leaders(self, sessions: set[_Session]) -> Reason | None:
        """None if a leader team could lead one of the sessions; else `leaders` with the nearest miss."""
        reached: dict[int, list[_Session]] = {}
        for s in sorted(sessions, key=lambda s: (s.template_id, s.language, s.hub or "", DAYS.index(s.day), s.start)):
            stage = self._miss(s)
            if stage is None:
                return None
            reached.setdefault(stage, []).append(s)
        stage = max(reached)
        return self._leaders_reason(stage, reached[stage])

    def _miss(self, s: _Session) -> int | None:
        """How far a session gets through `_MISSES` (the index of the first condition no one meets), or None."""
        staff = self.inst.staff
        team = self._speaking(s.language)
        if not team:
            return 0
        if s.hub is not None and self.reach is not None:
            team &= self._within_reach(s.hub)
            if not team:
                return 1
        team &= self.staff_avail.covering(s.day, s.start, s.end, s.end - s.start, staff)
        if not team:
            return 2
        leads = team & self.qualified
        if not leads:
            return 3
        members = [staff[i] for i in self.inst.members(team)]
        need = set(s.template.required_skills)
        for i in self.inst.members(leads):
            rest = need - set(staff[i].skills)
            if not rest or any(rest <= set(m.skills) for m in members):
                return None
        return 4

    def _speaking(self, language: str) -> int:
        if language not in self._speakers:
            self._speakers[language] = _bits(i for i, s in enumerate(self.inst.staff) if language in s.languages)
        return self._speakers[language]

    def _within_reach(self, hub: str) -> int:
        if hub not in self._near:
            travel, reach = self.inst.travel, self.reach
            self._near[hub] = _bits(
                i for i, s in enumerate(self.inst.staff) if reach is None or travel.hub(s.base_hub, hub) <= reach
            )
        return self._near[hub]

    def _leaders_reason(self, stage: int, sessions: list[_Session]) -> Reason:
        miss = _MISSES[stage]
        languages = sorted({s.language for s in sessions})
        days = sorted({s.day for s in sessions}, key=DAYS.index)
        hubs = sorted({s.hub for s in sessions if s.hub is not None})
        places = [self.hub_names[h] for h in hubs]
        near = bool(places) and self.reach is not None and miss != "language"
        args: dict[str, ReasonArg] = {"languages": languages}
        spoken = _or(_LANGUAGE_NAMES.get(lang, lang) for lang in languages)
        where = ""
        if near:
            assert self.reach is not None
            args |= {"minutes": self.reach, "places": places}
            where = f" within {self.reach} min of {_or(places)}"
        if miss in ("availability", "qualified", "skills"):
            args["days"] = days
        when = _day_span(days)
        if miss == "language":
            detail = f"no leader speaks {spoken}"
        elif miss == "reach":
            detail = f"no {spoken}-speaking leader lives{where}"
        elif miss == "availability":
            detail = f"no {spoken}-speaking leader{where} is free on {when} when they can come"
        elif miss == "qualified":
            detail = f"no {spoken}-speaking qualified leader is free on {when}{where}"
        else:
            skills = sorted({k for s in sessions for k in s.template.required_skills})
            args["skills"] = skills
            detail = f"no team of {spoken}-speaking leaders free on {when}{where} has the skills {', '.join(skills)}"
        case = f"{miss}_near" if near and miss != "reach" else miss
        return _reason(code="leaders", detail=detail, case=case, **args)


def _reason(*, code: str, detail: str, **args: ReasonArg) -> Reason:
    return Reason(code=code, detail=detail, args=args)


def _bits(indices: Iterable[int]) -> int:
    mask = 0
    for i in indices:
        mask |= 1 << i
    return mask


def _shared(template: Template, client: Client) -> list[str]:
    return [lang for lang in template.languages if lang in client.languages]


def _times(problem: Problem, client: Client, template: Template, windows: list[Window]) -> list[tuple[str, int, int]]:
    """Session times on the slot grid within a client window and a resource window of the same day."""
    found: list[tuple[str, int, int]] = []
    slot, length = problem.slot_minutes, template.duration_minutes
    for cw in client.available:
        for rw in windows:
            if rw.day != cw.day:
                continue
            first = -(-max(minutes(cw.start), minutes(rw.start)) // slot) * slot
            end = min(minutes(cw.end), minutes(rw.end))
            found += [(cw.day, start, start + length) for start in range(first, end - length + 1, slot)]
    return found


def _names(templates: list[Template]) -> str:
    return ", ".join(sorted({t.name.en or t.name.fi for t in templates}))


def _themes(templates: list[Template]) -> list[str]:
    return sorted({t.theme for t in templates})


def _or(words: Iterable[str]) -> str:
    items = list(words)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _day_span(days: list[str]) -> str:
    """Weekdays in English: a run of three or more as "Tuesday–Thursday", else listed."""
    index = [DAYS.index(d) for d in days]
    if len(index) >= 3 and index == list(range(index[0], index[0] + len(index))):
        return f"{_DAY_NAMES[days[0]]}–{_DAY_NAMES[days[-1]]}"
    names = [_DAY_NAMES[d] for d in days]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def explain_clients(problem: Problem, clients: Iterable[str]) -> dict[str, list[Reason]]:
    """Why each named client could not be placed in a new group of the problem (its input groups aside).

    Cheap: only the input groups' candidates are built (`build_instance(new_groups=False)`)."""
    inst = build_instance(problem, new_groups=False)
    explain = Explainer(inst)
    return {cid: explain(inst.client_index[cid], []) for cid in clients if cid in inst.client_index}
