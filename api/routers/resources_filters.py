"""Which records a list shows, and which page of them.

A filter field named like a column keeps the records whose column equals it; a filter
naming one entry of a list field (a `language` among `languages`) is checked on the rows
after the query, the same way on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement

from api.routers.resources_types import IsoDate, LanguageCode, Ref, Text100
from scheduler.contract import Day
from scheduler.services.caseload import needs_attention
from scheduler.storage.models import Closure

__all__ = [
    "ClientFilter",
    "ClosureFilter",
    "CounsellorFilter",
    "EnrollmentFilter",
    "Filter",
    "GroupFilter",
    "GroupModelFilter",
    "HubFilter",
    "RoomFilter",
    "StaffFilter",
]

INT32 = 2**31 - 1


class Filter(BaseModel):
    """A page of records ordered by id; every filter given must hold, and an unknown one is refused."""

    model_config = ConfigDict(extra="forbid")
    limit: int = Field(50, ge=1, le=500, description="how many records the page holds")
    offset: int = Field(0, ge=0, le=INT32, description="how many records come before the page")

    contains: ClassVar[dict[str, str]] = {}
    """Filters that name one entry of a list field: filter name -> column."""
    computed: ClassVar[frozenset[str]] = frozenset()
    """Filters on something computed from the row on the day (`keeps` checks them)."""

    def chosen(self) -> dict[str, Any]:
        """The filters given, by name."""
        return {name: value for name, value in self if value is not None and name not in ("limit", "offset")}

    def where(self, table: Any) -> list[ColumnElement[bool]]:
        """The conditions the database checks: equality on each given column filter."""
        return [
            getattr(table, name) == value
            for name, value in self.chosen().items()
            if name not in self.contains and name not in self.computed
        ]

    def keeps(self, row: Any, today: date) -> bool:
        """Whether the row holds each entry the list filters name."""
        return all(
            value in getattr(row, self.contains[name]) for name, value in self.chosen().items() if name in self.contains
        )

    @property
    def checks_rows(self) -> bool:
        """Whether some filter is checked on the rows rather than by the database."""
        return any(name in self.contains or name in self.computed for name in self.chosen())


class HubFilter(Filter):
    municipality: Text100 | None = None


class RoomFilter(Filter):
    hub_id: Ref | None = None
    accessible: bool | None = None


class StaffFilter(Filter):
    base_hub: Ref | None = None
    language: LanguageCode | None = Field(None, description="speaks this language")
    qualified: bool | None = None
    skill: Text100 | None = Field(None, description="has this skill")

    contains: ClassVar[dict[str, str]] = {"language": "languages", "skill": "skills"}


class GroupModelFilter(Filter):
    theme: Text100 | None = None
    kind: Literal["process", "targeted", "theme", "peer", "popup"] | None = None
    modality: Literal["in_person", "remote", "hybrid"] | None = None
    audience: Text100 | None = None
    language: LanguageCode | None = Field(None, description="can run in this language")

    contains: ClassVar[dict[str, str]] = {"language": "languages"}


class CounsellorFilter(Filter):
    pass


class ClientFilter(Filter):
    language: LanguageCode | None = Field(None, description="speaks this language")
    in_service: bool | None = None
    counsellor_id: Ref | None = Field(None, description="whose clients (a counsellor's id)")
    attention: bool | None = Field(
        None,
        description="true: only clients who need attention today (the §45 deadline past with no decision, "
        "the decision ending within four weeks, an evaluation due); false: only the others",
    )

    contains: ClassVar[dict[str, str]] = {"language": "languages"}
    computed: ClassVar[frozenset[str]] = frozenset({"attention"})

    def keeps(self, row: Any, today: date) -> bool:
        listed = super().keeps(row, today)
        return listed and (self.attention is None or self.attention == needs_attention(row, today))


class GroupFilter(Filter):
    hub_id: Ref | None = None
    template_id: Ref | None = None
    day: Day | None = None
    language: LanguageCode | None = None
    status: Literal["running", "closed", "cancelled"] | None = None
    modality: Literal["in_person", "remote", "hybrid"] | None = None


class EnrollmentFilter(Filter):
    group_id: Ref | None = None
    client_id: Ref | None = None
    status: Literal["active", "completed", "interrupted"] | None = None


class ClosureFilter(Filter):
    """Closures from one date to another, both included."""

    from_: IsoDate | None = Field(None, alias="from", description="first date, included")
    to: IsoDate | None = Field(None, description="last date, included")

    def where(self, table: Any) -> list[ColumnElement[bool]]:
        return [*([Closure.day >= self.from_] if self.from_ else []), *([Closure.day <= self.to] if self.to else [])]
