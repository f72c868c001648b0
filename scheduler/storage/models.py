"""The tables. Clients are pseudonymous ids only: no names, no personal identity numbers.

Lists that belong to one record and are never queried on their own (languages,
skills, weekly windows, interests) are JSON columns.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "ApiToken",
    "AttendanceRow",
    "AuditEntry",
    "Base",
    "ClientRow",
    "Closure",
    "CounsellorRow",
    "EnrollmentRow",
    "FeedToken",
    "FeedbackRow",
    "GroupModelRow",
    "GroupRow",
    "HeadCount",
    "HubRow",
    "IdempotencyRecord",
    "NoticeRow",
    "OfferRow",
    "OfferingVersion",
    "PartnerActivity",
    "PlanningLock",
    "PlanningPart",
    "PlanningRun",
    "PlanningSettings",
    "RoomRow",
    "SessionChange",
    "SheetUpload",
    "SignInSession",
    "StaffRow",
    "TravelOverride",
    "TrialVisit",
    "WaitlistEntry",
]

Json = dict[str, Any]


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class PlanningSettings(Base):
    """The county's planning frame: region, timezone, term, start-time grid and planning policy (one row).

    `policy` is the problem's `policy` as imported (contract JSON; none: the handbook's defaults)."""

    __tablename__ = "planning_settings"
    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    region: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Helsinki")
    term_start: Mapped[date] = mapped_column(Date)
    term_weeks: Mapped[int] = mapped_column(Integer)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=30)
    policy: Mapped[Json | None] = mapped_column()
    offer_reply_days: Mapped[int] = mapped_column(Integer, default=7, server_default="7")
    """Days a client has to answer an offer made when a plan is published."""
    offers_accept_at_once: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """True: a published placement is a seat at once (nobody is asked), as before offers existed."""
    feedback_questions: Mapped[list[Any] | None] = mapped_column()
    popup_slots: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Pop-up sessions a week the planner may place (`Problem.popup_slots`)."""
    """The county's feedback form (contract `FeedbackQuestion`s as JSON; none: THL's defaults)."""


class HubRow(Base):
    __tablename__ = "hubs"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    municipality: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    county: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))


class RoomRow(Base):
    __tablename__ = "rooms"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    hub_id: Mapped[str] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(Integer)
    accessible: Mapped[bool] = mapped_column(Boolean, default=False)
    available: Mapped[list[Any]] = mapped_column(default=list)


class StaffRow(Base):
    __tablename__ = "staff"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    qualified: Mapped[bool] = mapped_column(Boolean)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    skills: Mapped[list[Any]] = mapped_column(default=list)
    county: Mapped[str | None] = mapped_column(String(200))
    base_hub: Mapped[str] = mapped_column(ForeignKey("hubs.id"), index=True)
    available: Mapped[list[Any]] = mapped_column(default=list)
    max_weekly_minutes: Mapped[int] = mapped_column(Integer)
    email: Mapped[str | None] = mapped_column(String(254))
    """Where notices are mailed (none: they stay on the staff member's list only)."""
    lang: Mapped[str] = mapped_column(String(8), default="fi", server_default="fi")
    peer: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """A peer instructor (an expert by experience): leads only beside a qualified professional."""
    """The language of their e-mail notices (fi, sv or en)."""


class GroupModelRow(Base):
    __tablename__ = "group_models"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[Json] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20))
    theme: Mapped[str] = mapped_column(String(100))
    audience: Mapped[str] = mapped_column(String(100))
    modality: Mapped[str] = mapped_column(String(20))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    min_size: Mapped[int] = mapped_column(Integer)
    max_size: Mapped[int] = mapped_column(Integer)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    required_skills: Mapped[list[Any]] = mapped_column(default=list)
    admission: Mapped[str] = mapped_column(String(10), default="rolling", server_default="rolling")
    """open (a pop-up: no roster), closed (after `closes_after` sessions) or rolling."""
    closes_after: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    sessions: Mapped[int | None] = mapped_column(Integer)
    """Sessions a group of this model runs (none: the whole season)."""


class CounsellorRow(Base):
    """A counsellor: a client's responsible worker (omatyöntekijä), who offers groups and follows the service."""

    __tablename__ = "counsellors"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    """Where notices are mailed (none: they stay on the counsellor's list only)."""
    lang: Mapped[str] = mapped_column(String(8), default="fi", server_default="fi")
    """The language of their e-mail notices (fi, sv or en)."""


class ClientRow(Base):
    """A client known only by a pseudonymous id.

    `alias` is how the client's counsellor and their groups' leaders call them on their pages;
    nothing else shows it (not the coordinators' records, not an export, not a log). The service
    period (`case_opened`, `assessed`, `decisions`, `evaluations`) is as in the contract;
    `declined` lists the offered groups the client declined, with why, for the next plan.
    """

    __tablename__ = "clients"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    home_lat: Mapped[float] = mapped_column(Float)
    home_lon: Mapped[float] = mapped_column(Float)
    county: Mapped[str | None] = mapped_column(String(200))
    travel_mode: Mapped[str] = mapped_column(String(20))
    max_travel_minutes: Mapped[int] = mapped_column(Integer)
    available: Mapped[list[Any]] = mapped_column(default=list)
    interests: Mapped[list[Any]] = mapped_column(default=list)
    audiences: Mapped[list[Any]] = mapped_column(default=list)
    needs_accessible: Mapped[bool] = mapped_column(Boolean, default=False)
    remote_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    waiting_since: Mapped[date] = mapped_column(Date)
    max_groups_per_week: Mapped[int] = mapped_column(Integer, default=1)
    in_service: Mapped[bool] = mapped_column(Boolean, default=True)
    case_opened: Mapped[date | None] = mapped_column(Date)
    assessed: Mapped[date | None] = mapped_column(Date)
    decisions: Mapped[list[Any]] = mapped_column(default=list)
    evaluations: Mapped[list[Any]] = mapped_column(default=list)
    declined: Mapped[list[Any]] = mapped_column(default=list)
    counsellor_id: Mapped[str | None] = mapped_column(ForeignKey("counsellors.id"), index=True)
    alias: Mapped[str | None] = mapped_column(String(100))


class GroupRow(Base):
    """A weekly group that runs (or ran): where, when, who leads it.

    `status` is running, closed (a plan ended it) or cancelled (a coordinator called it
    off from `cancelled_on`; calendar feeds keep it, cancelled, until its term ends).
    `sequence` counts the changes of its time, place, leaders or status, and `updated_at`
    is when the last one was made: calendar programs go by both.
    """

    __tablename__ = "groups"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    template_id: Mapped[str] = mapped_column(ForeignKey("group_models.id"), index=True)
    modality: Mapped[str] = mapped_column(String(20))
    hub_id: Mapped[str | None] = mapped_column(ForeignKey("hubs.id"), index=True)
    room_id: Mapped[str | None] = mapped_column(ForeignKey("rooms.id"))
    language: Mapped[str] = mapped_column(String(8))
    day: Mapped[str] = mapped_column(String(3))
    start: Mapped[str] = mapped_column(String(5))
    end: Mapped[str] = mapped_column(String(5))
    leaders: Mapped[list[Any]] = mapped_column(default=list)
    pinned: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(20), default="running")
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=_now)
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    start_date: Mapped[date | None] = mapped_column(Date)
    """The group's first session (none: the season's first of its weekday)."""
    sessions: Mapped[int | None] = mapped_column(Integer)
    """Weeks the group runs from `start_date` (none: to the season's end)."""
    reach: Mapped[int | None] = mapped_column(Integer)
    """A pop-up: waiting clients within its reach when it was planned."""


class SessionChange(Base):
    """One session of a group that differs from the weekly rhythm: cancelled, moved or led by a substitute.

    `day` is the date the rhythm gives; the other fields, when set, replace the group's own
    for that one session (`moved_to` another date, new times, another hub or room, other leaders).
    """

    __tablename__ = "session_changes"
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(String(300))
    moved_to: Mapped[date | None] = mapped_column(Date)
    start: Mapped[str | None] = mapped_column(String(5))
    end: Mapped[str | None] = mapped_column(String(5))
    hub_id: Mapped[str | None] = mapped_column(ForeignKey("hubs.id"))
    room_id: Mapped[str | None] = mapped_column(ForeignKey("rooms.id"))
    leaders: Mapped[list[Any] | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class EnrollmentRow(Base):
    """A client's seat in a group from one date to another."""

    __tablename__ = "enrollments"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    from_date: Mapped[date] = mapped_column(Date)
    to_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="active")
    end_reason: Mapped[str | None] = mapped_column(String(30))
    """Why the seat ended (contract `END_REASONS`); none while active or when nobody said."""
    next_step: Mapped[str | None] = mapped_column(String(30))
    remote: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """In a hybrid group: the client joins from home (does not count against the room)."""
    """Where the client went next (contract `NEXT_STEPS`)."""


class AttendanceRow(Base):
    """A participant's attendance at one session, marked by a leader.

    `day` is the session's date in the group's weekly rhythm (as `SessionChange.day`: a moved
    session keeps its rhythm date as its key)."""

    __tablename__ = "attendance"
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True, index=True)
    status: Mapped[str] = mapped_column(String(20))
    marked_by: Mapped[str] = mapped_column(String(200))
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class NoticeRow(Base):
    """A notice to one counsellor or staff member: on their list, and mailed when SMTP is configured.

    `recipient` is `counsellor:ID` or `staff:ID`; (`kind`, `ref`, `recipient`) is unique, so the
    same event never notifies anyone twice. `client_id` lets the counsellor's own list name their
    client; the e-mail never carries it. `mail_status`: none (not to be mailed), pending, sent,
    failed (gave up after its retries)."""

    __tablename__ = "notices"
    __table_args__ = (UniqueConstraint("kind", "ref", "recipient", name="uq_notices_kind_ref_recipient"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))
    recipient: Mapped[str] = mapped_column(String(150), index=True)
    counsellor_id: Mapped[str | None] = mapped_column(ForeignKey("counsellors.id", ondelete="CASCADE"))
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    group_id: Mapped[str | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    day: Mapped[date | None] = mapped_column(Date)
    ref: Mapped[str] = mapped_column(String(200))
    args: Mapped[Json | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    mail_status: Mapped[str] = mapped_column(String(20), default="none", server_default="none", index=True)
    mail_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    mail_next_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    mail_error: Mapped[str | None] = mapped_column(String(500))
    mailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FeedbackRow(Base):
    """One anonymous feedback form: from a group at its end, or from a client at the end of their service.

    No client is named. `answers` maps question ids to numbers; `comment` (free text) is shown to
    the county's coordinators only."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    group_id: Mapped[str | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    given_on: Mapped[date] = mapped_column(Date, index=True)
    given_by: Mapped[str] = mapped_column(String(200))
    answers: Mapped[Json] = mapped_column()
    comment: Mapped[str | None] = mapped_column(Text)


class OfferRow(Base):
    """A seat held for a client until they answer: made when a plan is published.

    `status` is pending (it holds the seat: the client counts as the group's participant),
    accepted (it became the seat `enrollment_id`), declined (with `decline_reason`) or
    expired (unanswered by `reply_by`). `starts_on` is the day the seat would start.
    """

    __tablename__ = "offers"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int | None] = mapped_column(Integer)
    """The planning run whose publication made it (kept as a number: runs are purged, offers are not)."""
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    made_on: Mapped[date] = mapped_column(Date)
    starts_on: Mapped[date] = mapped_column(Date)
    reply_by: Mapped[date] = mapped_column(Date)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_by: Mapped[str | None] = mapped_column(String(200))
    decline_reason: Mapped[str | None] = mapped_column(String(20))
    enrollment_id: Mapped[int | None] = mapped_column(Integer)
    remote: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """In a hybrid group: the seat is taken from home."""


class Closure(Base):
    """A date when no session is held."""

    __tablename__ = "closures"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    reason: Mapped[str | None] = mapped_column(String(200))


class TravelOverride(Base):
    """Known travel minutes that replace the formula: hub to hub, or a client's home to a hub."""

    __tablename__ = "travel_overrides"
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    source: Mapped[str] = mapped_column(String(128), primary_key=True)
    hub_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    minutes: Mapped[int] = mapped_column(Integer)


class PlanningRun(Base):
    """One planning run: the problem it saw, the plan, its metrics and its diff."""

    __tablename__ = "planning_runs"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    based_on_version: Mapped[int | None] = mapped_column(Integer)
    problem: Mapped[Json] = mapped_column()
    plan: Mapped[Json | None] = mapped_column()
    metrics: Mapped[Json | None] = mapped_column()
    diff: Mapped[Json | None] = mapped_column()
    progress: Mapped[Json | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ticket: Mapped[str | None] = mapped_column(String(32))
    """The queue message's own key: a worker plans the run only with its ticket (never a stale message's)."""
    worker: Mapped[str | None] = mapped_column(String(200))
    """The worker that took the run from the queue (none: waiting in the queue)."""
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When a worker planning the run last said it is alive (system time, never a test clock)."""
    parts: Mapped[int | None] = mapped_column(Integer)
    """How many independent parts the run was split into (none: planned whole)."""


class AdviceRun(Base):
    """One advice job on a planning run's plan (`scheduler.services.advice`): its candidates are `AdviceCandidate`s.

    `fixed` is the run's problem with every group of the plan pinned and `base` its re-plan
    without any change: each candidate's re-plan (its own queue task) is measured against it.
    """

    __tablename__ = "advice_runs"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("planning_runs.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    """queued, preparing, verifying, complete, stopping, stopped or failed."""
    params: Mapped[Json] = mapped_column()
    """The `AdviceParams`: time limit, each re-plan's seconds, top, seed."""
    fixed: Mapped[Json | None] = mapped_column()
    base: Mapped[Json | None] = mapped_column()
    summary: Mapped[Json | None] = mapped_column()
    """Counts of the preparation (unplaced, waiting clients, candidates drawn, screened out)."""
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    worker: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AdviceCandidate(Base):
    """One candidate change of an advice job, highest screening bound first (`idx`), and its verified result."""

    __tablename__ = "advice_candidates"
    advice_id: Mapped[int] = mapped_column(ForeignKey("advice_runs.id", ondelete="CASCADE"), primary_key=True)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    change: Mapped[Json] = mapped_column()
    bound: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    """queued, running, done, pruned (its bound could not beat the advice found), skipped (stopped) or failed."""
    item: Mapped[Json | None] = mapped_column()
    """The `AdviceItem` once verified."""
    worker: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)


class WhatIf(Base):
    """A named what-if: changes stated on a planning run's plan, planned without touching the real data."""

    __tablename__ = "what_ifs"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("planning_runs.id", ondelete="CASCADE"), index=True)
    changes: Mapped[list[Any]] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default="queued")
    """queued, planning, done or failed."""
    plan: Mapped[Json | None] = mapped_column()
    diff: Mapped[Json | None] = mapped_column()
    """The `WhatIfDiff` against the same re-plan without the changes."""
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(200))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    worker: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PlanningPart(Base):
    """One independent part of a split run (`solver.split`): planned as its own task, merged into the run's plan."""

    __tablename__ = "planning_parts"
    run_id: Mapped[int] = mapped_column(ForeignKey("planning_runs.id", ondelete="CASCADE"), primary_key=True)
    part: Mapped[int] = mapped_column(Integer, primary_key=True)
    clients: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    worker: Mapped[str | None] = mapped_column(String(200))
    progress: Mapped[Json | None] = mapped_column()
    problem: Mapped[Json] = mapped_column()
    params: Mapped[Json] = mapped_column()
    """The part's `SolveParams`: its share of the run's time limit and search effort."""
    plan: Mapped[Json | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)


class PlanningLock(Base):
    """The county's planning lock: the row a run's start locks, so only one run at a time is started."""

    __tablename__ = "planning_locks"
    county: Mapped[str] = mapped_column(String(100), primary_key=True)
    run_id: Mapped[int | None] = mapped_column(Integer)


class OfferingVersion(Base):
    """A published offering: which run made it, when, and which version it replaced.

    `replaces` is unique: two runs planned on the same version cannot both publish.
    """

    __tablename__ = "offering_versions"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    replaces: Mapped[int] = mapped_column(Integer, unique=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("planning_runs.id"))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class AuditEntry(Base):
    """Who changed what, and when."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(100))
    entity_id: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[Json | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)


class ApiToken(Base):
    """A bearer token: only its SHA-256 is stored; the token itself is shown once, when made."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    counsellor_id: Mapped[str | None] = mapped_column(ForeignKey("counsellors.id", ondelete="CASCADE"))
    """The counsellor a counsellor token belongs to (none: a team token that sees only clients without one)."""
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When the token stops working by itself (None: until revoked)."""


class SignInSession(Base):
    """A browser's sign-in to the pages with a token: the cookie holds a random id, only its SHA-256 is stored.

    It ends when signed out (`revoked_at`), after `expires_at`, after too long without a request
    (`last_seen_at`, written at most once a minute) and when its token is revoked or expires.
    """

    __tablename__ = "sign_in_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FeedToken(Base):
    """The secret in a staff member's calendar feed URL: only its SHA-256 is stored; revocable, renewable."""

    __tablename__ = "feed_tokens"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class IdempotencyRecord(Base):
    """The answer to a request made with an idempotency key: a retry gets it again, nothing runs twice."""

    __tablename__ = "idempotency_keys"
    caller: Mapped[str] = mapped_column(String(200), primary_key=True)
    """Whose key it is (`token:<id>`): one caller's key never answers another caller."""
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[Json] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class WaitlistEntry(Base):
    """A client waiting for a seat in a full group, first come first served."""

    __tablename__ = "waitlist"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    status: Mapped[str] = mapped_column(String(20), default="waiting")


class HeadCount(Base):
    """How many came to one session of a pop-up (no roster: a leader counts heads)."""

    __tablename__ = "head_counts"
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    head_count: Mapped[int] = mapped_column(Integer)
    marked_by: Mapped[str] = mapped_column(String(200))
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class PartnerActivity(Base):
    """An activity a partner or third-sector organisation runs: offered by counsellors, never planned.

    Weekly on `day` from `first_date` to `last_date` (open-ended when left out)."""

    __tablename__ = "partner_activities"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    organisation: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(2000))
    municipality: Mapped[str] = mapped_column(String(100))
    place: Mapped[str] = mapped_column(String(300))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    day: Mapped[str] = mapped_column(String(3))
    start: Mapped[str] = mapped_column(String(5))
    end: Mapped[str] = mapped_column(String(5))
    first_date: Mapped[date | None] = mapped_column(Date)
    last_date: Mapped[date | None] = mapped_column(Date)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    theme: Mapped[str] = mapped_column(String(100))
    audience: Mapped[str] = mapped_column(String(100), default="all", server_default="all")
    contact: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(500))
    accessible: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=_now)


class TrialVisit(Base):
    """One session of a group booked for a client to try: holds a seat on that day only, needs no decision.

    `status`: booked, then offered (the counsellor turned it into the offer `offer_id`), ended (let
    go after the visit) or cancelled (before it)."""

    __tablename__ = "trial_visits"
    __table_args__ = (Index("ix_trial_visits_group_day", "group_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="booked")
    booked_by: Mapped[str] = mapped_column(String(200))
    booked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    offer_id: Mapped[int | None] = mapped_column(Integer)


class SheetUpload(Base):
    """A file uploaded on the import page, kept between its preview and the coordinator's go-ahead.

    The files of one upload share its `token` (in `position` order); kept a day at most
    (`scheduler.services.sheets.uploads`), and removed when stored. In the database, not on a disk,
    so the go-ahead may reach another replica than the preview did."""

    __tablename__ = "sheet_uploads"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)


class OfferingStamp(Base):
    """The version of what the offering shows (one row, id 1): moved in the same transaction as every write that
    changes it (`scheduler.storage.offering_stamp`), so an offering kept for a version is the offering of it."""

    __tablename__ = "offering_stamp"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
