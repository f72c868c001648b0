"""The offering to hand out: `GET /offering.pdf`, the live offering as an A4 PDF in a chosen language.

Public, as the offering page is, and narrowed by the same filters the page's form sends (an empty
value: any), so the page can link to the PDF of what it shows. A counsellor's client list links
each client to the PDF in the client's language; the address carries the language alone, never the
client. `lang` must be fi, sv or en: another is a 422 problem (the PDF is a download, so its
errors are problem details, not pages).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.deps import SessionDep, today
from api.pages.hub_sections import hub_sections
from api.pages.i18n import DEFAULT, Lang, negotiate
from api.pages.offering import OfferingQueryDep
from api.pages.offering_pdf import offering_pdf
from scheduler.services.offering import load_offering, select_offering

__all__ = ["PDF", "router"]

router = APIRouter(tags=["offering"], include_in_schema=False)

PDF = "application/pdf"
LangQuery = Annotated[
    Literal["fi", "sv", "en"] | None,
    Query(description="the PDF's language; without it, the best of fi, sv and en for Accept-Language, else fi"),
]


@router.get("/offering.pdf", response_class=Response)
def offering_handout(
    request: Request,
    db: SessionDep,
    on: Annotated[date, Depends(today)],
    query: OfferingQueryDep,
    lang: LangQuery = None,
) -> Response:
    """The offering's groups by hub with their free seats today, as a PDF to print or send."""
    code = lang or negotiate(request.headers.get("accept-language")) or DEFAULT
    shown = select_offering(load_offering(db, on), query.where)
    body = offering_pdf(hub_sections(shown), Lang(code), on)
    headers = {
        "Content-Disposition": f'inline; filename="tarjotin-{code}-{on.isoformat()}.pdf"',
        "Cache-Control": "no-cache",
    }
    if lang is None:
        headers["Vary"] = "Accept-Language"
    return Response(body, media_type=PDF, headers=headers)
