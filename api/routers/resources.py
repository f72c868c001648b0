"""The records behind the offering, managed by coordinators: hubs, rooms, staff, group models,
counsellors, clients, groups, seats (enrollments) and closures.

Each kind has the same five routes (list, read, create, change, delete; see
`resources_crud`). Coordinators do everything; counsellors read what they need to place a
client — every kind but staff — and create and change their own clients; staff tokens and
the public see none of it, so client ids stay with the people who work with clients. A
counsellor sees their own clients and the shared queue (clients with no counsellor), and
the seats of those; another counsellor's client is a 403.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.routers import resources_filters as filters
from api.routers import resources_out as out
from api.routers import resources_rules as rules
from api.routers import resources_schemas as schemas
from api.routers.resources_crud import Resource, build_router
from api.routers.resources_filters import INT32
from api.routers.resources_types import IsoDate
from scheduler.storage.models import (
    ClientRow,
    Closure,
    CounsellorRow,
    EnrollmentRow,
    GroupModelRow,
    GroupRow,
    HubRow,
    RoomRow,
    StaffRow,
)

__all__ = ["RESOURCES", "router"]

RESOURCES: tuple[Resource, ...] = (
    Resource(
        noun="hub",
        plural="hubs",
        entity="hub",
        path="/hubs",
        table=HubRow,
        fields=schemas.HubFields,
        new=schemas.HubIn,
        patch=schemas.HubPatch,
        out=out.HubOut,
        filters=filters.HubFilter,
        blockers=rules.hub_blockers,
        tidy=rules.hub_tidy,
        feeds=(("create_room", "hub_id"), ("create_staff", "base_hub"), ("create_group", "hub_id")),
    ),
    Resource(
        noun="room",
        plural="rooms",
        entity="room",
        path="/rooms",
        table=RoomRow,
        fields=schemas.RoomFields,
        new=schemas.RoomIn,
        patch=schemas.RoomPatch,
        out=out.RoomOut,
        filters=filters.RoomFilter,
        key_path="/{id:path}",
        references=rules.room_references,
        conflicts=rules.room_conflicts,
        blockers=rules.room_blockers,
    ),
    Resource(
        noun="staff member",
        plural="staff",
        entity="staff",
        path="/staff",
        table=StaffRow,
        fields=schemas.StaffFields,
        new=schemas.StaffIn,
        patch=schemas.StaffPatch,
        out=out.StaffOut,
        filters=filters.StaffFilter,
        readers=("coordinator",),
        references=rules.staff_references,
        blockers=rules.staff_blockers,
        tidy=rules.staff_tidy,
    ),
    Resource(
        noun="group model",
        plural="group models",
        entity="group_model",
        path="/group-models",
        table=GroupModelRow,
        fields=schemas.GroupModelFields,
        new=schemas.GroupModelIn,
        patch=schemas.GroupModelPatch,
        out=out.GroupModelOut,
        filters=filters.GroupModelFilter,
        blockers=rules.template_blockers,
        feeds=(("create_group", "template_id"),),
    ),
    Resource(
        noun="counsellor",
        plural="counsellors",
        entity="counsellor",
        path="/counsellors",
        table=CounsellorRow,
        fields=schemas.CounsellorFields,
        new=schemas.CounsellorIn,
        patch=schemas.CounsellorPatch,
        out=out.CounsellorOut,
        filters=filters.CounsellorFilter,
        blockers=rules.counsellor_blockers,
        tidy=rules.counsellor_tidy,
        feeds=(("create_client", "counsellor_id"),),
    ),
    Resource(
        noun="client",
        plural="clients",
        entity="client",
        path="/clients",
        table=ClientRow,
        fields=schemas.ClientFields,
        new=schemas.ClientIn,
        patch=schemas.ClientPatch,
        out=out.ClientOut,
        filters=filters.ClientFilter,
        writers=("coordinator", "counsellor"),
        scope=rules.client_scope,
        guard=rules.client_guard,
        admit=rules.client_admit,
        present=rules.client_present,
        references=rules.client_references,
        conflicts=rules.client_conflicts,
        blockers=rules.client_blockers,
        tidy=rules.client_tidy,
        changed=rules.client_changed,
        erase=rules.client_erase,
        feeds=(("create_enrollment", "client_id"),),
    ),
    Resource(
        noun="group",
        plural="groups",
        entity="group",
        path="/groups",
        table=GroupRow,
        fields=schemas.GroupFields,
        new=schemas.GroupIn,
        patch=schemas.GroupPatch,
        out=out.GroupOut,
        filters=filters.GroupFilter,
        references=rules.group_references,
        conflicts=rules.group_conflicts,
        blockers=rules.group_blockers,
        changed=rules.group_changed,
        feeds=(("create_enrollment", "group_id"),),
    ),
    Resource(
        noun="enrollment",
        plural="enrollments",
        entity="enrollment",
        path="/enrollments",
        table=EnrollmentRow,
        fields=schemas.EnrollmentFields,
        new=schemas.EnrollmentIn,
        patch=schemas.EnrollmentPatch,
        out=out.EnrollmentOut,
        filters=filters.EnrollmentFilter,
        key=Annotated[int, Path(alias="id", ge=1, le=INT32, description="the seat's number")],
        scope=rules.enrollment_scope,
        guard=rules.enrollment_guard,
        references=rules.enrollment_references,
        write=rules.enrollment_write,
    ),
    Resource(
        noun="closure",
        plural="closures",
        entity="closure",
        path="/closures",
        table=Closure,
        fields=schemas.ClosureFields,
        new=schemas.ClosureIn,
        patch=schemas.ClosurePatch,
        out=out.ClosureOut,
        filters=filters.ClosureFilter,
        key_name="day",
        key_path="/{day}",
        key=Annotated[IsoDate, Path(alias="day", description="the date, YYYY-MM-DD")],
    ),
)
"""Every kind of record, in the order the documentation lists them."""

router = APIRouter()
for _resource in RESOURCES:
    router.include_router(build_router(_resource))
