"""Finding a group for a client (counsellors and coordinators): recommendations with reasons, and reserving."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from .context import CounsellorPage
from .errors import PAGE_TAG
from .render import render

__all__ = ["router"]

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)


@router.get("/find")
def find_page(page: CounsellorPage) -> Response:
    return render(page, "find.html")
