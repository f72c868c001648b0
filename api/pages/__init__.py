"""Server-rendered pages for counsellors and coordinators, in Finnish, Swedish and English.

Each page family is a router of its own, left out of the OpenAPI document (the JSON API
is what that documents). `install` mounts the static files and makes errors on page
routes answer as pages in the reader's language instead of JSON.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from api.pages import (
    advice,
    attendance,
    auth,
    clients,
    errors,
    feedback,
    find,
    handout,
    notices,
    offering,
    offers,
    partner_edit,
    partners,
    planning,
    reports,
    sheet_import,
    sheet_templates,
    shortage,
    trial_visits,
    week,
    week_export,
    whatifs,
)

__all__ = ["PAGE_ROUTERS", "install"]

STATIC = Path(__file__).resolve().parent.parent / "static"

PAGE_ROUTERS: list[APIRouter] = [
    offering.router,
    handout.router,
    partners.router,
    partner_edit.router,
    find.router,
    clients.router,
    trial_visits.router,
    offers.router,
    attendance.router,
    notices.router,
    week.router,
    week_export.router,
    planning.router,
    sheet_import.router,
    advice.router,
    whatifs.router,
    shortage.router,
    reports.router,
    sheet_templates.router,
    feedback.router,
    auth.router,
]
"""Every page family's router; the coordinator's pages join this list."""


def install(app: FastAPI) -> None:
    """Serve the pages, their static files and their error pages on the application."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in PAGE_ROUTERS:
        app.include_router(router)
    errors.install(app)
