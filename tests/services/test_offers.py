"""Offers on a real database (SQLite and PostgreSQL): publishing offers seats, a counsellor answers, the daily step.

A small scenario is solved once per test session (the solver places a client only where
every rule holds, so accepting re-checks the same rules and passes); each test publishes
that plan on its own database.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, func, select

from scheduler.contract import Plan, Problem
from scheduler.contract.errors import Conflict, Invalid
from scheduler.scenario import generate
from scheduler.services.offering import load_offering
from scheduler.services.offers import (
    OfferNotPending,
    accept_offer,
    daily_step,
    decline_offer,
    list_offers,
    set_offer_terms,
)
from scheduler.services.ownership import Handler, NotYourClient
from scheduler.services.planning.workflow import plan_run, publish_run
from scheduler.services.profiles import client_seats
from scheduler.services.reservations import reserve_seat
from scheduler.services.seats import SeatTaken
from scheduler.services.service_periods import seat_end
from scheduler.storage.database import session_scope
from scheduler.storage.models import (
    AuditEntry,
    ClientRow,
    CounsellorRow,
    EnrollmentRow,
    OfferRow,
    TravelOverride,
)
from scheduler.storage.repository import export_problem, held_seats, import_problem
from solver import SolveParams, solve

PUBLISHED = date(2026, 8, 20)
"""The publish day: before the scenario's term starts, so seats start at the term start."""
NOW = datetime(2026, 8, 21, 9, tzinfo=UTC)
COORDINATOR = Handler("coordinator")


@pytest.fixture(scope="module")
def solved() -> tuple[Problem, Plan]:
    problem = generate(40, seed=5)
    return problem, solve(problem, SolveParams(time_limit=3.0, workers=2))


@pytest.fixture
def published(engine: Engine, solved: tuple[Problem, Plan]) -> Engine:
    """The database with the small scenario imported and its plan published (offers made); the run's id."""
    problem, plan = solved
    with session_scope(engine) as session:
        import_problem(session, problem)
    with session_scope(engine) as session:
        publish_run(session, plan_run(session, lambda _: plan, actor="test"), actor="test", today=PUBLISHED)
    return engine


def again(engine: Engine, plan: Plan) -> None:
    """Plan the same again (everyone keeps their offer) and publish it."""
    with session_scope(engine) as session:
        publish_run(session, plan_run(session, lambda _: plan, actor="test"), actor="test", today=PUBLISHED)


def term_start(engine: Engine) -> date:
    with session_scope(engine) as session:
        return export_problem(session).term.start


def test_publishing_offers_seats_instead_of_seating(published: Engine) -> None:
    engine = published
    start = term_start(engine)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(EnrollmentRow)) == 0
        offers = list(session.scalars(select(OfferRow)))
        assert offers and all(o.status == "pending" for o in offers)
        assert len({o.run_id for o in offers}) == 1
        assert all(o.made_on == PUBLISHED and o.reply_by == date(2026, 8, 27) for o in offers)
        assert all(o.starts_on == max(PUBLISHED, start) for o in offers)
        # the offers hold their seats: free seats drop and the export counts them as participants
        offered = {g.id: g for g in load_offering(session, PUBLISHED)}
        for group_id, group in offered.items():
            held = sum(1 for o in offers if o.group_id == group_id)
            assert group.free_seats == max(group.capacity - held, 0)
        assert held_seats(session) == {(o.client_id, o.group_id) for o in offers}
        first = offers[0]
        assert [s.group_id for s in client_seats(session, first.client_id)] == [first.group_id]
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "publish")).one()
        assert audit.detail["offers_made"] == len(offers) and audit.detail["seats_made"] == 0


def test_publishing_again_keeps_pending_offers_without_duplicates(
    published: Engine, solved: tuple[Problem, Plan]
) -> None:
    engine = published
    with session_scope(engine) as session:
        before = {(o.id, o.client_id, o.group_id) for o in session.scalars(select(OfferRow))}
    pinned = solved[1].model_copy(update={"groups": [g.model_copy(update={"new": False}) for g in solved[1].groups]})
    again(engine, pinned)
    with session_scope(engine) as session:
        after = {(o.id, o.client_id, o.group_id) for o in session.scalars(select(OfferRow))}
        assert after == before


def test_accept_at_once_seats_clients_with_their_service_period_end(
    engine: Engine, solved: tuple[Problem, Plan]
) -> None:
    with session_scope(engine) as session:
        import_problem(session, solved[0])
        set_offer_terms(session, "test", accept_at_once=True)
        placed = solved[1].groups[0].participants[0]
        client = session.get(ClientRow, placed)
        assert client is not None
        client.case_opened, client.decisions = date(2026, 7, 1), [{"start": "2026-08-01", "end": "2027-01-31"}]
    with session_scope(engine) as session:
        publish_run(session, plan_run(session, lambda _: solved[1], actor="test"), actor="test", today=PUBLISHED)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(OfferRow)) == 0
        seats = list(session.scalars(select(EnrollmentRow)))
        assert len(seats) == sum(len(g.participants) for g in solved[1].groups)
        assert all(s.status == "active" for s in seats)
        assert {s.to_date for s in seats if s.client_id == placed} == {date(2027, 1, 31)}
        rows = {c.id: c for c in session.scalars(select(ClientRow))}
        others = [s for s in seats if s.client_id != placed]
        assert all(s.to_date == seat_end(rows[s.client_id], s.from_date) for s in others)
        assert any(s.to_date is not None for s in others)  # the scenario's clients have decisions


def test_accept_makes_the_seat_that_ends_with_the_decision(published: Engine) -> None:
    engine = published
    start = term_start(engine)
    with session_scope(engine) as session:
        offer = session.scalars(select(OfferRow).order_by(OfferRow.id)).first()
        assert offer is not None
        client = session.get(ClientRow, offer.client_id)
        assert client is not None
        client.decisions = [{"start": "2026-08-01", "end": "2027-01-31"}]
        offer_id, group_id = offer.id, offer.group_id
        free_before = load_offering(session, PUBLISHED, only=group_id)[0].free_seats
    with session_scope(engine) as session:
        seat = accept_offer(session, offer_id, COORDINATOR, "coordinator:test", PUBLISHED, NOW)
    assert seat.from_date == start and seat.to_date == date(2027, 1, 31)
    assert seat.free_seats == free_before  # the offer's seat became the client's: no new seat taken
    with session_scope(engine) as session:
        offer = session.get(OfferRow, offer_id)
        assert offer is not None and offer.status == "accepted" and offer.enrollment_id == seat.enrollment_id
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "accept")).one()
        assert entry.detail["enrollment"] == seat.enrollment_id
        with pytest.raises(OfferNotPending, match="accepted"):
            accept_offer(session, offer_id, COORDINATOR, "coordinator:test", PUBLISHED, NOW)


def test_a_late_accept_starts_today(published: Engine) -> None:
    engine = published
    later = date(2027, 2, 1)  # after the term start, and after the reply-by day (the daily step has not run)
    with session_scope(engine) as session:
        offer_id = session.scalars(select(OfferRow.id).order_by(OfferRow.id)).first()
        assert offer_id is not None
        seat = accept_offer(session, offer_id, COORDINATOR, "test", later, NOW)
    assert seat.from_date == later


def test_decline_keeps_the_reason_for_the_next_plan(published: Engine) -> None:
    engine = published
    with session_scope(engine) as session:
        offer = session.scalars(select(OfferRow).order_by(OfferRow.id)).first()
        assert offer is not None
        offer_id, client_id, group_id = offer.id, offer.client_id, offer.group_id
        with pytest.raises(Invalid, match="reason") as bad:
            decline_offer(session, offer_id, COORDINATOR, "test", "bored", PUBLISHED, NOW)
        assert bad.value.errors[0].field == "reason"
    with session_scope(engine) as session:
        decline_offer(session, offer_id, COORDINATOR, "test", "place", PUBLISHED, NOW, note="two buses")
    with session_scope(engine) as session:
        offer = session.get(OfferRow, offer_id)
        client = session.get(ClientRow, client_id)
        assert offer is not None and offer.status == "declined" and offer.decline_reason == "place"
        assert client is not None and client.declined == [{"group": group_id, "reason": "place", "on": "2026-08-20"}]
        assert (client_id, group_id) not in held_seats(session)
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "decline")).one()
        assert entry.note == "two buses" and entry.detail == {"client": client_id, "group": group_id, "reason": "place"}
        exported = export_problem(session)
        assert [d.group for d in next(c for c in exported.clients if c.id == client_id).declined] == [group_id]


def test_the_daily_step_expires_offers_and_completes_finished_seats(published: Engine) -> None:
    engine = published
    with session_scope(engine) as session:
        first, second = list(session.scalars(select(OfferRow).order_by(OfferRow.id).limit(2)))
        seat = accept_offer(session, first.id, COORDINATOR, "test", PUBLISHED, NOW)
        row = session.get(EnrollmentRow, seat.enrollment_id)
        assert row is not None
        row.to_date = date(2026, 8, 30)
    with session_scope(engine) as session:
        assert daily_step(session, date(2026, 8, 27), "test", NOW).expired == 0  # the reply-by day itself
    with session_scope(engine) as session:
        done = daily_step(session, date(2026, 8, 31), "test", NOW)
    assert done.expired > 0 and done.completed == 1
    with session_scope(engine) as session:
        assert session.get(OfferRow, second.id).status == "expired"  # type: ignore[union-attr]
        assert session.get(EnrollmentRow, seat.enrollment_id).status == "completed"  # type: ignore[union-attr]
        assert session.scalar(select(func.count()).where(OfferRow.status == "pending")) == 0
        assert daily_step(session, date(2026, 8, 31), "test", NOW) == type(done)(0, 0)


def test_a_pending_offer_blocks_a_reservation_of_the_same_group(published: Engine) -> None:
    engine = published
    with session_scope(engine) as session:
        offer = session.scalars(select(OfferRow).order_by(OfferRow.id)).first()
        assert offer is not None
        with pytest.raises(SeatTaken, match="accept the offer"):
            reserve_seat(session, offer.group_id, offer.client_id, "test", PUBLISHED)


def test_a_counsellor_answers_only_for_clients_they_handle(published: Engine) -> None:
    engine = published
    with session_scope(engine) as session:
        session.add_all([CounsellorRow(id="anna", name="Anna"), CounsellorRow(id="ben", name="Ben")])
        session.flush()
        offers = list(session.scalars(select(OfferRow).order_by(OfferRow.id)))
        theirs = session.get(ClientRow, offers[0].client_id)
        assert theirs is not None
        theirs.counsellor_id = "ben"
        theirs_id = offers[0].id
    anna = Handler("counsellor", "anna")
    with session_scope(engine) as session:
        with pytest.raises(NotYourClient):
            accept_offer(session, theirs_id, anna, "counsellor:anna", PUBLISHED, NOW)
        with pytest.raises(NotYourClient):
            decline_offer(session, theirs_id, anna, "counsellor:anna", "time", PUBLISHED, NOW)
        assert theirs_id not in {o.id for o in list_offers(session, anna)}
        assert theirs_id in {o.id for o in list_offers(session, Handler("counsellor", "ben"))}
        assert session.get(OfferRow, theirs_id).status == "pending"  # type: ignore[union-attr]


def test_an_accept_and_two_reservations_racing_for_the_last_seat_never_overfill(published: Engine) -> None:
    """The offer holds its own seat; of two reservations for the one seat left, one gets it."""
    engine = published
    with session_scope(engine) as session:
        offer = session.scalars(select(OfferRow).order_by(OfferRow.id)).first()
        assert offer is not None
        offer_id, group_id, holder = offer.id, offer.group_id, offer.client_id
        capacity = load_offering(session, PUBLISHED, only=group_id)[0].capacity
        assert capacity >= 2
        for other in session.scalars(select(OfferRow).where(OfferRow.group_id == group_id, OfferRow.id != offer_id)):
            other.status = "expired"
        others = [c for c in session.scalars(select(ClientRow.id).order_by(ClientRow.id)) if c != holder]
        for client_id in others[: capacity - 2]:  # seats behind the offers' back: one seat stays free
            session.add(EnrollmentRow(client_id=client_id, group_id=group_id, from_date=PUBLISHED))
        model = session.get(ClientRow, holder)
        assert model is not None
        columns = {c.key: getattr(model, c.key) for c in ClientRow.__table__.columns}
        overrides = list(session.scalars(select(TravelOverride).where(TravelOverride.source == holder)))
        for twin in ("twin-1", "twin-2"):  # the holder's twins: the group suits them as it suits the holder
            session.add(ClientRow(**{**columns, "id": twin}))
            for o in overrides:
                session.add(TravelOverride(kind=o.kind, source=twin, hub_id=o.hub_id, minutes=o.minutes))
    with session_scope(engine) as session:
        assert load_offering(session, PUBLISHED, only=group_id)[0].free_seats == 1
    results: dict[str, str] = {}
    barrier = threading.Barrier(3)

    def run(name: str) -> None:
        barrier.wait()
        try:
            with session_scope(engine) as session:
                if name == "accept":
                    accept_offer(session, offer_id, COORDINATOR, "test", PUBLISHED, NOW)
                else:
                    reserve_seat(session, group_id, name, "test", PUBLISHED)
            results[name] = "seated"
        except Conflict as refused:
            results[name] = type(refused).__name__

    threads = [threading.Thread(target=run, args=(name,)) for name in ("accept", "twin-1", "twin-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results["accept"] == "seated"
    assert sorted([results["twin-1"], results["twin-2"]]) == ["GroupFull", "seated"]
    with session_scope(engine) as session:
        active = session.scalar(
            select(func.count()).where(EnrollmentRow.group_id == group_id, EnrollmentRow.status == "active")
        )
        assert active == capacity
