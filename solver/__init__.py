"""Pure optimisation: a Problem becomes a Plan with OR-Tools CP-SAT. No I/O."""
