"""Pure optimisation: a Problem becomes a Plan with OR-Tools CP-SAT. No I/O.

`solve(problem, params) -> Plan` is the whole interface.
"""

from .params import PlanningError, SolveParams
from .solve import solve

__all__ = ["PlanningError", "SolveParams", "solve"]
