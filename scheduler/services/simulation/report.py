"""What a simulated season reports: figures week by week and for the season, per policy.

The county figures' definitions hold (docs/county-figures.md): a client's wait is the days from
their case opening to their first session held in a seat; offers are counted by the week they were
made, with what became of them by that week's end. The bookkeeping says where everyone who arrived
is at each week's end, each client in exactly one place: waiting (in service, no seat and no offer),
offered (holding an offer), seated, or ended (left the service).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

__all__ = ["REPORT_SCHEMA", "WAIT_BINS", "PolicyRun", "SeasonFigures", "SimulationReport", "WeekFigures"]

REPORT_SCHEMA = "tarjotin.simulation/1"

WAIT_BINS: tuple[tuple[str, int, int | None], ...] = (
    ("0_2", 0, 14),
    ("2_4", 14, 28),
    ("4_8", 28, 56),
    ("8_13", 56, 91),
    ("13_26", 91, 182),
    ("over_26", 182, None),
)
"""The wait from case opening to first session in weeks: each bin's key, its first day and the day after it."""


class WeekFigures(BaseModel):
    """One week, as it stood on its Sunday."""

    week: int = Field(description="1 for the season's first week")
    monday: date
    arrived: int = Field(description="case openings this week (the first week: everyone waiting at the start)")
    arrived_total: int = Field(description="everyone who has arrived so far")
    waiting: int = Field(description="in service with no seat and no offer")
    offered: int = Field(description="holding an offer not yet answered")
    seated: int = Field(description="with an active seat")
    ended: int = Field(description="left the service (decision over, dropped out)")
    waiting_past_three_months: int = Field(description="in service, case opened over three months ago, no session yet")
    first_sessions: int = Field(description="clients whose first session was this week")
    median_wait_days: float | None = Field(description="their median days from case opening")
    offers_made: int
    offers_accepted: int
    offers_declined: int
    offers_expired: int
    groups_running: int
    groups_opened: int
    groups_closed: int = Field(description="closed by the plan or called off by the coordinator this week")
    groups_below_minimum: int
    groups_two_leaders: int = Field(description="running groups with two leaders (the handbook's norm)")
    seats_used: int
    seats: int = Field(description="seats of the running groups (their maximum sizes)")
    sessions_held: int
    sessions_cancelled: int
    substitutes: int = Field(description="sessions led by a substitute for a leader on leave")
    staff_on_leave: int
    staff_minutes: int = Field(description="leaders' minutes in the sessions held")
    driving_minutes: int = Field(description="leaders' drives from their base to the sessions and back")
    dropouts: int
    absences: int


class SeasonFigures(BaseModel):
    """The whole season."""

    arrived: int
    first_sessions: int
    median_wait_days: float | None
    p90_wait_days: float | None
    mean_wait_days: float | None
    wait_bins: dict[str, int] = Field(description="first sessions by weeks waited (`WAIT_BINS`)")
    past_three_months: int = Field(description="first sessions later than three months after the case opening")
    still_waiting_past_three_months: int = Field(description="at the season's end")
    still_waiting: int = Field(description="in service with no seat at the season's end")
    offers_made: int
    offers_accepted: int
    offers_declined: int
    offers_expired: int
    offers_withdrawn: int
    groups_opened: int
    groups_closed: int
    mean_groups_below_minimum: float
    mean_two_leader_share: float | None = Field(description="running groups with two leaders, averaged over the weeks")
    mean_seats_used: float
    mean_seat_use: float | None = Field(description="seats used over seats, averaged over the weeks")
    staff_minutes: int
    driving_minutes: int
    dropouts: int
    ended: int


class PolicyRun(BaseModel):
    """One season under one policy."""

    label: str
    preset: str
    leader_reach_minutes: int | None
    weeks: list[WeekFigures]
    season: SeasonFigures


class SimulationReport(BaseModel):
    """A simulated season: the world and the solves it ran with, and the same season under each policy."""

    report_schema: str = Field(default=REPORT_SCHEMA, alias="schema")
    region: str
    region_display: str
    clients: int = Field(description="clients waiting at the start")
    weeks: int
    seed: int
    start: date = Field(description="the season's first Monday")
    world: list[dict[str, Any]] = Field(description="every assumption: name, value, means, source")
    solve: dict[str, Any] = Field(description="each weekly solve's limits")
    policies: list[PolicyRun]

    model_config = {"populate_by_name": True}

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)
