"""Shapes shared by the routers: a page of a list, ids and labels free of control characters."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = ["ApiIn", "IdText", "Page", "SAFE_TEXT", "Word"]

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


SAFE_TEXT = r"^[^\x00-\x1f\x7f]*$"
"""No control characters: they have no place in a name or id, and PostgreSQL refuses NUL."""

IdText = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[^\x00-\x1f\x7f]+$")]
"""A record id as given in a path or body."""

Word = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")]
"""A short label: a theme, an audience, a municipality."""
