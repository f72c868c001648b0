"""Pure optimisation: a Problem becomes a Plan with OR-Tools CP-SAT. No I/O.

`solve(problem, params) -> Plan` is the whole interface; an optional `Observer`
hears the solve's progress and may cancel it (`PlanningCancelled`). A problem that falls
apart into independent parts may be `split`, its parts solved apart (other processes or
machines) and their plans `merge`d; `solve_split` does all three in one process.
"""

from solver.explain import explain_clients
from solver.merge import PartsOverlap, merge
from solver.params import PlanningError, SolveParams
from solver.progress import Observer, PlanningCancelled, Progress
from solver.solve import solve
from solver.split import Part, solve_split, split

__all__ = [
    "Observer",
    "Part",
    "PartsOverlap",
    "PlanningCancelled",
    "PlanningError",
    "Progress",
    "explain_clients",
    "SolveParams",
    "merge",
    "solve",
    "solve_split",
    "split",
]
