"""What a change must respect: the records it names exist, and nothing still relies on what it removes.

A body naming a record that does not exist is a fault of the request (422 on that field).
A change that stored records forbid is a conflict (409) whose sentence says what to do
first. Nothing that depends on a record is deleted with it — no seat, no group, no room —
except what means nothing without it (travel times to a hub, a staff member's tokens),
which the audit entry of the deletion lists.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from pydantic import BaseModel
from sqlalchemy import ColumnElement, CursorResult, Delete, Select, delete, func, or_, select
from sqlalchemy.orm import Session

from api.deps import Caller, clock_of
from api.errors import field_errors
from api.routers.resources_crud import Problems
from api.routers.resources_out import client_out
from api.routers.resources_schemas import ClientFields, EnrollmentFields, GroupFields, RoomFields, StaffFields
from scheduler.contract import DAYS
from scheduler.contract.errors import Forbidden
from scheduler.contract.term import group_weeks, term_end
from scheduler.services.erasure import erase_client
from scheduler.services.leader_rules import check_group
from scheduler.services.ownership import check_handles, visible
from scheduler.services.seats import UnknownClient, take_seat
from scheduler.services.service_periods import sync_seat_ends
from scheduler.storage.groups import TRACKED, mark_changed
from scheduler.storage.models import (
    ApiToken,
    ClientRow,
    CounsellorRow,
    EnrollmentRow,
    GroupModelRow,
    GroupRow,
    HubRow,
    PlanningSettings,
    RoomRow,
    StaffRow,
    TravelOverride,
    WaitlistEntry,
)

__all__ = [
    "client_admit",
    "client_blockers",
    "client_changed",
    "client_conflicts",
    "client_erase",
    "client_guard",
    "client_present",
    "client_references",
    "client_scope",
    "client_tidy",
    "counsellor_blockers",
    "counsellor_tidy",
    "enrollment_guard",
    "enrollment_references",
    "enrollment_scope",
    "enrollment_write",
    "group_blockers",
    "group_changed",
    "group_conflicts",
    "group_references",
    "hub_blockers",
    "hub_tidy",
    "room_blockers",
    "room_conflicts",
    "room_references",
    "staff_blockers",
    "staff_references",
    "staff_tidy",
    "template_blockers",
]


def _ids(db: Session, query: Select[Any]) -> list[str]:
    return [str(key) for key in db.scalars(query)]


def _listing(ids: list[str]) -> str:
    """Ids for a sentence: `'g1', 'g2' and 3 more`."""
    shown = ", ".join(f"'{key}'" for key in ids[:5])
    return shown + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")


def _unknown(db: Session, table: type[Any], key: str, field: str, noun: str) -> Problems:
    return [((field,), f"no {noun} '{key}'")] if db.get(table, key) is None else []


def _count(db: Session, query: Select[Any]) -> int:
    return db.scalar(select(func.count()).select_from(query.subquery())) or 0


def _removed(db: Session, statement: Delete) -> int:
    """Delete, and say how many rows went."""
    return cast(CursorResult[Any], db.execute(statement)).rowcount


def room_references(db: Session, room: RoomFields) -> Problems:
    return _unknown(db, HubRow, room.hub_id, "hub_id", "hub")


def staff_references(db: Session, member: StaffFields) -> Problems:
    return _unknown(db, HubRow, member.base_hub, "base_hub", "hub")


def group_references(db: Session, group: GroupFields) -> Problems:
    """The group model, the place and the leaders a group names exist and fit together."""
    leaders = [
        (("leaders", i), f"no staff member '{key}'")
        for i, key in enumerate(group.leaders)
        if db.get(StaffRow, key) is None
    ]
    return _model_problems(db, group) + _place_problems(db, group) + _term_problems(db, group) + leaders


def _term_problems(db: Session, group: GroupFields) -> Problems:
    """A group's own term starts on its day, within the season, and ends by the season's end."""
    frame = db.get(PlanningSettings, 1)
    if frame is None or (group.start_date is None and group.sessions is None):
        return []
    first, weeks = group_weeks(group.day, frame.term_start, frame.term_weeks, group.start_date, group.sessions)
    season_end = term_end(frame.term_start, frame.term_weeks)
    if first.weekday() != DAYS.index(group.day):
        return [(("start_date",), f"{first} is not a {group.day}, the day the group meets")]
    if not frame.term_start <= first <= season_end:
        return [(("start_date",), f"{first} is outside the season ({frame.term_start} to {season_end})")]
    last = first + timedelta(weeks=weeks - 1)
    if last > season_end:
        return [
            (
                ("sessions",),
                f"{weeks} weekly sessions from {first} end on {last}, after the season's end ({season_end})",
            )
        ]
    return []


def _model_problems(db: Session, group: GroupFields) -> Problems:
    model = db.get(GroupModelRow, group.template_id)
    if model is None:
        return [(("template_id",), f"no group model '{group.template_id}'")]
    if group.modality != model.modality:
        return [(("modality",), f"group model '{model.id}' is {model.modality}")]
    if group.language not in model.languages:
        offered = ", ".join(model.languages)
        return [(("language",), f"group model '{model.id}' runs in {offered}, not '{group.language}'")]
    return []


def _place_problems(db: Session, group: GroupFields) -> Problems:
    """An in-person group meets in a room of its hub; a remote group has neither."""
    if group.modality == "remote":
        return [
            ((field,), "a remote group meets in no hub and no room: leave it empty (null)")
            for field in ("hub_id", "room_id")
            if getattr(group, field) is not None
        ]
    if group.hub_id is None or group.room_id is None:
        return [
            ((field,), f"an in-person group needs a {field.removesuffix('_id')}")
            for field in ("hub_id", "room_id")
            if getattr(group, field) is None
        ]
    room = db.get(RoomRow, group.room_id)
    problems = _unknown(db, HubRow, group.hub_id, "hub_id", "hub")
    if room is None:
        problems.append((("room_id",), f"no room '{group.room_id}'"))
    elif room.hub_id != group.hub_id:
        problems.append((("room_id",), f"room '{room.id}' is in hub '{room.hub_id}', not in '{group.hub_id}'"))
    return problems


def client_references(db: Session, client: ClientFields) -> Problems:
    """The responsible counsellor a client names exists."""
    if client.counsellor_id is None:
        return []
    return _unknown(db, CounsellorRow, client.counsellor_id, "counsellor_id", "counsellor")


def client_scope(caller: Caller) -> list[ColumnElement[bool]]:
    """A counsellor's lists hold their own clients and the shared queue (`scheduler.services.ownership`)."""
    return [visible(caller.handler)]


def client_guard(db: Session, caller: Caller, client: ClientRow) -> None:
    """Another counsellor's client is refused (403)."""
    check_handles(db, caller.handler, client.id)


def client_admit(db: Session, caller: Caller, client: ClientFields, row: ClientRow | None) -> ClientFields:
    """A counsellor's new client is theirs unless they say otherwise, and they never give a client to another
    counsellor: only a coordinator reassigns. A counsellor may take a client of the shared queue as theirs."""
    if caller.handler.everyone:
        return client
    mine = caller.counsellor_id
    if row is None and client.counsellor_id is None:
        return client.model_copy(update={"counsellor_id": mine})
    before = row.counsellor_id if row is not None else None
    if client.counsellor_id != before and client.counsellor_id != mine:
        raise Forbidden(
            f"counsellor_id: a counsellor may not give a client to counsellor '{client.counsellor_id}' "
            f"(nor back to the shared queue); a coordinator reassigns clients"
        )
    return client


def client_present(db: Session, caller: Caller, client: ClientRow, out: type[BaseModel]) -> BaseModel:
    """The client with their service dates today; the alias only for their own counsellor."""
    return client_out(client, caller.handler, clock_of(db).today())


def client_changed(db: Session, client: ClientRow, fields: set[str]) -> None:
    """New decisions move the end of the client's active seats with their service period."""
    if "decisions" in fields:
        sync_seat_ends(db, client)


def enrollment_scope(caller: Caller) -> list[ColumnElement[bool]]:
    """A counsellor's lists hold the seats of the clients they handle."""
    return [EnrollmentRow.client_id.in_(select(ClientRow.id).where(visible(caller.handler)))]


def enrollment_guard(db: Session, caller: Caller, seat: EnrollmentRow) -> None:
    """The seat of another counsellor's client is refused (403)."""
    check_handles(db, caller.handler, seat.client_id)


def enrollment_references(db: Session, seat: EnrollmentFields) -> Problems:
    """The client and the group exist; an active seat needs a client in service and a running group."""
    client, group = db.get(ClientRow, seat.client_id), db.get(GroupRow, seat.group_id)
    problems: Problems = []
    if client is None:
        problems.append((("client_id",), f"no client '{seat.client_id}'"))
    elif seat.status == "active" and not client.in_service:
        problems.append((("client_id",), f"client '{client.id}' has left the service (in_service is false)"))
    if group is None:
        problems.append((("group_id",), f"no group '{seat.group_id}'"))
    elif seat.status == "active" and group.status != "running":
        problems.append((("group_id",), f"group '{group.id}' is {group.status}: an active seat needs a running group"))
    return problems


def room_conflicts(db: Session, room: RoomFields, row: RoomRow | None) -> str | None:
    """A room moves to another hub only when no running group meets in it."""
    if row is None or room.hub_id == row.hub_id:
        return None
    groups = _ids(db, select(GroupRow.id).where(GroupRow.room_id == row.id, GroupRow.status == "running"))
    return (
        (
            f"groups {_listing(groups)} meet in room '{row.id}' at hub '{row.hub_id}': "
            "give them another room before moving this one"
        )
        if groups
        else None
    )


def client_conflicts(db: Session, client: ClientFields, row: ClientRow | None) -> str | None:
    """A client leaves the service only once their seats have ended."""
    if row is None or client.in_service or not row.in_service:
        return None
    groups = _ids(
        db, select(EnrollmentRow.group_id).where(EnrollmentRow.client_id == row.id, EnrollmentRow.status == "active")
    )
    return (
        (
            f"client '{row.id}' still holds seats in groups {_listing(groups)}: end those seats "
            "(status 'completed' or 'interrupted') before the client leaves the service"
        )
        if groups
        else None
    )


def group_conflicts(db: Session, group: GroupFields, row: GroupRow | None) -> str | None:
    """A running group keeps the leader rule and its leaders' time (a 422 naming `leaders` and the rule:
    `scheduler.services.leader_rules`); a group closes only once its seats have ended."""
    check_group(db, row.id if row is not None else getattr(group, "id", None), group, row)
    if row is None or group.status == "running" or row.status != "running":
        return None
    active = _count(
        db, select(EnrollmentRow.id).where(EnrollmentRow.group_id == row.id, EnrollmentRow.status == "active")
    )
    return (
        (
            f"group '{row.id}' still has {active} active seats: end them (status 'completed' or "
            "'interrupted') before closing the group"
        )
        if active
        else None
    )


def enrollment_write(db: Session, seat: EnrollmentFields, row: EnrollmentRow | None) -> EnrollmentRow:
    """A seat is made or changed as a reservation makes one: under the client's and the group's locks,
    with at most one active seat of a client in a group, a free seat and every rule the planner applies."""
    try:
        made = take_seat(
            db,
            seat.client_id,
            seat.group_id,
            clock_of(db).today(),
            from_date=seat.from_date,
            to_date=seat.to_date,
            status=seat.status,
            seat=row,
        )
    except UnknownClient as unknown:  # deleted since the body was checked
        raise field_errors("body", [(("client_id",), unknown.detail)]) from unknown
    made.end_reason = seat.end_reason or ("completed" if seat.status == "completed" else None)
    made.next_step = seat.next_step
    return made


def hub_blockers(db: Session, hub: HubRow) -> str | None:
    """A hub goes only when no room, no staff member and no group is there."""
    found = [
        (label, _ids(db, query))
        for label, query in (
            ("rooms", select(RoomRow.id).where(RoomRow.hub_id == hub.id)),
            ("staff based there", select(StaffRow.id).where(StaffRow.base_hub == hub.id)),
            ("groups", select(GroupRow.id).where(GroupRow.hub_id == hub.id)),
        )
    ]
    held = "; ".join(f"{label} {_listing(ids)}" for label, ids in found if ids)
    return f"hub '{hub.id}' still has {held}: move or delete them first" if held else None


def room_blockers(db: Session, room: RoomRow) -> str | None:
    groups = _ids(db, select(GroupRow.id).where(GroupRow.room_id == room.id))
    return (
        (f"groups {_listing(groups)} meet in room '{room.id}': give them another room or delete them first")
        if groups
        else None
    )


def staff_blockers(db: Session, member: StaffRow) -> str | None:
    """A staff member goes only when they lead no group, running or past."""
    groups = [row.id for row in db.scalars(select(GroupRow).order_by(GroupRow.id)) if member.id in row.leaders]
    return (
        (
            f"staff member '{member.id}' leads groups {_listing(groups)}: give those groups other leaders "
            "or delete them first"
        )
        if groups
        else None
    )


def template_blockers(db: Session, model: GroupModelRow) -> str | None:
    groups = _ids(db, select(GroupRow.id).where(GroupRow.template_id == model.id))
    return (
        (f"groups {_listing(groups)} run group model '{model.id}': delete them or give them another model first")
        if groups
        else None
    )


def _history(db: Session, seat_column: Any, wait_column: Any, key: str) -> tuple[int, int]:
    """Seats and waiting-list places on record for a client or a group."""
    seats = _count(db, select(EnrollmentRow.id).where(seat_column == key))
    return seats, _count(db, select(WaitlistEntry.id).where(wait_column == key))


def client_blockers(db: Session, client: ClientRow) -> str | None:
    """A client with seats or waiting-list places on record keeps their history."""
    seats, waits = _history(db, EnrollmentRow.client_id, WaitlistEntry.client_id, client.id)
    return (
        (
            f"client '{client.id}' has {seats} seats and {waits} waiting-list places on record: set in_service "
            f"to false instead, or erase the client and every trace of them with DELETE /clients/{client.id}?erase=true"
        )
        if seats or waits
        else None
    )


def group_blockers(db: Session, group: GroupRow) -> str | None:
    """A group with seats or a waiting list on record keeps its history."""
    seats, waits = _history(db, EnrollmentRow.group_id, WaitlistEntry.group_id, group.id)
    return (
        (
            f"group '{group.id}' has {seats} seats and {waits} waiting-list places on record: set its status "
            "to 'closed' instead (after ending its active seats), or delete the seats first"
        )
        if seats or waits
        else None
    )


def counsellor_blockers(db: Session, counsellor: CounsellorRow) -> str | None:
    """A counsellor goes only once none of their clients is left to them."""
    clients = _ids(db, select(ClientRow.id).where(ClientRow.counsellor_id == counsellor.id).order_by(ClientRow.id))
    return (
        (
            f"counsellor '{counsellor.id}' is the responsible counsellor of {len(clients)} clients "
            f"({_listing(clients)}): reassign them to another counsellor (PATCH /clients/ID with counsellor_id) "
            "or to the shared queue (counsellor_id null) first"
        )
        if clients
        else None
    )


def counsellor_tidy(db: Session, counsellor: CounsellorRow) -> dict[str, Any]:
    """The counsellor's bearer tokens go with them."""
    return {"tokens_removed": _removed(db, delete(ApiToken).where(ApiToken.counsellor_id == counsellor.id))}


def hub_tidy(db: Session, hub: HubRow) -> dict[str, Any]:
    """Travel times measured to or from the hub go with it."""
    gone = _removed(
        db,
        delete(TravelOverride).where(
            or_(TravelOverride.hub_id == hub.id, (TravelOverride.kind == "hub") & (TravelOverride.source == hub.id))
        ),
    )
    return {"travel_times_removed": gone}


def client_erase(db: Session, client_id: str, actor: str) -> None:
    """Erasure under data protection law: the client removed everywhere (`scheduler.services.erasure`)."""
    erase_client(db, client_id, actor, clock_of(db).now())


def client_tidy(db: Session, client: ClientRow) -> dict[str, Any]:
    """Travel times measured from the client's home go with them."""
    gone = _removed(
        db, delete(TravelOverride).where(TravelOverride.kind == "client", TravelOverride.source == client.id)
    )
    return {"travel_times_removed": gone}


def staff_tidy(db: Session, member: StaffRow) -> dict[str, Any]:
    """The staff member's bearer tokens go with them: nobody may act as someone who is gone."""
    return {"tokens_removed": _removed(db, delete(ApiToken).where(ApiToken.staff_id == member.id))}


def group_changed(db: Session, group: GroupRow, fields: set[str]) -> None:
    """A change of time, place, leaders or status is one more in the group's calendar sequence."""
    if fields & set(TRACKED):
        mark_changed(group)
