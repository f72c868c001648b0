"""Why a client was not placed: the rule part that excluded every candidate group.

Each code but `capacity` is the key of a client-fit rule part (`REASON_CODES`,
`scheduler.contract.rules`), the same key the checker reports a breach under.
Codes (also in the README):

| code | meaning |
|---|---|
| `interest` | no group model has a theme on the client's list |
| `audience` | the group models on their themes are for other audiences |
| `language` | none of those runs in a language the client speaks |
| `remote` | only remote groups fit and the client cannot take part remotely |
| `travel` | no hub with a group model for them is within their travel limit |
| `accessibility` | the reachable hubs have no accessible room and they need one |
| `availability` | no session time fits the client's windows together with a room or leader |
| `capacity` | suitable groups could exist, but none opened with a free seat for them |
"""

from __future__ import annotations

from scheduler.contract import Client, Problem, Reason, Template, Window, minutes
from solver.candidates import Instance

__all__ = ["reasons_for"]


def reasons_for(inst: Instance, c: int, options: list[str]) -> list[Reason]:
    """Reasons a client is unplaced; `options` names the candidate groups they could have joined."""
    if options:
        shown = ", ".join(options[:3]) + (f" and {len(options) - 3} more" if len(options) > 3 else "")
        return [
            Reason(
                code="capacity",
                detail=f"{len(options)} suitable group options ({shown}), none opened with a free seat for them",
            )
        ]
    client = inst.clients[c]
    templates = [t for t in inst.problem.templates if t.theme in client.interests]
    if not templates:
        return [
            Reason(
                code="interest",
                detail=f"no group model on their interests ({', '.join(client.interests) or 'none given'})",
            )
        ]
    fitting = [t for t in templates if t.audience == "all" or t.audience in client.audiences]
    if not fitting:
        audiences = ", ".join(sorted({t.audience for t in templates}))
        return [
            Reason(code="audience", detail=f"the group models on their interests are for other audiences ({audiences})")
        ]
    spoken = [t for t in fitting if set(t.languages) & set(client.languages)]
    if not spoken:
        offered = ", ".join(sorted({lang for t in fitting for lang in t.languages}))
        return [
            Reason(
                code="language",
                detail=f"groups on their interests run in {offered}; they speak {', '.join(client.languages)}",
            )
        ]
    reasons = _remote_reasons(inst, client, [t for t in spoken if t.modality == "remote"])
    in_person = [t for t in spoken if t.modality == "in_person"]
    if in_person:
        reasons += _in_person_reasons(inst, client, in_person)
    return reasons or [Reason(code="capacity", detail="no group could open for them")]


def _remote_reasons(inst: Instance, client: Client, remote: list[Template]) -> list[Reason]:
    if not remote:
        return []
    if not client.remote_ok:
        return [Reason(code="remote", detail=f"{_names(remote)} runs remotely and they cannot take part remotely")]
    if not _any_time(inst.problem, client, remote, [w for s in inst.staff for w in s.available]):
        return [Reason(code="availability", detail=f"no leader is available for {_names(remote)} when they can come")]
    return [
        Reason(
            code="capacity",
            detail=f"too few other clients or no leader team for {_names(remote)} at the times they can come",
        )
    ]


def _in_person_reasons(inst: Instance, client: Client, templates: list[Template]) -> list[Reason]:
    hubs = inst.problem.hubs
    if not hubs:
        return [Reason(code="travel", detail="there are no hubs")]
    near = [h for h in hubs if inst.travel.client(client, h.id) <= client.max_travel_minutes]
    if not near:
        nearest = min(hubs, key=lambda h: (inst.travel.client(client, h.id), h.id))
        minutes_away = inst.travel.client(client, nearest.id)
        return [
            Reason(
                code="travel",
                detail=(
                    f"no hub within {client.max_travel_minutes} min by {client.travel_mode}"
                    f" (nearest: {nearest.name}, {minutes_away} min)"
                ),
            )
        ]
    rooms = [r for h in near for r in h.rooms if r.accessible or not client.needs_accessible]
    if not rooms:
        return [
            Reason(
                code="accessibility",
                detail=f"no accessible room at the hubs they reach ({', '.join(h.name for h in near)})",
            )
        ]
    if not _any_time(inst.problem, client, templates, [w for r in rooms for w in r.available]):
        return [
            Reason(
                code="availability",
                detail=f"no room at the hubs they reach is free for {_names(templates)} when they can come",
            )
        ]
    return [
        Reason(
            code="capacity",
            detail=f"too few other clients or no leader team for {_names(templates)} at the times they can come",
        )
    ]


def _any_time(problem: Problem, client: Client, templates: list[Template], windows: list[Window]) -> bool:
    """Some client window and resource window share a stretch as long as one of the templates."""
    for cw in client.available:
        for rw in windows:
            if rw.day != cw.day:
                continue
            start = max(minutes(cw.start), minutes(rw.start))
            start = -(-start // problem.slot_minutes) * problem.slot_minutes
            end = min(minutes(cw.end), minutes(rw.end))
            if any(start + t.duration_minutes <= end for t in templates):
                return True
    return False


def _names(templates: list[Template]) -> str:
    return ", ".join(sorted({t.name.en or t.name.fi for t in templates}))
