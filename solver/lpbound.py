"""A proven upper bound on an area's objective: the linear relaxation of its seat rules.

CP-SAT's bound comes from the linear relaxation of its *presolved* model. Here that is
much weaker than the relaxation of the model as written (on the 400-client scenario it
stays above even the best-case cap however long CP-SAT runs), so the reported gap says
more about the bound than about the plan. This module states the bound afresh.

It takes the area's own CP-SAT model, keeps the constraints that mention no leader
variable (joining only open groups, groups per week, group sizes, rooms, the objective's
counting of each client once) and solves their linear relaxation with GLOP's dual
simplex. The bound is then read off the dual values by weak duality. Leaving the
leaders out keeps the LP small (they are most of the variables) at little cost: on the
400-client scenario the bound is 0.02 % above the full model's relaxation, and it
solves in about a second instead of ten.

Why it is valid (never below the true optimum):

- Every plan meets every constraint of the model, so it meets the kept ones; dropping
  constraints and integrality only enlarges the feasible set. A leader variable is in
  no kept constraint: it counts at its most favourable value, which for a staff-travel
  cost is 0.
- For any multipliers y (y ≥ 0 on an upper side, y ≤ 0 on a lower side) and any x
  within the kept rows and the variable domains,
  c·x ≤ Σ_r y_r·b_r + Σ_j max(lo_j·d_j, hi_j·d_j), with d = c − Aᵀy (weak duality).
  The bound is that right-hand side, summed with `math.fsum` and raised by a margin far
  above float rounding (a billionth of the magnitudes of every product and sum in it); as every plan scores a
  whole number of points, its whole part is a bound too. So it does not rest on the
  simplex being exact: an inexact LP only gives a weaker bound, and one stopped before
  any dual values gives none.
  The caller takes the least of this, CP-SAT's bound and the best-case cap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model, cp_model_helper

__all__ = ["Row", "certificate", "columns", "linear_row", "relaxation_bound", "solve_lp"]

_INT_INF = 2**62
ROUNDING_MARGIN = 10**-9  # (an expression: Hypothesis draws bare literals of local code into its examples)
"""Relative margin added for float rounding in the weak-duality sum (far above its error)."""


@dataclass
class Row:
    """One kept constraint: lo <= sum(coef * x) <= hi (None for an open side)."""

    terms: list[tuple[int, int]]
    lo: float | None
    hi: float | None


def relaxation_bound(
    model: cp_model.CpModel,
    skipped: set[int],
    effort: float,
    seconds: float | None = None,
) -> int | None:
    """Upper bound on the objective of `model` (which must be maximised).

    `skipped` are variable indices (the leaders') whose constraints are left out;
    `effort` is GLOP's deterministic time limit, so the bound depends on the problem alone;
    `seconds`, when given, caps its wall-clock time too, so the solve keeps its time limit
    (a stopped LP only gives a weaker bound, never a wrong one; None when it stopped before
    any dual values, which pywraplp gives only for a solved LP).
    """
    proto = model.proto
    domains, gain, offset = columns(proto)
    rows = [row for row in map(linear_row, proto.constraints) if row and not any(i in skipped for i, _ in row.terms)]
    duals = solve_lp(domains, rows, gain, effort, seconds)
    if duals is None:
        return None
    return certificate(domains, rows, gain, duals) + offset


def columns(proto: cp_model_helper.CpModelProto) -> tuple[list[tuple[int, int]], list[float], int]:
    """A maximised model's variable domains, objective gains and objective constant (in whole points)."""
    scale = proto.objective.scaling_factor
    if scale >= 0:
        raise ValueError("a bound needs a maximised model")
    if not float(proto.objective.offset).is_integer():
        raise ValueError("a bound needs an objective in whole points")
    domains = [(d[0], d[-1]) for d in (list(var.domain) for var in proto.variables)]
    gain = [0.0] * len(domains)
    for i, coef in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        gain[i] = scale * coef  # CP-SAT stores a maximised objective negated
    return domains, gain, round(scale * proto.objective.offset)


def linear_row(ct: cp_model_helper.ConstraintProto) -> Row | None:
    """A linear view of a constraint without enforcement, or None (it is left out)."""
    if ct.enforcement_literal:
        return None
    if ct.has_linear():
        domain = list(ct.linear.domain)
        lo = domain[0] if domain[0] > -_INT_INF else None
        hi = domain[-1] if domain[-1] < _INT_INF else None
        return Row(list(zip(ct.linear.vars, ct.linear.coeffs, strict=True)), lo, hi)
    if ct.has_bool_or():  # at least one literal holds
        literals = list(ct.bool_or.literals)
        negated = sum(1 for lit in literals if lit < 0)
        return Row([(lit, 1) if lit >= 0 else (-lit - 1, -1) for lit in literals], 1 - negated, None)
    for kind, exact in (("at_most_one", False), ("exactly_one", True)):
        if getattr(ct, f"has_{kind}")():
            literals = list(getattr(ct, kind).literals)
            negated = sum(1 for lit in literals if lit < 0)
            terms = [(lit, 1) if lit >= 0 else (-lit - 1, -1) for lit in literals]
            return Row(terms, 1 - negated if exact else None, 1 - negated)
    return None


def solve_lp(
    domains: list[tuple[int, int]],
    rows: list[Row],
    gain: list[float],
    effort: float,
    seconds: float | None,
    primal: dict[int, float] | None = None,
) -> list[float] | None:
    """GLOP's dual values of the rows (a variable in no row needs no column: it counts at its best),
    or None when GLOP stopped before it had any. `primal`, when given, receives the LP's values of
    the variables in some row (to look at what the relaxation does: `benchmarks.bound_anatomy`)."""
    lp = pywraplp.Solver.CreateSolver("GLOP")
    lp.SetSolverSpecificParametersAsString(f"use_dual_simplex: true max_deterministic_time: {effort:.3f}")
    if seconds is not None:
        lp.SetTimeLimit(max(1, int(seconds * 1000)))
    inf = lp.infinity()
    used = sorted({i for row in rows for i, _ in row.terms})
    x = {i: lp.NumVar(*domains[i], "") for i in used}
    kept = []
    for row in rows:
        constraint = lp.Constraint(-inf if row.lo is None else row.lo, inf if row.hi is None else row.hi)
        for i, coef in row.terms:
            constraint.SetCoefficient(x[i], coef)
        kept.append(constraint)
    objective = lp.Objective()
    for i in used:
        if gain[i]:
            objective.SetCoefficient(x[i], gain[i])
    objective.SetMaximization()
    if lp.Solve() not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None  # stopped before any duals: no bound (reading them would log an error per row)
    if primal is not None:
        primal.update((i, var.solution_value()) for i, var in x.items())
    return [c.dual_value() for c in kept]


def certificate(domains: list[tuple[int, int]], rows: list[Row], gain: list[float], duals: list[float]) -> int:
    """The weak-duality bound of these multipliers (signs mended where a side is open), in whole points."""
    reduced = list(gain)
    parts: list[float] = []
    handled: list[float] = []  # magnitudes of the products summed into the reduced costs
    for row, y in zip(rows, duals, strict=True):
        side = row.hi if y > 0 else row.lo  # the side a multiplier of this sign bounds
        if not y or side is None or not math.isfinite(y):
            continue
        parts.append(y * side)
        for i, coef in row.terms:
            reduced[i] -= y * coef
            handled.append(abs(y * coef) * max(abs(domains[i][0]), abs(domains[i][1])))
    parts.extend(max(lo * d, hi * d) for (lo, hi), d in zip(domains, reduced, strict=True))
    magnitude = math.fsum(abs(p) for p in parts) + math.fsum(handled)
    return math.floor(math.fsum(parts) + ROUNDING_MARGIN * (1 + magnitude))
