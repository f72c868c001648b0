"""A small problem whose advice is known, in a database with a draft plan, for the advice and what-if tests.

Five Finnish speakers and five who speak only Swedish wait for the nature group in Lohja on
Tuesdays; both leaders speak only Finnish. The plan places the Finnish speakers and leaves
the Swedish speakers out (reason `leaders`): the advice names a new leader who speaks
Swedish, and planning with that leader places Swedish speakers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from scheduler.contract import Problem
from scheduler.services.planning.workflow import plan_run
from scheduler.storage.database import session_scope
from scheduler.storage.repository import import_problem
from solver import SolveParams, solve
from tests.builders import build, clients, problem

__all__ = ["FINNISH", "SWEDISH", "load_swedish", "swedish_problem"]

FINNISH = [f"fi{i:02d}" for i in range(1, 6)]
SWEDISH = [f"sv{i:02d}" for i in range(1, 6)]


def swedish_data() -> dict[str, Any]:
    return problem(people=clients("fi", 5) + clients("sv", 5, languages=("sv",)))


def swedish_problem() -> Problem:
    return build(swedish_data())


def load_swedish(engine: Engine) -> int:
    """Import the problem and plan it (the real solver) into a draft run; the run's id."""
    with session_scope(engine) as session:
        import_problem(session, swedish_problem(), actor="test")
    with session_scope(engine) as session:
        run = plan_run(session, lambda taken: solve(taken, SolveParams(time_limit=3, workers=2)), actor="test")
        session.flush()
        return run.id
