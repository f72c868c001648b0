"""A problem of several counties (a national one) is planned county by county.

When every hub, staff member and client names its `county` and there are several, a group's
hub, leaders and participants are all of one county (rule `same_county`): each county plans
its own residents' groups with its own staff. So the counties are independent by the rules,
and `solver.split` makes each one a part without building a single candidate of the whole
(which at 20 000 clients would take minutes and gigabytes); `solve` of such a problem plans
the parts one after another (`solve_split`). Each county part keeps its share of the week's
pop-up slots (by its clients, largest remainder) and places its own pop-ups, so `merge` places
none across a border.
"""

from __future__ import annotations

from scheduler.contract import Plan, Problem, Travel

__all__ = ["counties", "county_group_ids", "county_problems", "travel_rows"]


def counties(problem: Problem) -> list[str]:
    """The problem's counties, sorted; empty when it names none (the contract has them all or none)."""
    return sorted({hub.county for hub in problem.hubs if hub.county})


def _shares(total: int, weights: list[int]) -> list[int]:
    """`total` split by the weights, largest remainder first (ties to the earlier)."""
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def county_problems(problem: Problem) -> list[tuple[str, Problem]]:
    """Each county's problem: its hubs, staff, clients, the input groups it holds, its travel rows and its
    share of the pop-up slots; templates, term, closures and policy as the whole's."""
    names = counties(problem)
    sizes = [sum(1 for client in problem.clients if client.county == name) for name in names]
    popups = _shares(problem.popup_slots, sizes)
    hub_county = {hub.id: hub.county for hub in problem.hubs}
    staff_county = {member.id: member.county for member in problem.staff}
    found = []
    for name, slots in zip(names, popups, strict=True):
        hubs = [hub for hub in problem.hubs if hub.county == name]
        clients = [client for client in problem.clients if client.county == name]
        hub_ids, client_ids = {hub.id for hub in hubs}, {client.id for client in clients}
        groups = [
            group
            for group in problem.groups
            if (hub_county.get(group.hub) if group.hub else _leaders_county(group.leaders, staff_county)) == name
        ]
        travel = Travel(
            hub_minutes=travel_rows(problem.travel.hub_minutes, hub_ids, hub_ids),
            client_minutes=travel_rows(problem.travel.client_minutes, client_ids, hub_ids),
        )
        counsellors = {client.counsellor for client in clients}
        found.append(
            (
                name,
                problem.model_copy(
                    update={
                        "hubs": hubs,
                        "staff": [member for member in problem.staff if member.county == name],
                        "clients": clients,
                        "groups": groups,
                        "travel": travel,
                        "counsellors": [c for c in problem.counsellors if c.id in counsellors],
                        "popup_slots": slots,
                    }
                ),
            )
        )
    return found


def travel_rows(table: dict[str, dict[str, int]], keys: set[str], hubs: set[str]) -> dict[str, dict[str, int]]:
    """The travel table's rows of these keys, each with the entries of these hubs."""
    rows = {key: {hub: m for hub, m in row.items() if hub in hubs} for key, row in table.items() if key in keys}
    return {key: row for key, row in rows.items() if row}


def county_group_ids(problem: Problem, plans: list[Plan]) -> list[Plan]:
    """The county parts' plans with each new group's id led by its county (`lap-g-...`): a remote group's
    id names no place, so two counties could otherwise both open `g-<model>-remote-fi-wed-1000`."""
    hub_county = {hub.id: hub.county for hub in problem.hubs}
    staff_county = {member.id: member.county for member in problem.staff}
    renamed = []
    for plan in plans:
        groups = []
        for group in plan.groups:
            county = hub_county.get(group.hub) if group.hub else _leaders_county(group.leaders, staff_county)
            if group.new and county and not group.id.startswith(f"{county}-"):
                group = group.model_copy(update={"id": f"{county}-{group.id}"})
            groups.append(group)
        renamed.append(plan.model_copy(update={"groups": groups}))
    return renamed


def _leaders_county(leaders: list[str], staff_county: dict[str, str | None]) -> str | None:
    """A remote group's county: its first known leader's."""
    return next((staff_county[s] for s in leaders if staff_county.get(s)), None)
