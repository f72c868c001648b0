"""An area's relaxations, worked out beside its search on one thread: the whole model's
(`solver.modelbound.relax`, for `solver.support` and the `model` bound) and, only if that
gave no bound, the leader-capacity relaxation's (`solver.leaderbound`, never tighter: the
whole model keeps every row it projects).

Both read a clone of the area's model, because the search adds its hints to the model and
solves it meanwhile: no LP reads the model CP-SAT is given. HiGHS and GLOP release the GIL,
so they run while CP-SAT searches (the search stops on deterministic time, so the plan is
the same), and they stop by the deadline.

The whole model's LP has `WHOLE_SHARE` of the time to the deadline: on a loaded machine,
where it is not back in that time, the leader bound still has the rest of it.
"""

from __future__ import annotations

import copy
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import TypeVar

from solver.leaderbound import leader_bound
from solver.modelbound import Relaxation, relax
from solver.variables import Vars

__all__ = ["LEADER_BOUND_SHARE", "WHOLE_SHARE", "AreaLPs", "waited"]

T = TypeVar("T")

WHOLE_SHARE = 9 / 10  # (an expression: Hypothesis draws bare literals of local code into its examples)
"""Share of the time to the deadline the whole model's LP may take; the leader bound's fallback has
the rest. At 400 clients the LP takes 5–10 s of one core alone, and about 14 s of a 20-s solve beside
the focused search on a 2-core Intel Xeon at 2.8 GHz (2026-12-06): at 3/4 it was sometimes cut off
there, and the plan had no `model` bound; at 9/10 it came back on every run tried."""
LEADER_BOUND_SHARE = 1.0
"""GLOP's deterministic time for the leader-capacity bound, as a share of the area's effort: at 400
clients it needs about 5 deterministic seconds, and a stopped LP gives a bound far above the plan,
so it gets as much as the search; the deadline still holds."""


@dataclass(frozen=True)
class AreaLPs:
    """An area's relaxations, being worked out beside its search."""

    apart: Vars
    """The area's variables over a clone of its model."""
    effort: float
    """The area's deterministic effort."""
    whole: Future[Relaxation | None]
    """The whole model's relaxation (None if there was no time, or the objective is constant)."""
    leaders: Future[int | None]
    """The leader-capacity bound, only where the whole model's relaxation gave none."""

    @classmethod
    def submit(cls, lps: ThreadPoolExecutor, deadline: float, v: Vars, effort: float) -> AreaLPs:
        """Queue the area's relaxations on `lps` (one worker: one LP at a time), to end by `deadline`."""
        apart = copy.copy(v)
        apart.model = v.model.clone()
        until = time.perf_counter() + WHOLE_SHARE * (deadline - time.perf_counter())

        def whole() -> Relaxation | None:
            seconds = until - time.perf_counter()
            if seconds <= 0 or not apart.model.proto.objective.vars:  # a constant objective is not maximised
                return None
            return relax(apart.model, seconds)

        whole_lp = lps.submit(whole)

        def leaders() -> int | None:
            relaxed = whole_lp.result()  # done: the LPs run in turn
            seconds = deadline - time.perf_counter()
            if (relaxed is not None and relaxed.bound is not None) or seconds <= 0:
                return None
            return leader_bound(apart, LEADER_BOUND_SHARE * effort, seconds)

        return cls(apart, effort, whole_lp, lps.submit(leaders))


def waited(pending: Future[T | None], deadline: float) -> T | None:
    """The LP's result if it is there by the deadline."""
    try:
        return pending.result(timeout=max(0.0, deadline - time.perf_counter()))
    except FutureTimeout:
        return None
