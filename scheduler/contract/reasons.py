"""Why a client could not be placed: the reason codes a plan's `unassigned` entries carry."""

from __future__ import annotations

__all__ = ["REASON_CODES"]

REASON_CODES: tuple[str, ...] = (
    "interest",
    "audience",
    "language",
    "remote",
    "travel",
    "accessibility",
    "availability",
    "capacity",
)
