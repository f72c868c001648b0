"""A plan's bounds are finite: a kind that proved no bound (CP-SAT stopped before it proved one: infinity) is left
out, so the plan is JSON that PostgreSQL's json type and a strict JSON reader take."""

from __future__ import annotations

import json
import math

from scheduler.contract import PlanMetrics


def metrics(bounds: dict[str, float] | None) -> PlanMetrics:
    return PlanMetrics(placed=3, unassigned=1, groups_new=1, groups_total=1, objective=90_000.0, bounds=bounds)


def test_an_infinite_or_nan_bound_is_left_out_and_the_rest_kept() -> None:
    kept = metrics({"cp_sat": math.inf, "best_case": 120_000.0, "seats": math.nan, "leaders": 100_000.0})
    assert kept.bounds == {"best_case": 120_000.0, "leaders": 100_000.0}
    json.dumps(kept.model_dump(mode="json"), allow_nan=False)  # raises on Infinity or NaN


def test_bounds_that_are_all_infinite_are_none_and_none_stays_none() -> None:
    assert metrics({"cp_sat": math.inf}).bounds is None
    assert metrics(None).bounds is None
    assert metrics({"best_case": 120_000.0}).bounds == {"best_case": 120_000.0}
