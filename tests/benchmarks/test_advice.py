"""The advice benchmark (`benchmarks.advice`) on tiny cases: its runs, the generous re-plan and the report."""

from __future__ import annotations

from benchmarks.advice import Row, advised, measure, render
from scheduler.services.advice.advise import AdviceParams
from tests.builders import build
from tests.services.test_advice_known import swedish_cluster

QUICK = AdviceParams(time_limit=10, replan_seconds=1, workers=2)
BRIEF = AdviceParams(time_limit=5, replan_seconds=1, workers=2)


def test_a_known_case_is_advised_and_replanned_generously() -> None:
    row = advised(Row("known", 0, 5), build(swedish_cluster()), 3, QUICK, 2)
    assert (row.placed, row.unplaced) == (0, 5)
    assert row.candidates is not None and row.replanned is not None and row.screened_out is not None
    assert row.replanned + row.screened_out + (row.pruned or 0) <= row.candidates
    # the top advice is the new Swedish-speaking leader; a longer re-plan places the same five, validly
    assert (row.top_kind, row.top_gain) == ("new_leader", 5)
    assert row.generous_gain == 5 and row.generous_violations == 0
    assert row.top_bound is not None and row.top_bound >= 5
    report = render([row], "2026-12-03 12:00 UTC", 3, QUICK, 2)
    assert "| known | 0 | 0 | 5 |" in report and "| new_leader | 5 |" in report
    assert "## Headline" in report and "placed 5 clients in all by advice's re-plans and 5" in report
    assert "## Machine" in report


def test_a_tiny_region_run_and_a_failed_one_are_reported() -> None:
    row = measure("tampere", 1, 40, 2, BRIEF, 1)
    assert row.error is None and row.placed is not None and row.unplaced is not None
    assert row.placed + row.unplaced == 40
    assert (row.top_kind is None) == (row.none_why is not None)
    failed = measure("nowhere", 1, 40, 2, BRIEF, 1)
    assert failed.error is not None and "nowhere" in failed.error
    report = render([row, failed], "2026-12-03 12:00 UTC", 2, BRIEF, 1)
    assert "| tampere | 1 |" in report and "Runs that failed" in report and "nowhere seed 1" in report
