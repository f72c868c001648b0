"""What a caller may tune in a solve, and the error for a problem that cannot be planned."""

from __future__ import annotations

from pydantic import BaseModel, Field

from scheduler.contract.errors import Invalid

__all__ = ["PlanningError", "SolveParams"]


class SolveParams(BaseModel):
    """Knobs of one solve. The defaults suit a weekly plan on a 2-core machine."""

    time_limit: float = Field(default=30.0, gt=0, description="seconds for the whole solve")
    workers: int = Field(default=2, ge=1, le=64, description="CP-SAT search workers")
    seed: int = Field(default=0, ge=0, description="CP-SAT random seed")
    deterministic: bool = Field(
        default=True,
        description=(
            "same plan for the same seed and worker count: CP-SAT interleaves its workers and "
            "stops on deterministic time instead of the wall clock"
        ),
    )
    effort: float | None = Field(
        default=None,
        gt=0,
        description=(
            "deterministic search effort (CP-SAT deterministic seconds) shared by the areas; by default half "
            "the time limit. The plan is repeatable when this effort, not the time limit, ends the search"
        ),
    )
    options_per_client: int = Field(
        default=20, ge=1, description="pruning: each client keeps this many best options (and the warm start's)"
    )
    leaders_per_group: int = Field(
        default=10, ge=1, description="pruning: a candidate group keeps this many nearest eligible leaders (and a team)"
    )
    log: bool = Field(default=False, description="print CP-SAT's search log")


class PlanningError(Invalid):
    """The problem cannot be planned as given (for example a pinned group that cannot be kept)."""
