"""Shapes shared by the routers: a strict request body and a page of a list.

Field types (ids, bounded texts) are in `api.routers.resources_types`."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ApiIn", "Page"]

T = TypeVar("T")


class ApiIn(BaseModel):
    """A request body: unknown fields are refused, and JSON types are taken as the schema says
    (no `false` for a number, no `1.0` for a count). Dates stay readable from ISO strings:
    give a date field `Field(strict=False)`."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, how many there are in all, and where this page starts."""

    items: list[T]
    total: int = Field(ge=0)
    limit: int = Field(ge=1)
    offset: int = Field(ge=0)
