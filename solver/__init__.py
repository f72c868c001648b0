"""Pure optimisation: a Problem becomes a Plan with OR-Tools CP-SAT. No I/O.

`solve(problem, params) -> Plan` is the whole interface; an optional `Observer`
hears the solve's progress and may cancel it (`PlanningCancelled`).
"""

from solver.params import PlanningError, SolveParams
from solver.progress import Observer, PlanningCancelled, Progress
from solver.solve import solve

__all__ = ["Observer", "PlanningCancelled", "PlanningError", "Progress", "SolveParams", "solve"]
