"""Clients in group work, new decisions, and the wait from case opening to the first session.

A client's **first session** is the earliest day, on or after their case opening, on which a
session of a group was held while they had a seat in it (the seat's first to last day). The
days come from the term's sessions (`term_sessions`: holidays, closures, cancelled and moved
sessions as they were); outside the term, where no sessions are stored, the group's weekday
in the seat's days stands in. The wait is the days from the case opening to that day.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from scheduler.contract.service import DECISION_DUE_MONTHS, add_months
from scheduler.contract.times import DAYS
from scheduler.services.figures.model import ClientFigures, WaitingFigures
from scheduler.services.term_sessions import groups_sessions
from scheduler.storage.models import ClientRow, EnrollmentRow, GroupRow, PlanningSettings

__all__ = ["BINS", "client_figures", "first_sessions", "seats_in", "waiting_figures"]

BINS = ("under_1", "1_to_2", "2_to_3", "over_3")
"""The wait in months from the case opening: under one, one to two, two to three, over three."""


def seats_in(session: Session, start: date, end: date) -> list[EnrollmentRow]:
    """Seats active on some day from `start` to `end`: begun by the end, not ended before the start."""
    return list(
        session.scalars(
            select(EnrollmentRow)
            .where(EnrollmentRow.from_date <= end, or_(EnrollmentRow.to_date.is_(None), EnrollmentRow.to_date >= start))
            .order_by(EnrollmentRow.id)
        )
    )


def client_figures(session: Session, start: date, end: date) -> ClientFigures:
    """Clients in group work and the decisions that started in the period."""
    in_work = {seat.client_id for seat in seats_in(session, start, end)}
    decisions, deciding = 0, 0
    for (raw,) in session.execute(select(ClientRow.decisions)):
        starting = sum(start <= date.fromisoformat(str(d["start"])) <= end for d in raw or [])
        decisions += starting
        deciding += starting > 0
    return ClientFigures(in_group_work=len(in_work), new_decisions=decisions, clients_with_new_decision=deciding)


@dataclass(frozen=True)
class _Term:
    start: date
    end: date


def _rhythm_day(weekday: str, after: date, until: date | None) -> date | None:
    """The group's weekday on or after `after` (and not after `until`), for days outside the term."""
    day = after + timedelta(days=(DAYS.index(weekday) - after.weekday()) % 7)
    return day if until is None or day <= until else None


def _first_in_seat(
    seat: EnrollmentRow, group: GroupRow, held: Sequence[date], term: _Term | None, since: date
) -> date | None:
    first, last = max(seat.from_date, since), seat.to_date
    found = [d for d in held if d >= first and (last is None or d <= last)]
    if term is None:
        found.append(_rhythm_day(group.day, first, last) or date.max)
    else:
        if first < term.start:
            before = _rhythm_day(group.day, first, min(last or date.max, term.start - timedelta(days=1)))
            found.append(before or date.max)
        after = _rhythm_day(group.day, max(first, term.end + timedelta(days=1)), last)
        found.append(after or date.max)
    best = min(found, default=date.max)
    return None if best == date.max else best


def first_sessions(session: Session, since: Mapping[str, date]) -> dict[str, date]:
    """Each client's first session on or after their day in `since` (their case opening); none yet: left out."""
    ids = list(since)
    seats = list(session.scalars(select(EnrollmentRow).where(EnrollmentRow.client_id.in_(ids)))) if ids else []
    groups = {g.id: g for g in session.scalars(select(GroupRow).where(GroupRow.id.in_({s.group_id for s in seats})))}
    held = {
        gid: sorted(s.day for s in found if s.held) for gid, found in groups_sessions(session, groups.values()).items()
    }
    frame = session.get(PlanningSettings, 1)
    term = _Term(frame.term_start, frame.term_start + timedelta(weeks=frame.term_weeks, days=-1)) if frame else None
    firsts: dict[str, date] = {}
    for seat in seats:
        day = _first_in_seat(seat, groups[seat.group_id], held.get(seat.group_id, []), term, since[seat.client_id])
        if day is not None and (seat.client_id not in firsts or day < firsts[seat.client_id]):
            firsts[seat.client_id] = day
    return firsts


def _bin(opened: date, first: date) -> str:
    if first < add_months(opened, 1):
        return BINS[0]
    if first < add_months(opened, 2):
        return BINS[1]
    return BINS[2] if first <= add_months(opened, DECISION_DUE_MONTHS) else BINS[3]


def waiting_figures(session: Session, start: date, end: date, today: date | None = None) -> WaitingFigures:
    """The wait from case opening to first session of the clients whose first session is in the period,
    and the clients in service still waiting past three months at the period's end (or today, if the
    period ends later: a future day would count offers not yet answered as waits)."""
    on = end if today is None else min(end, today)
    clients = list(session.scalars(select(ClientRow).where(ClientRow.case_opened <= end).order_by(ClientRow.id)))
    firsts = first_sessions(session, {c.id: c.case_opened for c in clients if c.case_opened is not None})
    waits: list[int] = []
    bins = dict.fromkeys(BINS, 0)
    still = 0
    for client in clients:
        opened, first = client.case_opened, firsts.get(client.id)
        assert opened is not None
        if first is not None and start <= first <= end:
            waits.append((first - opened).days)
            bins[_bin(opened, first)] += 1
        elif client.in_service and (first is None or first > on) and on > add_months(opened, DECISION_DUE_MONTHS):
            still += 1
    unknown = _first_sessions_without_opening(session, start, end)
    return WaitingFigures(
        first_sessions=len(waits),
        median_days=float(statistics.median(waits)) if waits else None,
        bins=bins,
        past_three_months=bins["over_3"],
        still_waiting_past_three_months=still,
        still_waiting_on=on,
        no_case_opening=unknown,
    )


def _first_sessions_without_opening(session: Session, start: date, end: date) -> int:
    """Clients with no case opening on record whose first session ever is in the period (left out of the wait)."""
    unknown = session.scalars(select(ClientRow.id).where(ClientRow.case_opened.is_(None)))
    firsts = first_sessions(session, dict.fromkeys(unknown, date.min))
    return sum(start <= day <= end for day in firsts.values())
