"""A stand-in for the solver in the planning tests: instant, the same every time, and a plan the database takes.

`keep_and_open(problem)` keeps every running group as it is (place, time, leaders and
participants) and seats the waiting clients, in id order, in new groups of the first
group model, as many as its largest size each: led by the first staff member, in the
first room of the first hub that has one, on one weekday after another at nine. It
weighs none of the planner's rules: it is a valid contract plan over the problem's own
ids, so the tests that use it check the bookkeeping around the solve, not the solve.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import solver
from scheduler.contract import DAYS, Group, Plan, PlanMetrics, Problem, hhmm

__all__ = ["GATE", "held_solve", "keep_and_open", "stub_solve"]

NINE = 9 * 60


def _new_group(problem: Problem, group_id: str, number: int, participants: list[str]) -> Group:
    template = problem.templates[0]
    hub = next(h for h in problem.hubs if h.rooms)
    in_person = template.modality == "in_person"
    return Group(
        id=group_id,
        template=template.id,
        modality=template.modality,
        hub=hub.id if in_person else None,
        room=hub.rooms[0].id if in_person else None,
        language=template.languages[0],
        day=DAYS[number % 5],
        start=hhmm(NINE),
        end=hhmm(NINE + template.duration_minutes),
        leaders=[problem.staff[0].id],
        participants=participants,
        new=True,
    )


def keep_and_open(problem: Problem) -> Plan:
    """Every running group kept; the waiting clients in new groups, filled one after another."""
    kept = list(problem.groups)
    seated = {p for g in kept for p in g.participants}
    waiting = sorted(c.id for c in problem.clients if c.id not in seated)
    size, taken = problem.templates[0].max_size, {g.id for g in kept}
    opened: list[Group] = []
    for start in range(0, len(waiting), size):
        number = len(kept) + len(opened)
        while f"stub-{number:03d}" in taken:
            number += 1
        taken.add(f"stub-{number:03d}")
        opened.append(_new_group(problem, f"stub-{number:03d}", number, waiting[start : start + size]))
    groups = kept + opened
    placed = len({p for g in groups for p in g.participants})
    metrics = PlanMetrics(
        placed=placed, unassigned=len(problem.clients) - placed, groups_new=len(opened), groups_total=len(groups)
    )
    return Plan(status="feasible", groups=groups, metrics=metrics)


def stub_solve(problem: Problem, *_: object) -> Plan:
    """`keep_and_open` in any solve's shape: `(problem)`, `(problem, observer)` or `(problem, params, observer)`."""
    return keep_and_open(problem)


GATE = "TARJOTIN_TEST_GATE"
"""The file `held_solve` waits for, named in the environment the planning worker process inherits."""


def held_solve(problem: Problem, params: solver.SolveParams, observer: solver.Observer) -> Plan:
    """`keep_and_open` once the file named by TARJOTIN_TEST_GATE exists: a test holds a run planning until then.
    A cancel stops it meanwhile."""
    gate = Path(os.environ[GATE])
    while not gate.exists():
        if observer.cancelled:
            raise solver.PlanningCancelled()
        time.sleep(0.05)
    return keep_and_open(problem)
