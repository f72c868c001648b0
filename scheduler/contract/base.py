"""The base of every contract record and the shared field types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Contract", "Id", "Language"]

Language = Annotated[str, Field(min_length=2, max_length=8, pattern=r"^[a-z]{2,3}(-[A-Za-z]+)?$")]
Id = Annotated[str, Field(min_length=1, max_length=128)]


class Contract(BaseModel):
    """Base of every contract record: unknown fields are ignored, strings are stripped."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
