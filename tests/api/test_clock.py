"""The application reads the date and time from one clock: a fixed clock moves "today" everywhere at once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.deps import clock_of
from scheduler.contract.term import term_end
from scheduler.services.clock import FixedClock
from scheduler.services.planning.runs import HEARTBEAT_TIMEOUT
from scheduler.services.planning.workflow import plan_run
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import EnrollmentRow, GroupRow, PlanningRun
from tests.api.conftest import Service, fitting_clients
from tests.api.sign_in import sign_in
from tests.planning_stub import keep_and_open

DAY = date(2027, 2, 3)
"""A Wednesday in the scenario's term (from Monday 11 January 2027); the computer's clock is before the term."""


@contextmanager
def app_on(service: Service, clock: FixedClock) -> Iterator[TestClient]:
    """The application over the service's database, on the clock."""
    app = create_app(Settings(database_url=service.url), clock=clock)
    with TestClient(app, base_url="http://tarjotin.test") as client:
        with app.state.sessions() as db:
            assert clock_of(db) is clock, "checks that get only a session read the same clock"
        yield client
    app.state.engine.dispose()


def test_the_offering_and_reservations_start_from_the_clocks_day(service: Service) -> None:
    before = service.client.get("/offering", params={"free_only": True, "limit": 500}).json()["items"]
    group = max(before, key=lambda g: (g["free_seats"], g["id"]))
    assert group["next_sessions"][0] < DAY.isoformat(), "on the computer's clock the term is still to come"
    client_id = fitting_clients(service, group, 1, "clock")[0]
    with app_on(service, FixedClock.on(DAY)) as client:
        offered = client.get(f"/offering/{group['id']}").json()
        assert DAY.isoformat() <= offered["next_sessions"][0] < (DAY + timedelta(days=7)).isoformat()
        seat = client.post(
            f"/groups/{group['id']}/enrollments", json={"client_id": client_id}, headers=service.as_("counsellor")
        )
        assert seat.status_code == 201 and seat.json()["from_date"] == DAY.isoformat()


def test_a_draft_published_through_the_api_seats_clients_from_the_clocks_day(service: Service) -> None:
    engine = make_engine(service.url)
    with session_scope(engine) as session:
        run_id = plan_run(session, keep_and_open, actor="test").id
    with app_on(service, FixedClock.on(DAY)) as client:
        answer = client.post(f"/plans/{run_id}/publish", headers=service.as_("coordinator"))
        assert answer.status_code == 200, answer.text
    with session_scope(engine) as session:
        new = session.scalars(select(EnrollmentRow.from_date).where(EnrollmentRow.group_id.like("stub-%"))).all()
    engine.dispose()
    assert new and set(new) == {DAY}


def test_planning_runs_end_at_the_clocks_moment(service: Service) -> None:
    clock = FixedClock.on(DAY)
    with service.session() as session:
        silent = datetime.now(UTC) - timedelta(seconds=HEARTBEAT_TIMEOUT + 1)
        left = PlanningRun(
            status="running", based_on_version=1, problem=service.problem.dump(), worker="gone", heartbeat_at=silent
        )
        session.add(left)
        session.commit()
        run_id = left.id
    with app_on(service, clock):
        pass  # the start-up finds the run whose worker died
    with service.session() as session:
        run = session.get(PlanningRun, run_id)
        assert run is not None and run.status == "failed" and run.finished_at is not None
        assert run.finished_at.replace(tzinfo=None) == clock.now().replace(tzinfo=None)


def test_the_feeds_keep_a_cancelled_group_until_the_clock_passes_its_term(service: Service) -> None:
    group = service.plan.groups[0]
    with service.session() as session:
        row = session.get(GroupRow, group.id)
        assert row is not None
        row.status = "cancelled"
        session.commit()
    uid = f"UID:{group.id}-{service.problem.term.start.isoformat()}@tarjotin"
    last_day = term_end(service.problem.term.start, service.problem.term.weeks)
    for day, shown in ((DAY, True), (last_day + timedelta(days=1), False)):
        with app_on(service, FixedClock.on(day)) as client:
            feed = client.get("/calendars/offering.ics")
            unfolded = feed.text.replace("\r\n ", "")
            assert feed.status_code == 200 and (uid in unfolded) is shown, day


def test_the_coordinators_pages_count_waiting_days_to_the_clocks_day(service: Service) -> None:
    waiting = service.plan.unassigned[0].client
    since = next(c.waiting_since for c in service.problem.clients if c.id == waiting)
    token = service.as_("coordinator")["Authorization"].split()[1]
    for day in (DAY, DAY + timedelta(days=10)):
        with app_on(service, FixedClock.on(day)) as client:
            sign_in(client, token)
            page = client.get("/week/unplaced")
        row = re.search(rf'<th scope="row">{re.escape(waiting)}</th>.*?<td class="num">(\d+)', page.text, re.S)
        assert page.status_code == 200 and row is not None
        assert int(row.group(1)) == (day - since).days
