"""A small simulated season keeps its books, repeats itself for a seed, and seats everyone when staff abound.

The figures the season reports are checked against the database it ran on, read here on their own
(not through the simulation's `measure`), and every weekly plan against the independent checker.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from scheduler.checker import check
from scheduler.contract import Plan, Problem
from scheduler.contract.reasons import CAPACITY, LEADERS
from scheduler.services.simulation import Season, World, parse_policy, run_season, simulate
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import ClientRow, EnrollmentRow, OfferRow, PlanningRun
from tests.conftest import fresh_postgres

BUSY = World(referrals_per_week=0.1, leave_per_week=0.05, dropout_per_week=0.03, decision_days=(0, 21))
"""More happening in five weeks than the defaults would bring: referrals, leave and dropouts every week."""
TARJOTIN = str(Path(sys.executable).parent / "tarjotin")
SMALL = Season(clients=40, weeks=5, seed=3, world=BUSY, effort=0.5, time_limit=15)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_small_season_keeps_its_books(kind: str, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'season.db'}" if kind == "sqlite" else fresh_postgres()
    run = run_season(SMALL, parse_policy("handbook"), url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            clients = {c.id: c for c in session.scalars(select(ClientRow))}
            seats = list(session.scalars(select(EnrollmentRow)))
            pending = [o for o in session.scalars(select(OfferRow).where(OfferRow.status == "pending"))]
            runs = list(session.scalars(select(PlanningRun).order_by(PlanningRun.id)))
    finally:
        engine.dispose()
    weeks = run.weeks
    assert [w.week for w in weeks] == [1, 2, 3, 4, 5]
    # everyone who arrived is in the database once: the clients at the start and each week's referrals
    assert weeks[0].arrived == SMALL.clients and sum(w.arrived for w in weeks) == len(clients)
    assert sum(w.arrived for w in weeks[1:]) > 0, "the busy world refers new clients"
    for week in weeks:
        assert week.waiting + week.offered + week.seated + week.ended == week.arrived_total
    # the last week's states, read from the rows: each client in one, nobody twice
    active = Counter(s.client_id for s in seats if s.status == "active")
    ended = {cid for cid, c in clients.items() if not c.in_service}
    seated = set(active) - ended
    offered = {o.client_id for o in pending} - seated - ended
    assert not ended & set(active), "a client who left holds no seat"
    assert not ended & {o.client_id for o in pending}, "nor an offer"
    assert (weeks[-1].seated, weeks[-1].offered, weeks[-1].ended) == (len(seated), len(offered), len(ended))
    assert weeks[-1].waiting == len(clients) - len(seated) - len(offered) - len(ended)
    assert all(n <= clients[cid].max_groups_per_week for cid, n in active.items())
    assert len({(s.client_id, s.group_id) for s in seats if s.status == "active"}) == sum(active.values())
    # the cycle really ran: offers answered, sessions held and marked, waits measured, people leaving
    assert sum(w.offers_made for w in weeks) > 0 and sum(w.offers_accepted for w in weeks) > 0
    assert sum(w.sessions_held for w in weeks) > 0 and sum(w.first_sessions for w in weeks) > 0
    assert sum(w.dropouts for w in weeks) + weeks[-1].ended > 0
    assert run.season.first_sessions == sum(w.first_sessions for w in weeks)
    assert sum(run.season.wait_bins.values()) == run.season.first_sessions
    # one published plan a week, each keeping every hard rule by the independent checker
    assert [r.status for r in runs] == ["published"] * SMALL.weeks
    for planned in runs:
        assert check(Problem.model_validate(planned.problem), Plan.model_validate(planned.plan)) == []


def test_the_same_seed_gives_the_same_report_and_policies_share_the_world(tmp_path: Path) -> None:
    """Run here, then again by the command in another process with other string hashes: the same report."""
    season = Season(clients=25, weeks=3, seed=5, world=BUSY, effort=0.3, time_limit=15)
    policies = [parse_policy("handbook"), parse_policy("placement@none")]
    first = simulate(season, policies).dump()
    world = tmp_path / "world.json"
    world.write_text(BUSY.model_dump_json(), encoding="utf-8")
    out = tmp_path / "again.json"
    command = [TARJOTIN, "simulate", "--clients", "25", "--weeks", "3", "--seed", "5", "--effort", "0.3"]
    command += ["--time-limit", "15", "--world", str(world), "--policy", "handbook", "--policy", "placement@none"]
    env = {**os.environ, "PYTHONHASHSEED": "7"}
    subprocess.run([*command, "--out", str(out)], check=True, capture_output=True, timeout=300, env=env)
    assert json.loads(out.read_text(encoding="utf-8")) == first
    handbook, placement = first["policies"]
    assert [w["arrived"] for w in handbook["weeks"]] == [w["arrived"] for w in placement["weeks"]]
    assert placement["leader_reach_minutes"] is None and handbook["leader_reach_minutes"] == 75
    other = simulate(Season(clients=25, weeks=3, seed=6, world=BUSY, effort=0.3, time_limit=15), policies[:1])
    assert other.dump()["policies"][0]["weeks"] != handbook["weeks"]


def test_with_ample_staff_everyone_who_can_be_placed_has_a_seat_within_weeks(tmp_path: Path) -> None:
    world = World(
        staff_scale=4,
        accept=1.0,
        decline=0.0,
        dropout_per_week=0.0,
        leave_per_week=0.0,
        referrals_per_week=0.05,
        decision_days=(0, 7),
    )
    season = Season(clients=40, weeks=5, seed=2, world=world, effort=0.5, time_limit=15)
    run = run_season(season, parse_policy("handbook"), f"sqlite:///{tmp_path / 'ample.db'}")
    engine = make_engine(f"sqlite:///{tmp_path / 'ample.db'}")
    try:
        with session_scope(engine) as session:
            last = session.scalars(select(PlanningRun).order_by(PlanningRun.id.desc()).limit(1)).one()
            clients = list(session.scalars(select(ClientRow).where(ClientRow.in_service)))
            seated = set(session.scalars(select(EnrollmentRow.client_id).where(EnrollmentRow.status == "active")))
    finally:
        engine.dispose()
    plan = Plan.model_validate(last.plan)
    left_out = {u.client: u.reasons for u in plan.unassigned}
    # nobody waits for want of staff or seats: whoever is left out is kept out by their own fit, their decision,
    # or by there being too few others who want their groups at their times (no staff makes a group of one)
    short = {
        cid
        for cid, reasons in left_out.items()
        for r in reasons
        if r.code == LEADERS or (r.code == CAPACITY and (r.args or {}).get("case") != "few_clients")
    }
    assert not short
    monday = season.start + timedelta(weeks=season.weeks - 1)
    settled = [c for c in clients if c.decisions and _in_force_since(c.decisions, monday - timedelta(weeks=2))]
    placeable = [c for c in settled if c.id not in left_out]
    assert len(placeable) >= 0.8 * len(settled) and placeable
    assert {c.id for c in placeable} <= seated, "everyone the planner could place holds a seat"
    assert run.weeks[-1].waiting_past_three_months <= run.weeks[0].waiting_past_three_months


def _in_force_since(decisions: list[dict[str, str]], day: date) -> bool:
    return any(date.fromisoformat(str(d["start"])) <= day <= date.fromisoformat(str(d["end"])) for d in decisions)
