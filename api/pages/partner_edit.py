"""A coordinator enters partners' activities on a page (without JavaScript): one activity at a time, new or
edited, and removes one. Every faulty field is named at once, in the reader's language, and nothing is
stored until the whole activity is valid; the rules are `scheduler.contract.partner` and
`scheduler.services.partners`, the same as `PUT /partners/{id}` and the CSV import.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from api.deps import SessionDep
from api.pages.context import CoordinatorPage, Page, PageError, PageForm
from api.pages.errors import PAGE_TAG
from api.pages.i18n import N_
from api.pages.render import render, see_other
from scheduler.contract import DAYS
from scheduler.contract.errors import Invalid, NotFound
from scheduler.contract.partner import PartnerActivityIn, PartnerActivityOut
from scheduler.services.partners import delete_partner, get_partner, list_partners, save_partner

__all__ = ["EDIT_PATH", "router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

EDIT_PATH = "/partner-activities/edit"
TEXT_FIELDS = (
    "id",
    "organisation",
    "name",
    "description",
    "municipality",
    "place",
    "day",
    "start",
    "end",
    "first_date",
    "last_date",
    "languages",
    "theme",
    "audience",
    "contact",
    "url",
)
LABELS = {
    "id": N_("Identifier"),
    "organisation": N_("Organisation"),
    "name": N_("Name of the activity"),
    "description": N_("Description"),
    "municipality": N_("Municipality"),
    "place": N_("Place and street address"),
    "day": N_("Weekday"),
    "start": N_("Starts at"),
    "end": N_("Ends at"),
    "first_date": N_("First day"),
    "last_date": N_("Last day"),
    "languages": N_("Languages (codes separated by ;)"),
    "theme": N_("Theme"),
    "audience": N_("For whom"),
    "contact": N_("Contact"),
    "url": N_("Web address"),
    "accessible": N_("Accessible without steps"),
}
HINTS = {
    "id": N_("letters, digits and - _ . starting with a letter or digit, e.g. spr-lohja-ystavat"),
    "day": N_("choose a weekday"),
    "start": N_("a time of day HH:MM, e.g. 09:30"),
    "end": N_("a time of day HH:MM after the start"),
    "first_date": N_("a date, e.g. 2027-01-11"),
    "last_date": N_("a date not before the first day"),
    "languages": N_("language codes separated by semicolons, e.g. fi;sv"),
    "url": N_("a web address starting with https://"),
}
REQUIRED = N_("required, one to a few hundred characters")
Key = Annotated[str, Path(min_length=1, max_length=128)]


def _fields(form: FormData) -> dict[str, Any]:
    """The form as the activity's fields: a blank optional field is left out."""
    data: dict[str, Any] = {name: str(form.get(name) or "").strip() for name in TEXT_FIELDS}
    data = {
        name: value
        for name, value in data.items()
        if value or name not in {"description", "url", "first_date", "last_date"}
    }
    data["accessible"] = form.get("accessible") == "on"
    return data


def _faults(page: Page, error: ValidationError) -> dict[str, str]:
    """Each faulty field with what it needs, in the page's language (the first fault of a field)."""
    faults: dict[str, str] = {}
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else "id"
        if name in LABELS and name not in faults:
            faults[name] = page.t(HINTS.get(name, REQUIRED))
    return faults or {"id": page.t(REQUIRED)}


def _view(
    page: Page,
    db: SessionDep,
    values: dict[str, Any],
    faults: dict[str, str],
    status: int = 200,
    done: tuple[str | None, str | None] = (None, None),
) -> Response:
    return render(
        page,
        "partner_edit.html",
        status,
        activities=list_partners(db),
        values=values,
        faults=faults,
        field_labels=LABELS,
        fields=TEXT_FIELDS,
        days=[(d, page.lang.weekday(d, alone=True)) for d in DAYS],
        saved=done[0],
        removed=done[1],
    )


def _values(activity: PartnerActivityOut) -> dict[str, Any]:
    data = activity.model_dump(mode="json")
    data["languages"] = ";".join(activity.languages)
    return {name: "" if value is None else value for name, value in data.items()}


OptionalKey = Annotated[str | None, Query(max_length=128)]


@router.get(EDIT_PATH)
def edit_page(
    page: CoordinatorPage,
    db: SessionDep,
    id: OptionalKey = None,
    saved: OptionalKey = None,
    removed: OptionalKey = None,
) -> Response:
    """The form (blank, or the activity `id` to edit) and the activities with their Edit and Remove buttons; after
    a save or a removal (`saved`, `removed`: the activity's id) it says so."""
    values: dict[str, Any] = {"audience": "all"}
    if id:
        try:
            values = _values(get_partner(db, id))
        except NotFound as missing:
            raise PageError(404, N_("No such partner activity.")) from missing
    return _view(page, db, values, {}, done=(saved, removed))


@router.post(EDIT_PATH)
def save_page(page: CoordinatorPage, form: PageForm, db: SessionDep) -> Response:
    """Store the activity when every field is right; else the form again, every faulty field named."""
    data = _fields(form)
    try:
        activity = PartnerActivityIn.model_validate(data)
    except ValidationError as error:
        return _view(page, db, {**data, "accessible": data["accessible"]}, _faults(page, error), 422)
    try:
        save_partner(db, activity.id, activity, page.caller.actor)
    except Invalid:
        db.rollback()
        return _view(page, db, data, {"id": page.t(HINTS["id"])}, 422)
    db.commit()
    return see_other(page.request, f"{EDIT_PATH}?saved={quote(activity.id)}")


@router.post("/partner-activities/{partner_id}/remove")
def remove_page(page: CoordinatorPage, _: PageForm, db: SessionDep, partner_id: Key) -> Response:
    """Remove the activity (it leaves the page, the offering and the feed)."""
    try:
        delete_partner(db, partner_id, page.caller.actor)
    except NotFound as missing:
        raise PageError(404, N_("No such partner activity.")) from missing
    db.commit()
    return see_other(page.request, f"{EDIT_PATH}?removed={quote(partner_id)}")
