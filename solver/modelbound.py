"""A proven upper bound from the whole model: its linear relaxation with every leader kept.

The seat relaxation (`solver.lpbound`) leaves the leaders out and the leader-capacity
relaxation (`solver.leaderbound`) projects them onto minutes by set of possible leaders.
Where leaders are scarce both are loose: the projection pools a set's minutes, so it never
sees that one leader cannot be in two sessions at once, that a leader's own weekly minutes
are theirs alone, or that a leader cannot drive between two sessions in time. This bound
keeps every constraint of the area's CP-SAT model that has a linear form: the leader
variables with their weekly minutes, one session at a time, teams, qualification, skills
and travel between sessions (`bool_or` rows), besides everything the seat relaxation keeps.
On Kainuu's 400-client problem it is 11 % below the leader-capacity bound.

GLOP's dual simplex needs more than 15 minutes for this LP at 400 clients where leaders are
scarce; HiGHS's interior point method (without crossover) solves it in seconds to a minute,
so it is solved by HiGHS. The bound is read off its dual values by the same weak-duality
certificate (`lpbound.certificate`), so it does not rest on HiGHS being exact: inexact duals
only give a weaker bound, and an LP stopped before it has dual values gives none.

What it does not cover: constraints with an enforcement literal (none in the model today)
and integrality. It bounds the model it is given: the solver's pruned candidates, or with
`Limits.unpruned` every plan of the problem except those using a dominated start.
It costs too much to run beside every solve; the benchmarks use it (`benchmarks.regions`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import highspy
import numpy as np
from highspy._core import _Highs
from ortools.sat.python import cp_model

from solver.lpbound import Row, certificate, columns, linear_row

__all__ = ["MIP_MARGIN", "Branching", "Relaxation", "branch", "branch_and_bound", "model_bound", "relax"]

MIP_MARGIN = 1e-6
"""Relative margin added to HiGHS's dual bound for its tolerances (it rounds within 1e-6)."""


def model_bound(model: cp_model.CpModel, seconds: float) -> int | None:
    """Upper bound on the objective of `model` (maximised) from its whole linear relaxation,
    or None if HiGHS stopped (at `seconds` of wall clock) before it had dual values."""
    return relax(model, seconds).bound


@dataclass(frozen=True)
class Relaxation:
    """The whole linear relaxation as HiGHS's interior point left it."""

    bound: int | None
    """The weak-duality bound of its dual values (None if it stopped before it had any)."""
    values: list[float] | None
    """Its primal values by variable index, if it converged (else None): an interior point, so
    every variable some optimal solution uses is above zero."""


def relax(model: cp_model.CpModel, seconds: float) -> Relaxation:
    """`model`'s whole linear relaxation: the bound of `model_bound` and the primal values that gave it.

    HiGHS's interior point method without crossover: any dual values give a valid certificate,
    so an LP stopped with values is still used; crossover (an exact vertex) took longer than
    the interior point itself and moved the bound by a millionth."""
    domains, rows, gain, offset = _linear(model)
    h = _highs(domains, rows, gain, seconds, {"solver": "ipm", "run_crossover": "off"})
    h.run()
    solution = h.getSolution()
    bound = certificate(domains, rows, gain, list(solution.row_dual)) + offset if solution.dual_valid else None
    converged = solution.value_valid and h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return Relaxation(bound, list(solution.col_value) if converged else None)


@dataclass(frozen=True)
class Branching:
    """Where HiGHS's branch and bound stood when it stopped."""

    bound: int | None
    """Its dual bound raised by MIP_MARGIN: an upper bound on the objective (None if it had none)."""
    found: int | None
    """The objective of the best whole solution it found (None if none)."""
    values: list[int] | None = None
    """That solution: a value for every variable of the model, by index."""


def branch(model: cp_model.CpModel, seconds: float) -> Branching:
    """HiGHS's branch and bound over the rows of `model` with every variable whole, stopped by the clock:
    its dual bound and its best solution. Tighter than `model_bound` where groups open by fractions, but
    the bound rests on HiGHS's proof (within its tolerances), not on a certificate checked here."""
    domains, rows, gain, offset = _linear(model)
    h = _highs(domains, rows, gain, seconds, {"mip_rel_gap": 0.0})
    h.changeColsIntegrality(
        len(domains), np.arange(len(domains), dtype=np.int32), np.full(len(domains), 1, dtype=np.uint8)
    )
    h.run()
    info = h.getInfo()
    dual = info.mip_dual_bound
    bound = math.floor(dual + MIP_MARGIN * (1 + abs(dual))) + offset if math.isfinite(dual) else None
    solution = h.getSolution()
    if not solution.value_valid or not math.isfinite(info.objective_function_value):
        return Branching(bound, None)
    values = [round(x) for x in solution.col_value]
    found = round(math.fsum(g * x for g, x in zip(gain, values, strict=True))) + offset
    return Branching(bound, found, values)


def branch_and_bound(model: cp_model.CpModel, seconds: float) -> int | None:
    """Upper bound on the objective of `model` from `branch` (its dual bound when it stops)."""
    return branch(model, seconds).bound


def _linear(model: cp_model.CpModel) -> tuple[list[tuple[int, int]], list[Row], list[float], int]:
    """Every constraint of the model with a linear form, with its domains, gains and constant."""
    domains, gain, offset = columns(model.proto)
    return domains, [row for row in map(linear_row, model.proto.constraints) if row], gain, offset


def _highs(
    domains: list[tuple[int, int]],
    rows: list[Row],
    gain: list[float],
    seconds: float,
    options: dict[str, bool | float | str],
) -> _Highs:
    """A quiet HiGHS holding max gain·x over the rows and the domains."""
    h = _Highs()  # the bare solver: highspy.Highs() prints a banner on stdout before any option can be set
    settings: dict[str, bool | float | str] = {
        "output_flag": False,
        "threads": 1,
        "time_limit": max(1.0, float(seconds)),
        **options,
    }
    for option, setting in settings.items():
        h.setOptionValue(option, setting)
    lower = np.array([d[0] for d in domains], dtype=np.float64)
    upper = np.array([d[1] for d in domains], dtype=np.float64)
    none = np.array([], dtype=np.int32)
    h.addCols(len(domains), np.array(gain, dtype=np.float64), lower, upper, 0, none, none, np.array([]))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    inf = highspy.kHighsInf
    starts: list[int] = []
    index: list[int] = []
    value: list[float] = []
    for row in rows:
        starts.append(len(index))
        for i, coef in row.terms:
            index.append(i)
            value.append(coef)
    h.addRows(
        len(rows),
        np.array([-inf if r.lo is None else r.lo for r in rows], dtype=np.float64),
        np.array([inf if r.hi is None else r.hi for r in rows], dtype=np.float64),
        len(index),
        np.array(starts, dtype=np.int32),
        np.array(index, dtype=np.int32),
        np.array(value, dtype=np.float64),
    )
    return h
