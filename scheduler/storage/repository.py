"""Between the contract and the tables: import a problem, export the database as a problem.

Import is idempotent: a record with a known id is updated in place, so importing the
same file twice leaves the database as it was after the first time. Running groups
become group rows, and their participants active enrollments from the term start.

An import writes the seats the document records, as it records them: it is the
county's own account of who sits where (a planning run judges it against every rule),
not a request for a seat, so it is the one writer of seats that does not go through
`scheduler.services.seats` (storage may not call services). It takes the same locks
first (`lock_seat_holders`), so no reservation counts a group's seats while an import
is filling it.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract import ContractError, Problem, parse_problem
from scheduler.contract.errors import Conflict, NotFound
from scheduler.contract.problem import PROBLEM_SCHEMA
from scheduler.storage.groups import store_group
from scheduler.storage.locks import lock_seat_holders
from scheduler.storage.models import (
    AuditEntry,
    ClientRow,
    Closure,
    CounsellorRow,
    EnrollmentRow,
    GroupModelRow,
    GroupRow,
    HubRow,
    OfferRow,
    PlanningSettings,
    RoomRow,
    StaffRow,
    TravelOverride,
)

__all__ = ["export_problem", "held_seats", "import_problem", "problem_data"]


def import_problem(session: Session, problem: Problem, actor: str = "import") -> dict[str, int]:
    """Store every record of the problem (insert or update by id); counts by kind."""
    data = problem.dump()
    session.merge(
        PlanningSettings(
            id=1,
            region=problem.region,
            timezone=problem.timezone,
            term_start=problem.term.start,
            term_weeks=problem.term.weeks,
            slot_minutes=problem.slot_minutes,
            policy=data["policy"],
            offer_reply_days=problem.offers.reply_days,
            offers_accept_at_once=problem.offers.accept_at_once,
            popup_slots=problem.popup_slots,
        )
    )
    for counsellor in data["counsellors"]:
        session.merge(CounsellorRow(**{"name": None, "email": None, **counsellor}))
    for hub in data["hubs"]:
        rooms = hub.pop("rooms", [])
        session.merge(HubRow(**{"address": None, **hub}))
        for room in rooms:
            session.merge(RoomRow(hub_id=hub["id"], **{"name": None, **room}))
    session.flush()
    for member in data["staff"]:
        session.merge(StaffRow(**{"name": None, "email": None, **member}))
    for template in data["templates"]:
        session.merge(GroupModelRow(**{"sessions": None, **template}))
    for client, record in zip(data["clients"], problem.clients, strict=True):
        home = client.pop("home")
        client["waiting_since"] = record.waiting_since
        client["counsellor_id"] = client.pop("counsellor", None)
        for name in ("case_opened", "assessed"):  # dates as dates; left out: none
            client[name] = getattr(record, name)
        session.merge(ClientRow(home_lat=home["lat"], home_lon=home["lon"], **client))
    for day in problem.closures:
        session.merge(Closure(day=day))
    _import_travel(session, problem)
    session.flush()
    for group in problem.groups:
        _import_group(session, problem, group.model_dump())
    counts = {kind: len(data[kind]) for kind in ("hubs", "staff", "templates", "clients", "groups", "counsellors")}
    session.add(AuditEntry(actor=actor, action="import", entity="problem", entity_id=None, detail=counts))
    return counts


def _import_travel(session: Session, problem: Problem) -> None:
    for kind, table in (("hub", problem.travel.hub_minutes), ("client", problem.travel.client_minutes)):
        for source, row in table.items():
            for hub, minutes in row.items():
                session.merge(TravelOverride(kind=kind, source=source, hub_id=hub, minutes=minutes))


def _import_group(session: Session, problem: Problem, group: dict[str, Any]) -> None:
    store_group(
        session,
        dict(
            id=group["id"],
            template_id=group["template"],
            modality=group["modality"],
            hub_id=group["hub"],
            room_id=group["room"],
            language=group["language"],
            day=group["day"],
            start=group["start"],
            end=group["end"],
            leaders=group["leaders"],
            pinned=group["pinned"],
            status="running",
            start_date=group["start_date"],
            sessions=group["sessions"],
            reach=group["reach"],
        ),
    )
    lock_seat_holders(session, group["participants"], [group["id"]])
    active = set(
        session.scalars(
            select(EnrollmentRow.client_id).where(
                EnrollmentRow.group_id == group["id"], EnrollmentRow.status == "active"
            )
        )
    )
    remote = set(group["remote_participants"])
    for client_id in group["participants"]:  # the document's seats as written: see the module's docstring
        if client_id not in active:
            session.add(
                EnrollmentRow(
                    client_id=client_id,
                    group_id=group["id"],
                    from_date=problem.term.start,
                    remote=client_id in remote,
                )
            )


def export_problem(session: Session) -> Problem:
    """The database as a contract problem: running groups with their participants (`held_seats`).

    Stored records that do not make a valid problem (a blank name written before texts were
    checked) are a Conflict naming each record by its id and field, never a crash."""
    data = problem_data(session)
    try:
        return parse_problem(data)
    except ContractError as error:
        listed = "; ".join(f"{_record_path(issue.path, data)}: {issue.message}" for issue in error.issues)
        detail = f"the stored records do not make a valid problem; correct them and plan again: {listed}"
        raise Conflict(detail) from None


def problem_data(session: Session) -> dict[str, Any]:
    """The database as a contract problem's data, not yet checked (`export_problem` checks it); NotFound
    without a planning frame."""
    frame = session.get(PlanningSettings, 1)
    if frame is None:
        raise NotFound("the database holds no planning frame yet: import a problem first")
    rooms: dict[str, list[dict[str, Any]]] = {}
    for room in session.scalars(select(RoomRow).order_by(RoomRow.id)):
        rooms.setdefault(room.hub_id, []).append(
            {
                "id": room.id,
                "name": room.name,
                "capacity": room.capacity,
                "accessible": room.accessible,
                "available": room.available,
            }
        )
    data: dict[str, Any] = {
        "schema": PROBLEM_SCHEMA,
        "region": frame.region,
        "timezone": frame.timezone,
        "term": {"start": frame.term_start.isoformat(), "weeks": frame.term_weeks},
        "slot_minutes": frame.slot_minutes,
        "closures": [c.day.isoformat() for c in session.scalars(select(Closure).order_by(Closure.day))],
        "hubs": [_hub(hub, rooms.get(hub.id, [])) for hub in session.scalars(select(HubRow).order_by(HubRow.id))],
        "staff": [_columns(s) for s in session.scalars(select(StaffRow).order_by(StaffRow.id))],
        "templates": [_columns(t) for t in session.scalars(select(GroupModelRow).order_by(GroupModelRow.id))],
        "clients": [
            _client(c) for c in session.scalars(select(ClientRow).where(ClientRow.in_service).order_by(ClientRow.id))
        ],
        "groups": _groups(session),
        "travel": _travel(session),
        "counsellors": [
            {"id": c.id, "name": c.name, "email": c.email, "lang": c.lang}
            for c in session.scalars(select(CounsellorRow).order_by(CounsellorRow.id))
        ],
        "offers": {"reply_days": frame.offer_reply_days, "accept_at_once": frame.offers_accept_at_once},
        "popup_slots": frame.popup_slots,
        **({"policy": frame.policy} if frame.policy is not None else {}),
    }
    return data


_KINDS = {"hubs": "hubs", "staff": "staff", "templates": "group-models", "clients": "clients", "groups": "groups"}


def _record_path(path: str, data: dict[str, Any]) -> str:
    """`hubs[3].name` as `hubs/lohja-sote.name`: a stored record is known by its id, not its place in a list."""
    match = re.match(r"^(hubs|staff|templates|clients|groups)\[(\d+)\]\.?(.*)$", path)
    if match is None:
        return path
    kind, index, rest = match.group(1), int(match.group(2)), match.group(3)
    where = f"{_KINDS[kind]}/{data[kind][index]['id']}"
    return f"{where}.{rest}" if rest else where


def _columns(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


def _hub(hub: HubRow, rooms: list[dict[str, Any]]) -> dict[str, Any]:
    return {**_columns(hub), "rooms": rooms}


def _client(row: ClientRow) -> dict[str, Any]:
    """A stored client as the contract has them: never their alias (only their counsellor and leaders see it)."""
    data = _columns(row)
    data["waiting_since"] = row.waiting_since.isoformat()
    for name in ("case_opened", "assessed"):
        data[name] = data[name].isoformat() if data[name] is not None else None
    data["counsellor"] = data.pop("counsellor_id")
    for name in ("in_service", "alias"):
        del data[name]
    data["home"] = {"lat": data.pop("home_lat"), "lon": data.pop("home_lon")}
    return data


def held_seats(session: Session) -> set[tuple[str, str]]:
    """Who counts as a participant of which group: active seats, and offers still waiting for an answer."""
    return set(_held_seats(session))


def _held_seats(session: Session) -> dict[tuple[str, str], bool]:
    """`held_seats`, each with whether it is taken from home (a hybrid group's remote seat)."""
    seats = session.execute(
        select(EnrollmentRow.client_id, EnrollmentRow.group_id, EnrollmentRow.remote).where(
            EnrollmentRow.status == "active"
        )
    )
    offers = session.execute(
        select(OfferRow.client_id, OfferRow.group_id, OfferRow.remote).where(OfferRow.status == "pending")
    )
    return {(client, group): remote for client, group, remote in [*seats, *offers]}


def _groups(session: Session) -> list[dict[str, Any]]:
    members: dict[str, list[str]] = {}
    remote: dict[str, list[str]] = {}
    for (client, group), from_home in _held_seats(session).items():
        members.setdefault(group, []).append(client)
        if from_home:
            remote.setdefault(group, []).append(client)
    groups = []
    for row in session.scalars(select(GroupRow).where(GroupRow.status == "running").order_by(GroupRow.id)):
        groups.append(
            {
                "id": row.id,
                "template": row.template_id,
                "modality": row.modality,
                "hub": row.hub_id,
                "room": row.room_id,
                "language": row.language,
                "day": row.day,
                "start": row.start,
                "end": row.end,
                "leaders": row.leaders,
                "participants": sorted(members.get(row.id, [])),
                "remote_participants": sorted(remote.get(row.id, [])) if row.modality == "hybrid" else [],
                "new": False,
                "pinned": row.pinned,
                "start_date": row.start_date,
                "sessions": row.sessions,
                "reach": row.reach,
            }
        )
    return groups


def _travel(session: Session) -> dict[str, dict[str, dict[str, int]]]:
    travel: dict[str, dict[str, dict[str, int]]] = {"hub_minutes": {}, "client_minutes": {}}
    for row in session.scalars(select(TravelOverride)):
        travel[f"{row.kind}_minutes"].setdefault(row.source, {})[row.hub_id] = row.minutes
    return travel
