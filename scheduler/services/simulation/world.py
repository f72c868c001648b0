"""The world a season is simulated in: what the clients, counsellors and staff do that the planner does not.

Every number is a field of `World` with its default and where the default comes from: the
handbook (`handbook`), the law (`law`), the built-in scenario's figures (`scenario`) or a stated
assumption (`assumption`), which a county replaces with its own figures (`--world FILE.json`). The
report prints the world it ran in, so a figure never stands without the assumptions behind it.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["SOURCES", "World"]

Source = Literal["handbook", "law", "scenario", "assumption"]


class World(BaseModel):
    """What happens around the planner, week by week (each probability is 0..1)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    referrals_per_week: float = Field(
        default=0.04,
        ge=0,
        le=1,
        description=(
            "new case openings a week, as a share of the clients waiting at the start, spread over the "
            "municipalities by their population"
        ),
    )
    decision_days: tuple[int, int] = Field(
        default=(14, 60), description="days from a case opening to the start of its first decision (least, most)"
    )
    accept: float = Field(default=0.75, ge=0, le=1, description="share of offers the client accepts")
    decline: float = Field(
        default=0.15, ge=0, le=1, description="share of offers the client declines; the rest go unanswered and expire"
    )
    answer_days: tuple[int, int] = Field(
        default=(1, 5), description="days from an offer to the client's answer (least, most)"
    )
    dropout_per_week: float = Field(
        default=0.01, ge=0, le=1, description="chance a participant gives up their seat in a given week"
    )
    absence: float = Field(default=0.15, ge=0, le=1, description="chance a participant misses a session")
    excused: float = Field(default=0.6, ge=0, le=1, description="share of the absences told beforehand")
    decision_months: int = Field(default=6, ge=1, le=18, description="months one decision grants the service")
    continuation: float = Field(
        default=0.6, ge=0, le=1, description="chance a decision ending is followed by another (to the cap)"
    )
    service_months: int = Field(default=18, ge=1, le=36, description="the longest service period, in months")
    leave_per_week: float = Field(
        default=0.02, ge=0, le=1, description="chance a staff member starts a leave (illness, holiday) in a given week"
    )
    leave_weeks: tuple[int, int] = Field(default=(1, 2), description="weeks a leave lasts (least, most)")
    close_below_minimum_weeks: int = Field(
        default=3,
        ge=1,
        le=26,
        description="weeks in a row a group may stay below its minimum before the coordinator calls it off",
    )
    staff_scale: float = Field(
        default=1.0,
        gt=0,
        le=20,
        description="staff and rooms as for this many times the starting clients (1: the scenario's own)",
    )

    @model_validator(mode="after")
    def _consistent(self) -> World:
        if self.accept + self.decline > 1:
            raise ValueError(f"accept ({self.accept}) and decline ({self.decline}) add up to more than 1")
        for name in ("decision_days", "answer_days", "leave_weeks"):
            least, most = getattr(self, name)
            if not 0 <= least <= most:
                raise ValueError(f"{name}: give (least, most) with 0 <= least <= most, not ({least}, {most})")
        return self

    def stated(self) -> list[dict[str, Any]]:
        """Every assumption as the report prints it: name, value, what it means and where it comes from."""
        return [
            {
                "name": name,
                "value": list(value) if isinstance(value := getattr(self, name), tuple) else value,
                "means": field.description or "",
                "source": SOURCES[name],
            }
            for name, field in type(self).model_fields.items()
        ]


SOURCES: dict[str, Source] = {
    # A steady caseload under six-month decisions renews about 1/26 of itself a week.
    "referrals_per_week": "assumption",
    # The scenario's own spread from case opening to decision (assessment, then the decision).
    "decision_days": "scenario",
    "accept": "assumption",
    "decline": "assumption",
    # Within the county's reply time (the planning frame's offer terms, 7 days by default).
    "answer_days": "assumption",
    "dropout_per_week": "assumption",
    "absence": "assumption",
    "excused": "assumption",
    # "Päätökset tehdään kuudeksi kuukaudeksi kerrallaan" (decisions are made six months at a time).
    "decision_months": "handbook",
    "continuation": "assumption",
    # The service lasts at most 18 months (docs/design.md, the handbook's rhythm).
    "service_months": "handbook",
    "leave_per_week": "assumption",
    "leave_weeks": "assumption",
    "close_below_minimum_weeks": "assumption",
    "staff_scale": "scenario",
}
