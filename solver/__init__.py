"""Pure optimisation: a Problem becomes a Plan with OR-Tools CP-SAT. No I/O.

`solve(problem, params) -> Plan` is the whole interface; an optional `Observer`
hears the solve's progress and may cancel it (`PlanningCancelled`).
"""

from .params import PlanningError, SolveParams
from .progress import Observer, PlanningCancelled, Progress
from .solve import solve

__all__ = ["Observer", "PlanningCancelled", "PlanningError", "Progress", "SolveParams", "solve"]
