"""An area's relaxations beside its search (`solver.arealps`): on a clone of the model, the
leader bound only where the whole model's LP gave none, and time left for it when that LP
is not back in its share of the time."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from solver.arealps import WHOLE_SHARE, AreaLPs, waited
from solver.leaderbound import leader_bound
from solver.modelbound import model_bound
from tests.solver.test_lpbound import scenario_models

EFFORT = 5.0


def test_the_whole_models_relaxation_is_worked_out_on_a_clone_and_the_leader_bound_is_skipped() -> None:
    ((v, _, _),) = scenario_models(100, 1, "placement")
    with ThreadPoolExecutor(max_workers=1) as lps:
        area = AreaLPs.submit(lps, time.perf_counter() + 60, v, EFFORT)
        assert area.apart.model is not v.model and area.apart.open == v.open
        relaxed = waited(area.whole, time.perf_counter() + 60)
        assert relaxed is not None and relaxed.bound == model_bound(v.model, 60)
        assert waited(area.leaders, time.perf_counter() + 60) is None  # never tighter, so not worked out


def test_an_lp_queued_past_its_share_leaves_the_rest_of_the_time_to_the_leader_bound() -> None:
    ((v, _, _),) = scenario_models(100, 1, "placement")
    seconds = 10.0
    with ThreadPoolExecutor(max_workers=1) as lps:
        # another area's LP holds the one worker past this area's share of the time for the whole model
        lps.submit(time.sleep, WHOLE_SHARE * seconds + 0.1)
        area = AreaLPs.submit(lps, time.perf_counter() + seconds, v, EFFORT)
        assert waited(area.whole, time.perf_counter() + 60) is None
        assert waited(area.leaders, time.perf_counter() + 60) == leader_bound(v, EFFORT, 60)


def test_past_the_deadline_neither_lp_runs() -> None:
    ((v, _, _),) = scenario_models(100, 1, "placement")
    with ThreadPoolExecutor(max_workers=1) as lps:
        area = AreaLPs.submit(lps, time.perf_counter() - 1, v, EFFORT)
        assert waited(area.whole, time.perf_counter() + 60) is None
        assert waited(area.leaders, time.perf_counter() + 60) is None
