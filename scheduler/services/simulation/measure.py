"""The figures of a simulated week and season, read from the database the season ran on.

Waits and offers are the county figures' own (`scheduler.services.figures`: `waiting_figures`,
`offer_figures`, `first_sessions`), so a simulated figure means what the county's report means.
The bookkeeping places everyone who arrived in exactly one state (`states`).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.contract.service import DECISION_DUE_MONTHS, add_months
from scheduler.contract.times import minutes
from scheduler.contract.travel import hub_car_minutes
from scheduler.services.figures.activity import offer_figures, share
from scheduler.services.figures.clients import first_sessions, waiting_figures
from scheduler.services.simulation.report import WAIT_BINS, SeasonFigures, WeekFigures
from scheduler.services.term_sessions import TermSession
from scheduler.storage.enrollments import groups_below_minimum
from scheduler.storage.models import (
    ClientRow,
    EnrollmentRow,
    GroupModelRow,
    GroupRow,
    HubRow,
    OfferRow,
    StaffRow,
    TravelOverride,
)

__all__ = ["STATES", "WeekLog", "season_figures", "session_effort", "states", "week_figures"]

STATES = ("waiting", "offered", "seated", "ended")


@dataclass
class WeekLog:
    """What the week's steps counted as they went (the rest is read from the database at the week's end)."""

    arrived: int = 0
    groups_opened: int = 0
    groups_closed: int = 0
    sessions_held: int = 0
    sessions_cancelled: int = 0
    substitutes: int = 0
    staff_on_leave: int = 0
    staff_minutes: int = 0
    driving_minutes: int = 0
    dropouts: int = 0
    absences: int = 0
    notes: list[str] = field(default_factory=list)


def states(session: Session) -> dict[str, str]:
    """Each client's one state: ended (left the service), seated (an active seat), offered (a pending
    offer), else waiting."""
    seated = set(session.scalars(select(EnrollmentRow.client_id).where(EnrollmentRow.status == "active")))
    offered = set(session.scalars(select(OfferRow.client_id).where(OfferRow.status == "pending")))
    found: dict[str, str] = {}
    for client_id, in_service in session.execute(select(ClientRow.id, ClientRow.in_service)):
        if not in_service:
            found[client_id] = "ended"
        elif client_id in seated:
            found[client_id] = "seated"
        elif client_id in offered:
            found[client_id] = "offered"
        else:
            found[client_id] = "waiting"
    return found


def session_effort(session: Session, held: Sequence[TermSession]) -> tuple[int, int]:
    """Leaders' minutes in the sessions, and their drives from their base hub there and back, in minutes."""
    bases = {staff_id: hub for staff_id, hub in session.execute(select(StaffRow.id, StaffRow.base_hub))}
    places = {h.id: (h.lat, h.lon) for h in session.scalars(select(HubRow))}
    overrides: dict[str, dict[str, int]] = {}
    for row in session.scalars(select(TravelOverride).where(TravelOverride.kind == "hub")):
        overrides.setdefault(row.source, {})[row.hub_id] = row.minutes
    led = driven = 0
    for term in held:
        length = minutes(term.end) - minutes(term.start)
        for leader in term.leaders:
            led += length
            if term.hub_id is not None and leader in bases:
                driven += 2 * (hub_car_minutes(bases[leader], term.hub_id, places, overrides) or 0)
    return led, driven


def week_figures(session: Session, week: int, monday: date, log: WeekLog, arrived_total: int) -> WeekFigures:
    """The week as it stood on its Sunday."""
    sunday = monday + timedelta(days=6)
    counted = states(session)
    waits = waiting_figures(session, monday, sunday, today=sunday)
    offers = offer_figures(session, monday, sunday)
    running = select(GroupRow.id, GroupRow.template_id, GroupRow.leaders).where(GroupRow.status == "running")
    sizes = {model: size for model, size in session.execute(select(GroupModelRow.id, GroupModelRow.max_size))}
    groups = [(template, len(leaders or [])) for _, template, leaders in session.execute(running)]
    used = session.scalar(
        select(func.count())
        .select_from(EnrollmentRow)
        .join(GroupRow, GroupRow.id == EnrollmentRow.group_id)
        .where(EnrollmentRow.status == "active", GroupRow.status == "running")
    )
    values = list(counted.values())
    return WeekFigures(
        week=week,
        monday=monday,
        arrived=log.arrived,
        arrived_total=arrived_total,
        **{state: values.count(state) for state in STATES},
        waiting_past_three_months=waits.still_waiting_past_three_months,
        first_sessions=waits.first_sessions,
        median_wait_days=waits.median_days,
        offers_made=offers.made,
        offers_accepted=offers.accepted,
        offers_declined=offers.declined,
        offers_expired=offers.expired,
        groups_running=len(groups),
        groups_opened=log.groups_opened,
        groups_closed=log.groups_closed,
        groups_below_minimum=len(groups_below_minimum(session)),
        groups_two_leaders=sum(1 for _, leaders in groups if leaders >= 2),
        seats_used=int(used or 0),
        seats=sum(sizes.get(template, 0) for template, _ in groups),
        sessions_held=log.sessions_held,
        sessions_cancelled=log.sessions_cancelled,
        substitutes=log.substitutes,
        staff_on_leave=log.staff_on_leave,
        staff_minutes=log.staff_minutes,
        driving_minutes=log.driving_minutes,
        dropouts=log.dropouts,
        absences=log.absences,
    )


def _percentile(values: list[int], share_: float) -> float | None:
    """The nearest-rank percentile (a wait some client really had), none for no values."""
    if not values:
        return None
    return float(sorted(values)[math.ceil(share_ * len(values)) - 1])


def season_figures(session: Session, start: date, end: date, weeks: list[WeekFigures]) -> SeasonFigures:
    """The whole season from its first Monday to its last Sunday."""
    clients = list(session.scalars(select(ClientRow).where(ClientRow.case_opened.is_not(None))))
    opened = {c.id: c.case_opened for c in clients if c.case_opened is not None}
    firsts = first_sessions(session, opened)
    waits = [(day - opened[cid]).days for cid, day in firsts.items() if start <= day <= end]
    bins = dict.fromkeys((key for key, _, _ in WAIT_BINS), 0)
    for days in waits:
        for key, least, after in WAIT_BINS:
            if days >= least and (after is None or days < after):
                bins[key] += 1
    late = sum(
        1 for cid, day in firsts.items() if start <= day <= end and day > add_months(opened[cid], DECISION_DUE_MONTHS)
    )
    still = waiting_figures(session, start, end, today=end)
    offers = offer_figures(session, start, end)
    counted = list(states(session).values())
    uses = [share(w.seats_used, w.seats) for w in weeks if w.seats]
    pairs = [share(w.groups_two_leaders, w.groups_running) for w in weeks if w.groups_running]
    return SeasonFigures(
        arrived=len(counted),
        first_sessions=len(waits),
        median_wait_days=float(statistics.median(waits)) if waits else None,
        p90_wait_days=_percentile(waits, 0.9),
        mean_wait_days=round(statistics.fmean(waits), 1) if waits else None,
        wait_bins=bins,
        past_three_months=late,
        still_waiting_past_three_months=still.still_waiting_past_three_months,
        still_waiting=counted.count("waiting") + counted.count("offered"),
        offers_made=offers.made,
        offers_accepted=offers.accepted,
        offers_declined=offers.declined,
        offers_expired=offers.expired,
        offers_withdrawn=offers.withdrawn,
        groups_opened=sum(w.groups_opened for w in weeks),
        groups_closed=sum(w.groups_closed for w in weeks),
        mean_groups_below_minimum=round(statistics.fmean(w.groups_below_minimum for w in weeks), 2) if weeks else 0,
        mean_two_leader_share=round(statistics.fmean(p for p in pairs if p is not None), 4) if pairs else None,
        mean_seats_used=round(statistics.fmean(w.seats_used for w in weeks), 1) if weeks else 0,
        mean_seat_use=round(statistics.fmean(u for u in uses if u is not None), 4) if uses else None,
        staff_minutes=sum(w.staff_minutes for w in weeks),
        driving_minutes=sum(w.driving_minutes for w in weeks),
        dropouts=sum(w.dropouts for w in weeks),
        ended=counted.count("ended"),
    )
