"""A season, week after week, on a database of its own: the county's weekly cycle with nothing faked.

Each week, on its Monday: the previous week's referrals are imported (a clients sheet through the
coordinators' import), counsellors continue or end decisions, the daily step runs (offers expire,
seats end with their decisions), some participants give up, and the coordinator plans
(`planning.flow.plan_run`, the real solver under the week's policy) and publishes
(`planning.workflow.publish_run`: offers made). Staff who start a leave have their week's sessions
covered by a substitute or cancelled. Then day by day: clients answer offers, the daily step runs,
and leaders record attendance. On Sunday the coordinator calls off the groups that stayed below their
minimum too long, and the week's figures are read (`measure`).

Each policy's season runs on its own fresh SQLite database from the same scenario and the same luck
(`steps.Draws`), so the policies differ only by what the planner does.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

import solver
from scheduler.contract import Plan, Problem
from scheduler.scenario import DEFAULT_REGION, DEFAULT_TERM_START, closures, find_region
from scheduler.scenario.generate import problem_document
from scheduler.scenario.referrals import week_referrals
from scheduler.services.clock import FixedClock
from scheduler.services.offers import daily_step
from scheduler.services.planning.diff import run_diff
from scheduler.services.planning.flow import plan_run
from scheduler.services.planning.workflow import publish_run
from scheduler.services.simulation.measure import WeekLog, season_figures, session_effort, week_figures
from scheduler.services.simulation.policies import SimPolicy
from scheduler.services.simulation.report import PolicyRun, SimulationReport, WeekFigures
from scheduler.services.simulation.steps import (
    ACTOR,
    Draws,
    answer_offers,
    call_off_small_groups,
    cover_leave,
    drop_out,
    end_or_continue,
    import_referrals,
    mark_sessions,
    noon,
)
from scheduler.services.simulation.world import World
from scheduler.services.term_sessions import TermSession, groups_sessions, scheduled_groups
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope, upgrade
from scheduler.storage.models import CounsellorRow, StaffRow
from scheduler.storage.repository import import_problem

__all__ = ["Season", "WeekDone", "run_season", "simulate"]

WeekDone = Callable[[str, WeekFigures, float], None]
"""Told after each week: the policy's label, the week's figures and the seconds the week took."""


@dataclass(frozen=True)
class Season:
    """What is simulated: a region's scenario, how long, in which world, and each weekly solve's limits."""

    region: str = DEFAULT_REGION
    clients: int = 400
    weeks: int = 26
    seed: int = 1
    world: World = field(default_factory=World)
    time_limit: float = 20.0
    """Each weekly solve's wall-clock limit in seconds."""
    effort: float = 2.0
    """Each weekly solve's deterministic effort (CP-SAT deterministic seconds): the search ends on it, so the same
    seed gives the same plans, and the report."""
    workers: int = 2
    start: date = DEFAULT_TERM_START

    def problem(self) -> Problem:
        """The scenario at the season's start: its waiting clients, and staff and rooms for `staff_scale` times them;
        one term the length of the season."""
        scaled = max(self.clients, round(self.clients * self.world.staff_scale))
        document = problem_document(scaled, self.seed, self.start, self.region)
        document["clients"] = document["clients"][: self.clients]
        document["term"] = {"start": self.start, "weeks": self.weeks}
        document["closures"] = closures(self.start, self.weeks)
        return Problem.model_validate(document)

    def params(self) -> solver.SolveParams:
        return solver.SolveParams(
            time_limit=self.time_limit, workers=self.workers, seed=self.seed, effort=self.effort, deterministic=True
        )


def simulate(
    season: Season, policies: list[SimPolicy], workdir: Path | None = None, done: WeekDone | None = None
) -> SimulationReport:
    """The season under each policy, as one report; each on a fresh database in `workdir` (a temporary
    directory, removed afterwards, when not given; given, the databases `season-N.db` are kept there)."""
    with tempfile.TemporaryDirectory(prefix="tarjotin-season-") as temporary:
        where = workdir or Path(temporary)
        where.mkdir(parents=True, exist_ok=True)
        runs = []
        for index, policy in enumerate(policies, start=1):
            database = where / f"season-{index}.db"
            database.unlink(missing_ok=True)
            runs.append(run_season(season, policy, f"sqlite:///{database}", done))
    return SimulationReport(
        region=season.region,
        region_display=find_region(season.region).display,
        clients=season.clients,
        weeks=season.weeks,
        seed=season.seed,
        start=season.start,
        world=season.world.stated(),
        solve={"time_limit": season.time_limit, "effort": season.effort, "workers": season.workers},
        policies=runs,
    )


def run_season(season: Season, policy: SimPolicy, url: str, done: WeekDone | None = None) -> PolicyRun:
    """One policy's season on the database at `url` (a new, empty one)."""
    upgrade(Settings(database_url=url))
    engine = make_engine(url)
    try:
        weeks = _Weeks(season, policy, engine).run(done)
        with _scope(engine) as session:
            end = season.start + timedelta(weeks=season.weeks, days=-1)
            figures = season_figures(session, season.start, end, weeks)
    finally:
        engine.dispose()
    return PolicyRun(
        label=policy.label, preset=policy.preset, leader_reach_minutes=policy.reach, weeks=weeks, season=figures
    )


@contextmanager
def _scope(engine: Engine) -> Iterator[Session]:
    with session_scope(engine) as session:
        yield session


class _Weeks:
    """The week-by-week loop of one policy's season."""

    def __init__(self, season: Season, policy: SimPolicy, engine: Engine) -> None:
        self.season, self.policy, self.engine = season, policy, engine
        self.world = season.world
        self.draws = Draws(season.seed)
        self.region = find_region(season.region)
        self.streaks: dict[str, int] = {}
        self.leave_until: dict[str, int] = {}
        self.arrived_total = 0

    def run(self, done: WeekDone | None) -> list[WeekFigures]:
        with _scope(self.engine) as session:
            problem = self.season.problem()
            import_problem(session, problem, actor=ACTOR)
            self.arrived_total = len(problem.clients)
        found = []
        for week in range(1, self.season.weeks + 1):
            began = time.perf_counter()
            figures = self.week(week, len(problem.clients))
            found.append(figures)
            if done is not None:
                done(self.policy.label, figures, time.perf_counter() - began)
        return found

    def week(self, week: int, first_clients: int) -> WeekFigures:
        monday = self.season.start + timedelta(weeks=week - 1)
        log = WeekLog(arrived=first_clients if week == 1 else 0)
        with _scope(self.engine) as session:
            if week > 1:
                log.arrived = import_referrals(session, self._referrals(session, week), monday)
                self.arrived_total += log.arrived
            end_or_continue(session, self.world, self.draws, monday)
            daily_step(session, monday, ACTOR, noon(monday))
            log.dropouts = drop_out(session, self.world, self.draws, week, monday)
        with _scope(self.engine) as session:
            run = plan_run(session, self._solve, ACTOR, clock=FixedClock.on(monday), policy=self.policy.fields())
            diff = run_diff(run)
            publish_run(session, run, ACTOR, today=monday)
            if diff is not None:
                log.groups_opened, log.groups_closed = len(diff.opened), len(diff.closed)
        with _scope(self.engine) as session:
            away = self._on_leave(session, week)
            log.staff_on_leave = len(away)
            cover = cover_leave(session, away, _week_sessions(session, monday), monday)
            log.substitutes = cover.substituted
        for offset in range(7):
            day = monday + timedelta(days=offset)
            with _scope(self.engine) as session:
                if offset:
                    daily_step(session, day, ACTOR, noon(day))
                answer_offers(session, self.world, self.draws, day)
                today = [(g, t) for g, t in _week_sessions(session, monday) if t.day == day]
                held = [(g, t) for g, t in today if t.held]
                log.sessions_held += len(held)
                log.sessions_cancelled += len(today) - len(held)
                log.absences += mark_sessions(session, self.world, self.draws, held, day)[1]
                led, driven = session_effort(session, [t for _, t in held])
                log.staff_minutes += led
                log.driving_minutes += driven
        with _scope(self.engine) as session:
            next_monday = monday + timedelta(days=7)
            log.groups_closed += len(call_off_small_groups(session, self.world, self.streaks, next_monday))
            return week_figures(session, week, monday, log, self.arrived_total)

    def _solve(self, problem: Problem) -> Plan:
        return solver.solve(problem, self.season.params())

    def _referrals(self, session: Session, week: int) -> list[dict[str, object]]:
        """The case openings of the week before this one."""
        counsellors = sorted(session.scalars(select(CounsellorRow.id)))
        monday = self.season.start + timedelta(weeks=week - 2)
        expected = self.world.referrals_per_week * self.season.clients
        return week_referrals(
            self.region,
            self.season.seed,
            week - 1,
            monday,
            expected,
            self.world.decision_days,
            self.world.decision_months,
            counsellors,
        )

    def _on_leave(self, session: Session, week: int) -> set[str]:
        """Staff on leave this week: those still away, and those whose luck starts a leave now."""
        for staff_id in sorted(session.scalars(select(StaffRow.id))):
            if self.leave_until.get(staff_id, 0) >= week:
                continue
            if self.draws.chance("leave", staff_id, week) < self.world.leave_per_week:
                length = self.draws.rng("leave-weeks", staff_id, week).randint(*self.world.leave_weeks)
                self.leave_until[staff_id] = week + length - 1
        return {staff_id for staff_id, until in self.leave_until.items() if until >= week}


def _week_sessions(session: Session, monday: date) -> list[tuple[str, TermSession]]:
    """Every session of the groups planned in the week from `monday` (held or not), by group and date."""
    sunday = monday + timedelta(days=6)
    return sorted(
        (
            (group_id, term)
            for group_id, sessions in groups_sessions(session, scheduled_groups(session)).items()
            for term in sessions
            if monday <= term.planned <= sunday
        ),
        key=lambda found: (found[1].planned, found[0]),
    )
