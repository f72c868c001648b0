"""What the people around the planner do in a simulated week, each through the service a person would use.

Counsellors import the week's referrals (`sheets.import_sheets`, a clients sheet as a coordinator
uploads it), continue or end decisions, and answer offers with their clients (`offers`); clients drop
out (`reservations.cancel_seat`); leaders record attendance (`attendance.mark_attendance`); a
coordinator finds a substitute for a leader on leave (`substitutes`, `session_changes`) or cancels
the session, and calls off a group that stayed below its minimum (`session_changes.cancel_group`).
Every chance is drawn from a random stream keyed by the seed and what it is about (`Draws`), so the
same client meets the same luck under every policy of a report.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract.errors import Invalid, TarjotinError
from scheduler.contract.service import DECLINE_REASONS, add_months
from scheduler.services.attendance import Mark, mark_attendance, read_attendance
from scheduler.services.clock import HELSINKI
from scheduler.services.offers import accept_offer, decline_offer
from scheduler.services.ownership import Handler
from scheduler.services.reservations import cancel_seat
from scheduler.services.service_periods import decisions_of, end_service, sync_seat_ends
from scheduler.services.session_changes import cancel_group, cancel_session, change_session
from scheduler.services.sheets.imports import import_sheets
from scheduler.services.sheets.write import csv_bytes, record_rows
from scheduler.services.simulation.world import World
from scheduler.services.substitutes import suggest_substitutes
from scheduler.services.term_sessions import TermSession
from scheduler.storage.enrollments import groups_below_minimum
from scheduler.storage.models import AuditEntry, ClientRow, EnrollmentRow, OfferRow

__all__ = [
    "ACTOR",
    "COORDINATOR",
    "Draws",
    "LeaveCover",
    "answer_offers",
    "call_off_small_groups",
    "cover_leave",
    "drop_out",
    "end_or_continue",
    "import_referrals",
    "mark_sessions",
    "noon",
]

ACTOR = "simulation"
COORDINATOR = Handler("coordinator")
CONTINUE_AHEAD_DAYS = 28
"""A counsellor decides on a continuation this many days before the decision ends."""


def noon(day: date) -> datetime:
    """The moment written on the day's records: noon in Helsinki."""
    return datetime.combine(day, time(12), ZoneInfo(HELSINKI))


@dataclass(frozen=True)
class Draws:
    """The season's luck: one uniform draw in [0, 1) for each thing it is about."""

    seed: int

    def rng(self, *about: object) -> random.Random:
        return random.Random(f"tarjotin:{self.seed}:" + "/".join(str(a) for a in about))

    def chance(self, *about: object) -> float:
        return self.rng(*about).random()


def import_referrals(session: Session, referrals: list[dict[str, object]], today: date) -> int:
    """The week's new clients, imported as a clients sheet (CSV) through the coordinators' import; how many.

    A fault in the file is a bug of the simulation's world, so it is raised (Invalid) with the first faults."""
    if not referrals:
        return 0
    files = [("clients.csv", csv_bytes(record_rows("clients", referrals)))]
    preview, stored = import_sheets(session, files, ACTOR, today=today)
    if stored is None:
        faults = "; ".join(fault.text("en") for fault in preview.faults[:3])
        raise Invalid.of("referrals", f"the week's referrals did not import: {faults}")
    return len(preview.created.get("clients", []))


def end_or_continue(session: Session, world: World, draws: Draws, today: date) -> tuple[int, int]:
    """Decisions ending within `CONTINUE_AHEAD_DAYS` are continued by chance (up to the service cap), and
    clients whose decisions are all over leave the service; (continued, ended)."""
    continued = ended = 0
    for client in session.scalars(select(ClientRow).where(ClientRow.in_service).order_by(ClientRow.id)):
        decisions = decisions_of(client)
        if not decisions:
            continue
        last = max(decisions, key=lambda d: d.end)
        first = min(d.start for d in decisions)
        cap = add_months(first, world.service_months) - timedelta(days=1)
        if last.end < today:
            if not _seated(session, client.id):
                end_service(session, client, today, ACTOR)
                ended += 1
            continue
        due = last.end - timedelta(days=CONTINUE_AHEAD_DAYS)
        if due <= today and last.end < cap and draws.chance("continue", client.id, last.end) < world.continuation:
            start = last.end + timedelta(days=1)
            end = min(add_months(start, world.decision_months) - timedelta(days=1), cap)
            client.decisions = [*(client.decisions or []), {"start": start.isoformat(), "end": end.isoformat()}]
            sync_seat_ends(session, client)
            session.add(
                AuditEntry(
                    at=noon(today),
                    actor=ACTOR,
                    action="update",
                    entity="client",
                    entity_id=client.id,
                    detail={"decision": {"start": start.isoformat(), "end": end.isoformat()}},
                )
            )
            continued += 1
    session.flush()
    return continued, ended


def _seated(session: Session, client_id: str) -> bool:
    return (
        session.scalar(
            select(EnrollmentRow.id).where(EnrollmentRow.client_id == client_id, EnrollmentRow.status == "active")
        )
        is not None
    )


def answer_offers(session: Session, world: World, draws: Draws, today: date) -> tuple[int, int]:
    """Offers whose answer day is today are accepted or declined by each client's luck (the rest wait to
    expire); (accepted, declined). An acceptance the seat rules now refuse becomes a decline (`group`)."""
    accepted = declined = 0
    pending = session.scalars(select(OfferRow).where(OfferRow.status == "pending").order_by(OfferRow.id))
    for offer in list(pending):
        about = (
            offer.client_id,
            offer.group_id,
            offer.made_on,
        )  # the same offer under every policy meets the same luck
        days = draws.rng("answer-day", *about).randint(*world.answer_days)
        if offer.made_on + timedelta(days=days) != today or today > offer.reply_by:
            continue
        luck = draws.chance("answer", *about)
        reason = draws.rng("decline", *about).choice(DECLINE_REASONS)
        if luck < world.accept:
            try:
                with session.begin_nested():
                    accept_offer(session, offer.id, COORDINATOR, ACTOR, today, noon(today))
                accepted += 1
                continue
            except TarjotinError:
                reason = "group"  # the seat rules refuse it now (the group filled up): the client says no to it
        elif luck >= world.accept + world.decline:
            continue  # no answer: the offer expires with the daily step
        decline_offer(session, offer.id, COORDINATOR, ACTOR, reason, today, noon(today))
        declined += 1
    return accepted, declined


def drop_out(session: Session, world: World, draws: Draws, week: int, today: date) -> int:
    """Participants who give up this week (by their luck) leave their groups and the service; how many."""
    seats: dict[str, list[str]] = {}
    for client_id, group_id in session.execute(
        select(EnrollmentRow.client_id, EnrollmentRow.group_id)
        .where(EnrollmentRow.status == "active")
        .order_by(EnrollmentRow.client_id, EnrollmentRow.id)
    ):
        seats.setdefault(client_id, []).append(group_id)
    gone = 0
    for client_id, groups in seats.items():
        if draws.chance("dropout", client_id, week) >= world.dropout_per_week:
            continue
        for index, group_id in enumerate(groups):
            last = index == len(groups) - 1
            cancel_seat(session, group_id, client_id, ACTOR, today, reason="own_wish", leaves_service=last)
        gone += 1
    return gone


def mark_sessions(
    session: Session, world: World, draws: Draws, held: Sequence[tuple[str, TermSession]], today: date
) -> tuple[int, int]:
    """The leaders record each session held today: present, or absent by the participant's luck (told
    beforehand or not); (marks, absences)."""
    marks = absences = 0
    for group_id, term in held:
        found = read_attendance(session, group_id, term.planned)
        lines = []
        for person in found.participants:
            if person.trial:
                continue
            luck = draws.chance("absence", person.client_id, term.planned)
            if luck < world.absence:
                told = draws.chance("excused", person.client_id, term.planned) < world.excused
                lines.append(Mark("excused" if told else "absent", client_id=person.client_id))
                absences += 1
            else:
                lines.append(Mark("present", client_id=person.client_id))
        if lines:
            mark_attendance(session, group_id, term.planned, lines, ACTOR, today, noon(today))
            marks += len(lines)
    return marks, absences


@dataclass(frozen=True)
class LeaveCover:
    """The week's sessions of leaders on leave: led by a substitute, or cancelled."""

    substituted: int
    cancelled: int


def cover_leave(session: Session, away: set[str], week: Sequence[tuple[str, TermSession]], monday: date) -> LeaveCover:
    """For each session of the week whose leader is away, the best free substitute who is not away takes it
    (`substitutes.suggest_substitutes`, checked again by `change_session`); with none, it is cancelled."""
    substituted = cancelled = 0
    for group_id, term in week:
        leaving = [leader for leader in term.leaders if leader in away]
        if not leaving or not term.held:
            continue
        team = list(term.leaders)
        for leader in leaving:
            found = suggest_substitutes(session, group_id, term.planned, replacing=leader)
            chosen = next((s for s in found.substitutes if s.fits and s.staff_id not in away), None)
            if chosen is None:
                team = []
                break
            team[team.index(leader)] = chosen.staff_id
        try:
            if not team:
                raise Invalid.of("leaders", "no substitute is free")
            with session.begin_nested():
                change_session(session, group_id, term.planned, {"leaders": team}, ACTOR, noon(monday))
            substituted += 1
        except TarjotinError:
            cancel_session(session, group_id, term.planned, "leader on leave", ACTOR, noon(monday))
            cancelled += 1
    return LeaveCover(substituted, cancelled)


def call_off_small_groups(session: Session, world: World, streaks: dict[str, int], today: date) -> list[str]:
    """Groups below their minimum this many weeks in a row are called off from `today`; their ids.
    `streaks` (group → weeks below) is carried from week to week."""
    below = {s.group_id for s in groups_below_minimum(session)}
    for group_id in list(streaks):
        if group_id not in below:
            del streaks[group_id]
    called_off = []
    for group_id in sorted(below):
        streaks[group_id] = streaks.get(group_id, 0) + 1
        if streaks[group_id] >= world.close_below_minimum_weeks:
            cancel_group(session, group_id, today, "below its minimum size", ACTOR, noon(today))
            called_off.append(group_id)
            del streaks[group_id]
    return called_off
