"""A local-search peer for the benchmark: late acceptance over the same rules, no tuning to any region.

Issue 14 measured Tarjotin against a plain Timefold Solver model of the rules
(candidate groups with two leader variables, clients with a nullable group variable,
late acceptance with change, swap and pillar moves, started from a greedy). This peer
is a local search of the same kind, in Python (`benchmarks.peer.search`): its
candidate set is pruned only by the hard rules (the county's leader reach among them),
not by per-client option limits or nearest leaders; its score is the solver's objective
under the problem's policy; every state it visits keeps the hard rules, and its plan
is checked by the independent checker before it is returned.
"""

from __future__ import annotations

from benchmarks.peer.search import peer_search
from scheduler.checker import check, format_report
from scheduler.contract import Plan, Problem

__all__ = ["peer_plan"]


def peer_plan(problem: Problem, seconds: float, seed: int = 0) -> Plan:
    """The peer's best plan after `seconds` of search (set-up included); raises if it breaks a hard rule."""
    plan, _ = peer_search(problem, seconds, seed)
    violations = check(problem, plan)
    if violations:
        raise AssertionError(format_report(violations))
    return plan
