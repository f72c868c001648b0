"""The live offering: published groups with free seats now, and recommendations for a client.

Public: the offering carries no client identity (a waiting list is a count). A pop-up's reach (waiting
clients within it when planned) is shown to a coordinator's token only. Recommending for a stored client
(by id) takes a counsellor's or coordinator's token, and a counsellor may ask only for a
client they handle; an anonymous profile needs none.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field, model_validator
from sqlalchemy.orm import Session, sessionmaker

from api.deps import Caller, CallerDep, today
from api.errors import ERRORS, Forbidden, Unauthorized, field_errors
from api.links import with_feed_links
from api.offering_answers import Asked, answer, kept_offering
from api.problems import problem
from api.routers.resources_types import Ref, Text100
from api.schemas import ApiIn, Page
from scheduler.contract import Day, Language, Reason, Window
from scheduler.contract.errors import NotFound
from scheduler.contract.partner import PartnerActivityOut
from scheduler.services.kept_offering import KeptOffering
from scheduler.services.matching import Profile, Recommendation
from scheduler.services.offering import OfferedGroup, OfferingFilter
from scheduler.services.ownership import check_handles
from scheduler.services.partner_matching import partners_for_client
from scheduler.services.reservations import recommend_for_client

__all__ = ["router"]

router = APIRouter(tags=["offering"])


class Home(ApiIn):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class ProfileIn(ApiIn):
    """An anonymous client profile: what matters for finding a group, nothing that names anyone."""

    languages: list[Language] = Field(min_length=1, max_length=10, description="languages they cope in")
    home: Home | None = Field(default=None, description="where they travel from (any nearby point)")
    travel_mode: Literal["car", "transit"] = "transit"
    max_travel_minutes: int = Field(default=60, ge=0, le=600)
    available: list[Window] | None = Field(
        default=None, max_length=50, description="when they can come; any time if left out"
    )
    interests: list[Text100] | None = Field(default=None, max_length=30, description="themes, most wanted first")
    audiences: list[Text100] = Field(default_factory=list, max_length=10)
    needs_accessible: bool = False
    remote_ok: bool = False


class RecommendIn(ApiIn):
    """Recommend for a stored client (`client_id`) or an anonymous `profile`: give exactly one."""

    client_id: Ref | None = None
    profile: ProfileIn | None = None
    limit: int = Field(default=5, ge=2, le=50, description="most options to show (at least two)")

    @model_validator(mode="after")
    def _one(self) -> RecommendIn:
        if (self.client_id is None) == (self.profile is None):
            raise ValueError("give either client_id or profile")
        return self


class OptionOut(BaseModel):
    group: OfferedGroup
    travel_minutes: int | None
    why: list[Reason]
    from_home: bool = Field(default=False, description="a hybrid group the client would join from home")


class RecommendOut(BaseModel):
    """Suitable groups with a free seat, best first; full ones that would suit; or why none fits."""

    options: list[OptionOut]
    waiting_lists: list[str] = Field(description="groups that would suit but are full: their waiting lists")
    reasons: list[Reason] = Field(description="when no group fits: why, in the solver's reason codes")
    partners: list[PartnerActivityOut] = Field(
        default_factory=list,
        description="partners' and third-sector activities that suit (language, theme, day and time): a list of "
        "their own, each `partner: true`, never among `options`",
    )


OPTIONAL_TOKEN: dict[str, object] = {"security": [{}, {"HTTPBearer": []}]}
"""A token is optional: a coordinator's shows the pop-ups' reach."""


@router.get(
    "/offering",
    response_model=Page[OfferedGroup],
    responses={304: {"description": "not modified since the ETag given in If-None-Match"}},
    openapi_extra=OPTIONAL_TOKEN,
)
async def offering(
    request: Request,
    caller: CallerDep,
    on: Annotated[date, Depends(today)],
    municipality: Text100 | None = None,
    hub: Ref | None = None,
    language: Language | None = None,
    day: Day | None = None,
    theme: Text100 | None = None,
    audience: Annotated[Text100 | None, Query(description="groups for this audience, and those open to all")] = None,
    modality: Annotated[
        Literal["in_person", "remote", "hybrid"] | None,
        Query(description="remote: the hybrid groups too (one may join them from home)"),
    ] = None,
    free_only: Annotated[bool, Query(description="only groups with a free seat now, and the pop-ups")] = False,
    near_lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    near_lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    within_minutes: Annotated[int | None, Query(ge=0, le=600, description="from the point near_lat, near_lon")] = None,
    mode: Literal["car", "transit"] = "car",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    """Published groups with their free seats now and next sessions; every filter narrows the list.

    Each group says how it admits people (`admission`; a pop-up `just_come`, a closed group `closes_on` and
    `admission_open`), its own term (`starts_on`, `sessions_left`) and how many wait for it (`waiting`).

    The answer has an ETag (the offering's version and the query): with `If-None-Match` it is 304 until
    the offering changes; a public answer may be kept by a proxy briefly (`Cache-Control`)."""
    if (near_lat is None) != (near_lon is None):
        missing = "near_lon" if near_lon is None else "near_lat"
        raise field_errors("query", [(missing, "give both near_lat and near_lon")])
    if within_minutes is not None and near_lat is None:
        raise field_errors("query", [("within_minutes", "needs a point: give near_lat and near_lon")])
    near = (near_lat, near_lon) if near_lat is not None and near_lon is not None else None
    where = OfferingFilter(
        municipality, hub, language, day, theme, audience, modality, free_only, near, within_minutes, mode
    )
    public_url = request.app.state.settings.public_url

    def make(kept: KeptOffering, _: Session) -> tuple[bytes, str]:
        chosen = kept.select(where)
        page = with_feed_links(chosen[offset : offset + limit], public_url)
        body = Page(items=page, total=len(chosen), limit=limit, offset=offset).model_dump_json().encode()
        return body, "application/json"

    coordinator = caller.role == "coordinator"
    asked = Asked("offering", on, coordinator, caller.role is None, (where, limit, offset))
    return await answer(request, asked, make, vary="Authorization")


@router.get(
    "/offering/{group_id}",
    response_model=OfferedGroup,
    responses={
        304: {"description": "not modified since the ETag given in If-None-Match"},
        404: problem("no such published group"),
    },
    openapi_extra=OPTIONAL_TOKEN,
)
async def offered_group(
    group_id: Ref, request: Request, caller: CallerDep, on: Annotated[date, Depends(today)]
) -> Response:
    """One published group (with an ETag, as the offering has)."""
    public_url = request.app.state.settings.public_url

    def make(kept: KeptOffering, _: Session) -> tuple[bytes, str]:
        found = kept.by_id.get(group_id)
        if found is None:
            raise NotFound(f"no published group {group_id!r}")
        return with_feed_links([found], public_url)[0].model_dump_json().encode(), "application/json"

    asked = Asked("group", on, caller.role == "coordinator", caller.role is None, (group_id,))
    return await answer(request, asked, make, vary="Authorization")


@router.post(
    "/offering/recommend",
    response_model=RecommendOut,
    responses={404: problem("no such client"), **ERRORS},
    openapi_extra={"security": [{}, {"HTTPBearer": []}]},
)  # a token is optional here
async def recommend_groups(
    body: RecommendIn, request: Request, caller: CallerDep, on: Annotated[date, Depends(today)]
) -> RecommendOut:
    """The groups that suit a client and have a free seat, best first, each with why it fits."""
    if body.client_id is not None:
        if caller.role is None:
            raise Unauthorized("recommending for a stored client needs a counsellor's or coordinator's token")
        if not caller.sees_clients:
            raise Forbidden(f"a {caller.role} token may not look up clients")
        found, partners = await run_in_threadpool(_for_client, request, caller, body.client_id, on, body.limit)
    else:  # an anonymous profile: from the offering kept for its version, in the event loop (no session)
        assert body.profile is not None
        given = body.profile.model_dump(exclude={"home"})
        home = body.profile.home
        profile = Profile(**given, lat=home.lat if home else None, lon=home.lon if home else None)
        kept = await kept_offering(request, on)
        found = kept.recommend(profile, body.limit)
        partners = kept.partners_for(profile, body.limit)
    return RecommendOut(
        options=[
            OptionOut(group=s.group, travel_minutes=s.travel, why=s.fits, from_home=s.remote) for s in found.options
        ],
        waiting_lists=[s.group.id for s in found.full],
        reasons=found.reasons,
        partners=partners,
    )


def _for_client(
    request: Request, caller: Caller, client_id: str, on: date, limit: int
) -> tuple[Recommendation, list[PartnerActivityOut]]:
    """A stored client's recommendation (their counsellor's or a coordinator's), read in a session of its own."""
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as db:
        check_handles(db, caller.handler, client_id)  # another counsellor's client: 403
        found = recommend_for_client(db, client_id, on, limit)  # an unknown client is a NotFound (404)
        return found, partners_for_client(db, client_id, on, limit)
