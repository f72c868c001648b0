"""Retention: what is kept about people, and for how long (`tarjotin purge`).

Three ages, each from the settings (`Settings.retention`) unless one age is given for all:

- planning runs (`TARJOTIN_RUN_RETENTION_DAYS`, 90 days from when the run was made):
  a run holds every waiting client's profile. Deleted, except a run in progress and the
  run the live offering (the newest offering version) came from, which the pages of
  unplaced clients read; an older offering version keeps its row without its run;
- stored idempotent answers (`TARJOTIN_IDEMPOTENCY_RETENTION_HOURS`, 24 hours): a retry
  comes within minutes; deleted;
- ended seats (`TARJOTIN_RETENTION_DAYS`, 730 days from the seat's last day): the seat row
  is deleted and its group and status counted in the purge's audit entry, as an erasure
  does (see `scheduler.services.erasure`: `seat_history` still counts it); waiting-list
  places no longer waiting, from when they were made, are deleted; offers answered (accepted,
  declined), expired or withdrawn that long ago (from their answer, else their reply-by day)
  are deleted and counted by status; attendance marks of sessions that long ago and notices
  made that long ago are deleted and counted; trial visits offered, let end or cancelled whose day
  is that long ago are deleted and counted (a booked one is kept: it still waits for its counsellor);
  audit entries of that age keep what was done but the client's id becomes `erased`.

A seat that ended without a last day, and a seat still active, are kept. The purge is
recorded as an audit entry (action `purge`, entity `retention`) with its counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from scheduler.services.erasure import BUSY, ERASED, SEAT_COUNTS, seat_counts
from scheduler.settings import Settings
from scheduler.storage.models import (
    AttendanceRow,
    AuditEntry,
    EnrollmentRow,
    IdempotencyRecord,
    NoticeRow,
    OfferingVersion,
    OfferRow,
    PlanningRun,
    TrialVisit,
    WaitlistEntry,
)

__all__ = ["Ages", "Purge", "ages_of", "purge"]

_CLIENT_KEYS = ("client", "client_id")


@dataclass(frozen=True)
class Ages:
    """How old each kind of record may grow before the purge removes it."""

    runs: timedelta
    idempotency_keys: timedelta
    seats: timedelta


def ages_of(settings: Settings, older_than_days: int | None = None) -> Ages:
    """The ages in the settings, or one age (in days) for everything."""
    if older_than_days is not None:
        one = timedelta(days=older_than_days)
        return Ages(one, one, one)
    return Ages(
        runs=timedelta(days=settings.run_retention_days),
        idempotency_keys=timedelta(hours=settings.idempotency_retention_hours),
        seats=timedelta(days=settings.retention_days),
    )


@dataclass
class Purge:
    """What a purge removed, or would remove (a dry run)."""

    runs: int = 0
    idempotency_keys: int = 0
    seats: dict[str, dict[str, int]] = field(default_factory=dict)
    waitlist: int = 0
    offers: dict[str, int] = field(default_factory=dict)
    attendance: int = 0
    notices: int = 0
    trial_visits: int = 0
    audit_entries: int = 0

    @property
    def seat_total(self) -> int:
        return sum(sum(by_status.values()) for by_status in self.seats.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "runs_removed": self.runs,
            "idempotency_keys_removed": self.idempotency_keys,
            SEAT_COUNTS: self.seats,
            "waitlist_removed": self.waitlist,
            "offers_removed": self.offers,
            "attendance_removed": self.attendance,
            "notices_removed": self.notices,
            "trial_visits_removed": self.trial_visits,
            "audit_entries_scrubbed": self.audit_entries,
        }


def purge(session: Session, ages: Ages, actor: str, now: datetime, dry_run: bool = False) -> Purge:
    """Remove what is older than its age (counts only with `dry_run`); the caller commits."""
    now = now.astimezone(UTC)
    done = Purge()
    runs = _old_runs(session, now - ages.runs)
    done.runs = len(runs)
    old_key = IdempotencyRecord.created_at < now - ages.idempotency_keys
    done.idempotency_keys = int(session.scalar(select(func.count()).where(old_key)) or 0)
    seat_cut = (now - ages.seats).date()
    seats = list(
        session.scalars(
            select(EnrollmentRow).where(
                EnrollmentRow.status != "active",
                EnrollmentRow.to_date.is_not(None),
                EnrollmentRow.to_date < seat_cut,
            )
        )
    )
    done.seats = seat_counts(seats)
    old_wait = (WaitlistEntry.status != "waiting") & (WaitlistEntry.added_at < now - ages.seats)
    done.waitlist = int(session.scalar(select(func.count()).where(old_wait)) or 0)
    old_offer = (OfferRow.status != "pending") & or_(
        and_(OfferRow.answered_at.is_not(None), OfferRow.answered_at < now - ages.seats),
        and_(OfferRow.answered_at.is_(None), OfferRow.reply_by < seat_cut),
    )
    done.offers = {
        status: int(n)
        for status, n in session.execute(
            select(OfferRow.status, func.count()).where(old_offer).group_by(OfferRow.status).order_by(OfferRow.status)
        )
    }
    old_mark = AttendanceRow.day < seat_cut
    done.attendance = int(session.scalar(select(func.count()).select_from(AttendanceRow).where(old_mark)) or 0)
    old_notice = NoticeRow.created_at < now - ages.seats
    done.notices = int(session.scalar(select(func.count()).select_from(NoticeRow).where(old_notice)) or 0)
    old_visit = (TrialVisit.status != "booked") & (TrialVisit.day < seat_cut)
    done.trial_visits = int(session.scalar(select(func.count()).select_from(TrialVisit).where(old_visit)) or 0)
    entries = [
        entry
        for entry in session.scalars(select(AuditEntry).where(AuditEntry.at < now - ages.seats))
        if isinstance(entry.detail, dict) and any(entry.detail.get(key) not in (None, ERASED) for key in _CLIENT_KEYS)
    ]
    done.audit_entries = len(entries)
    if dry_run:
        return done
    if runs:
        session.execute(update(OfferingVersion).where(OfferingVersion.run_id.in_(runs)).values(run_id=None))
        session.execute(delete(PlanningRun).where(PlanningRun.id.in_(runs)))
    session.execute(delete(IdempotencyRecord).where(old_key))
    for seat in seats:
        session.delete(seat)
    session.execute(delete(WaitlistEntry).where(old_wait))
    session.execute(delete(OfferRow).where(old_offer))
    session.execute(delete(AttendanceRow).where(old_mark))
    session.execute(delete(NoticeRow).where(old_notice))
    session.execute(delete(TrialVisit).where(old_visit))
    for entry in entries:
        assert isinstance(entry.detail, dict)
        entry.detail = {key: ERASED if key in _CLIENT_KEYS and value else value for key, value in entry.detail.items()}
    session.add(
        AuditEntry(actor=actor[:200], action="purge", entity="retention", entity_id=None, detail=done.to_json())
    )
    session.flush()
    return done


def _old_runs(session: Session, cut: datetime) -> list[int]:
    """Runs made before the cut, but not one in progress nor the one the live offering came from."""
    live = session.scalar(select(OfferingVersion.run_id).order_by(OfferingVersion.id.desc()).limit(1))
    query = select(PlanningRun.id).where(PlanningRun.created_at < cut, PlanningRun.status.not_in(BUSY))
    if live is not None:
        query = query.where(PlanningRun.id != live)
    return list(session.scalars(query.order_by(PlanningRun.id)))
