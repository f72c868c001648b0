"""The five routes of a kind of record, built from its description: list, read, create, change, delete.

Every kind follows the same rules, so they are written once: coordinators change records,
counsellors may read some (and create and change clients); a body naming an unknown record
is a 422 on that field; an id taken, or a record something still relies on, is a 409 saying
what to do; every change is written to the audit log and committed before the answer.

Records tied to a client (clients, seats) are shown only to those who handle the client
(`scheduler.services.ownership`): a kind's `scope` narrows its lists, its `guard` refuses
(403) a record of another counsellor's client, its `admit` checks what a writer may set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from api.deps import Caller, CallerDep, Coordinator, SessionDep, allow, clock_of
from api.errors import ERRORS, field_errors
from api.problems import problem
from api.routers.resources_filters import Filter
from api.routers.resources_schemas import Record
from api.routers.resources_types import Ref
from api.schemas import Page
from scheduler.contract.errors import Conflict, NotFound
from scheduler.storage.models import AuditEntry

__all__ = ["Problems", "Resource", "build_router", "no_conflicts", "no_problems"]

Problems = list[tuple[tuple[str | int, ...], str]]
"""Faults of a request body: the field's path and what is wrong, in a sentence."""
H = TypeVar("H", bound=Callable[..., Any])
READERS = ("coordinator", "counsellor")
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: problem("no record with this id")}
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: problem("the change conflicts with stored records; the detail says what to do")
}


def no_problems(db: Session, record: Any) -> Problems:
    return []


def no_conflicts(db: Session, record: Any, row: Any) -> str | None:
    return None


def no_blockers(db: Session, row: Any) -> str | None:
    return None


def nothing_to_tidy(db: Session, row: Any) -> dict[str, Any] | None:
    return None


def nothing_follows(db: Session, row: Any, fields: set[str]) -> None:
    return None


def everything(caller: Caller) -> list[ColumnElement[bool]]:
    return []


def anyone(db: Session, caller: Caller, row: Any) -> None:
    return None


def as_given(db: Session, caller: Caller, record: Any, row: Any) -> Any:
    return record


def plainly(db: Session, caller: Caller, row: Any, out: type[BaseModel]) -> BaseModel:
    return out.model_validate(row)


@dataclass(frozen=True)
class Resource:
    """What the routes of one kind of record need to know about it."""

    noun: str
    """The record in a sentence: `group model`."""
    plural: str
    entity: str
    """The record in the audit log: `group_model`."""
    path: str
    table: type[Any]
    fields: type[Record]
    """What a change may touch, and what the whole record must satisfy after it."""
    new: type[Record]
    """The body that creates a record: the fields and, unless the database numbers it, the id."""
    patch: type[BaseModel]
    out: type[BaseModel]
    filters: type[Filter]
    key_name: str = "id"
    key: Any = Annotated[Ref, Path(alias="id", description="the record's id")]
    key_path: str = "/{id}"
    readers: tuple[str, ...] = READERS
    writers: tuple[str, ...] = ("coordinator",)
    """Who creates and changes records of the kind (deleting is always a coordinator's)."""
    scope: Callable[[Caller], list[ColumnElement[bool]]] = everything
    """Which records the caller's lists hold (clients: those the caller handles)."""
    guard: Callable[[Session, Caller, Any], None] = anyone
    """Refuses (403) the caller a record they may not see or change."""
    admit: Callable[[Session, Caller, Any, Any], Any] = as_given
    """What a writer may set: given the checked body (and the row, None for a new record), the body to
    store, or a refusal (403)."""
    present: Callable[[Session, Caller, Any, type[BaseModel]], BaseModel] = plainly
    """The record as the caller sees it (a client's alias only for their own counsellor)."""
    references: Callable[[Session, Any], Problems] = no_problems
    """Unknown records the body names (422 on the field)."""
    conflicts: Callable[[Session, Any, Any], str | None] = no_conflicts
    """Why a create (row None) or a change of the row cannot be made now (409)."""
    blockers: Callable[[Session, Any], str | None] = no_blockers
    """Why the row cannot be deleted: what still relies on it (409)."""
    tidy: Callable[[Session, Any], dict[str, Any] | None] = nothing_to_tidy
    """Removes what only makes sense with the row; says what, for the audit log."""
    changed: Callable[[Session, Any, set[str]], None] = nothing_follows
    """What follows from a change of these fields (a group's calendar sequence)."""
    erase: Callable[[Session, Any, str], None] | None = None
    """Removes the record and every trace of it (`DELETE ...?erase=true`), recording the erasure itself."""
    write: Callable[[Session, Any, Any], Any] | None = None
    """How a checked body is written when it is not simply stored: given the body and the row
    (None for a new record), makes or changes the row under its own locks and rules, and
    returns it. Seats are written this way (`scheduler.services.seats.take_seat`)."""
    feeds: tuple[tuple[str, str], ...] = ()
    """Creates whose body names a record of this kind: (operation id, field), an OpenAPI link from the create."""


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def typed(handler: H, **types: Any) -> H:
    """Give a handler made at run time the types of its parameters: FastAPI reads them from there."""
    handler.__annotations__.update(types)
    return handler


def build_router(spec: Resource) -> APIRouter:
    """Routes to list, read, create, change and delete records of one kind."""
    router = APIRouter(prefix=spec.path, tags=[spec.plural])
    for add in (_add_list, _add_read, _add_create, _add_update, _add_delete):
        add(router, spec)
    return router


def _add_list(router: APIRouter, spec: Resource) -> None:
    def list_records(filters: Any, db: SessionDep, caller: CallerDep) -> dict[str, Any]:
        return _page(db, spec, filters, caller)

    router.get(
        "",
        response_model=Page[spec.out],  # type: ignore[name-defined]  # the item model is chosen at run time
        summary=f"List {spec.plural}",
        operation_id=f"list_{spec.entity}s",
        responses=ERRORS,
        dependencies=[Depends(allow(*spec.readers))],
    )(typed(list_records, filters=Annotated[spec.filters, Query()]))


def _add_read(router: APIRouter, spec: Resource) -> None:
    def read_record(key: Any, db: SessionDep, caller: CallerDep) -> BaseModel:
        row = _get(db, spec, key)
        spec.guard(db, caller, row)
        return spec.present(db, caller, row, spec.out)

    router.get(
        spec.key_path,
        response_model=spec.out,
        summary=f"Read {_a(spec.noun)}",
        operation_id=f"read_{spec.entity}",
        responses={**NOT_FOUND, **ERRORS},
        dependencies=[Depends(allow(*spec.readers))],
    )(typed(read_record, key=spec.key))


def links(spec: Resource) -> dict[str, Any]:
    """OpenAPI links from a created record: read, change and delete it by its id, and name it in other creates.

    Clients (and schemathesis' stateful tests) follow them from one answer to the next request.
    """
    key = f"$response.body#/{spec.key_name}"
    parameter = spec.key_path.strip("/{}").split(":")[0]
    found: dict[str, Any] = {
        f"{verb}_{spec.entity}": {
            "operationId": f"{verb}_{spec.entity}",
            "parameters": {parameter: key},
            "description": f"{verb.replace('update', 'change')} the new {spec.noun}",
        }
        for verb in ("read", "update", "delete")
    }
    for operation, field in spec.feeds:
        found[f"{operation}_with_{field}"] = {
            "operationId": operation,
            "requestBody": {field: key},
            "description": f"the new {spec.noun} as `{field}`",
        }
    return found


def _add_create(router: APIRouter, spec: Resource) -> None:
    def create_record(body: Any, caller: Caller, db: SessionDep) -> BaseModel:
        key = getattr(body, spec.key_name, None)
        if key is not None and db.get(spec.table, key) is not None:
            raise Conflict(
                f"{_a(spec.noun)} '{key}' already exists: change it with PATCH {spec.path}/{key} or choose another id"
            )
        body = spec.admit(db, caller, body, None)
        _check(db, spec, body, None)
        if spec.write:
            row = spec.write(db, body, None)
        else:
            row = spec.table(**body.model_dump(exclude_none=True))
            db.add(row)
            db.flush()
        _audit(db, caller, "create", spec, row)
        db.commit()
        return spec.present(db, caller, row, spec.out)

    router.post(
        "",
        status_code=201,
        response_model=spec.out,
        summary=f"Create {_a(spec.noun)}",
        operation_id=f"create_{spec.entity}",
        responses={201: {"description": f"the new {spec.noun}", "links": links(spec)}, **CONFLICT, **ERRORS},
    )(typed(create_record, body=spec.new, caller=_writer(spec)))


def _add_update(router: APIRouter, spec: Resource) -> None:
    def update_record(key: Any, body: Any, caller: Caller, db: SessionDep) -> BaseModel:
        row = _get(db, spec, key)
        spec.guard(db, caller, row)
        changes = body.model_dump(exclude_unset=True)
        if changes:
            record = spec.admit(db, caller, _merged(spec, row, changes), row)
            _check(db, spec, record, row)
            if spec.write:
                spec.write(db, record, row)
            else:
                values = record.model_dump()
                for field in changes:
                    setattr(row, field, values[field])
            spec.changed(db, row, set(changes))
            _audit(db, caller, "update", spec, row, {"fields": sorted(changes)})
            db.commit()
        return spec.present(db, caller, row, spec.out)

    router.patch(
        spec.key_path,
        response_model=spec.out,
        summary=f"Change {_a(spec.noun)}",
        description="Only the fields given change; the whole record is checked again.",
        operation_id=f"update_{spec.entity}",
        responses={**NOT_FOUND, **CONFLICT, **ERRORS},
    )(typed(update_record, key=spec.key, body=spec.patch, caller=_writer(spec)))


ERASE = Query(description="erase the record and every trace of it under data protection law (cannot be undone)")


def _add_delete(router: APIRouter, spec: Resource) -> None:
    def delete_record(key: Any, caller: Coordinator, db: SessionDep) -> Response:
        row = _get(db, spec, key)
        reason = spec.blockers(db, row)
        if reason:
            raise Conflict(reason)
        detail = spec.tidy(db, row)
        _audit(db, caller, "delete", spec, row, detail)
        db.delete(row)
        db.commit()
        return Response(status_code=204)

    def delete_or_erase(key: Any, caller: Coordinator, db: SessionDep, erase: bool = False) -> Response:
        if not erase:
            return delete_record(key, caller, db)
        assert spec.erase is not None
        spec.erase(db, key, caller.actor)
        db.commit()
        return Response(status_code=204)

    erasable = spec.erase is not None
    router.delete(
        spec.key_path,
        status_code=204,
        response_class=Response,
        summary=f"Delete {_a(spec.noun)}",
        description=(
            "Without `erase`, refused while other records rely on it. With `erase=true`, removed "
            "everywhere in one transaction (erasure under data protection law), the erasure itself recorded."
            if erasable
            else None
        ),
        operation_id=f"delete_{spec.entity}",
        responses={**NOT_FOUND, **CONFLICT, **ERRORS},
    )(
        typed(delete_or_erase, key=spec.key, erase=Annotated[bool, ERASE])
        if erasable
        else typed(delete_record, key=spec.key)
    )


def _writer(spec: Resource) -> Any:
    """The caller of a create or a change: one of the kind's writers (401 without a token, 403 another role)."""
    return Annotated[Caller, Depends(allow(*spec.writers))]


def _page(db: Session, spec: Resource, filters: Filter, caller: Caller) -> dict[str, Any]:
    order = getattr(spec.table, spec.key_name)
    query = select(spec.table).where(*filters.where(spec.table), *spec.scope(caller)).order_by(order)
    start, stop = filters.offset, filters.offset + filters.limit
    if filters.checks_rows:
        today = clock_of(db).today()
        rows = [row for row in db.scalars(query) if filters.keeps(row, today)]
        total, rows = len(rows), rows[start:stop]
    else:
        total = db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        rows = list(db.scalars(query.limit(filters.limit).offset(filters.offset)))
    items = [spec.present(db, caller, row, spec.out) for row in rows]
    return {"items": items, "total": total, "limit": filters.limit, "offset": filters.offset}


def _get(db: Session, spec: Resource, key: Any) -> Any:
    row = db.get(spec.table, key)
    if row is None:
        raise NotFound(f"no {spec.noun} '{key}'")
    return row


def _merged(spec: Resource, row: Any, changes: dict[str, Any]) -> Record:
    """The stored record with the changes made, checked as a whole (a 422 names any field at fault)."""
    current = {field: getattr(row, field) for field in spec.fields.model_fields}
    try:
        return spec.fields.model_validate({**current, **changes})
    except ValidationError as error:
        faults = [{**fault, "loc": ("body", *fault["loc"])} for fault in error.errors(include_url=False)]
        raise RequestValidationError(faults) from None


def _check(db: Session, spec: Resource, record: Any, row: Any) -> None:
    problems = spec.references(db, record)
    if problems:
        raise field_errors("body", list(problems))
    reason = spec.conflicts(db, record, row)
    if reason:
        raise Conflict(reason)


def _audit(
    db: Session, caller: Caller, action: str, spec: Resource, row: Any, detail: dict[str, Any] | None = None
) -> None:
    key = str(getattr(row, spec.key_name))
    db.add(AuditEntry(actor=caller.actor[:200], action=action, entity=spec.entity, entity_id=key, detail=detail))
