"""The service period in the contract: decisions, the 18-month cap, the §45 deadline, evaluations, bad input."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler.contract import ContractError, parse_problem
from scheduler.contract.service import (
    Decision,
    add_months,
    decision_due,
    in_force,
    next_evaluation,
    period_on,
    service_periods,
)
from tests.paths import ROOT

TINY: dict[str, Any] = json.loads((ROOT / "tests" / "data" / "tiny-problem.json").read_text())


def _d(start: str, end: str) -> Decision:
    return Decision(start=date.fromisoformat(start), end=date.fromisoformat(end))


def test_months_are_counted_as_the_calendar_counts_them() -> None:
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 15), 18) == date(2028, 5, 15)
    assert add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)


def test_a_continuation_without_a_gap_is_one_period_and_a_gap_starts_another() -> None:
    periods = service_periods([_d("2026-07-01", "2026-12-31"), _d("2027-01-01", "2027-06-30")])
    assert [(p.start, p.end) for p in periods] == [(date(2026, 7, 1), date(2027, 6, 30))]
    apart = service_periods([_d("2026-01-01", "2026-06-30"), _d("2026-09-01", "2027-02-28")])
    assert [p.start for p in apart] == [date(2026, 1, 1), date(2026, 9, 1)]


def test_the_service_stops_at_18_months_however_long_the_decisions_run() -> None:
    decisions = [_d("2025-01-01", "2025-06-30"), _d("2025-07-01", "2025-12-31"), _d("2026-01-01", "2026-12-31")]
    (period,) = service_periods(decisions)
    assert period.end == date(2026, 6, 30) and period.capped and period.decided_until == date(2026, 12, 31)
    assert in_force(decisions, date(2026, 6, 30)) and not in_force(decisions, date(2026, 7, 1))


def test_no_decision_on_record_means_no_limit() -> None:
    assert in_force([], date(2030, 1, 1))
    assert period_on([], date(2030, 1, 1)) is None


def test_the_decision_is_due_three_months_after_the_case_opens() -> None:
    assert decision_due(date(2026, 9, 14)) == date(2026, 12, 14)
    assert decision_due(None) is None


def test_evaluations_fall_three_months_in_then_six_after_the_last() -> None:
    decisions = [_d("2026-06-01", "2026-11-30"), _d("2026-12-01", "2027-05-31")]
    assert next_evaluation(decisions, [], date(2026, 7, 1)) == date(2026, 9, 1)
    assert next_evaluation(decisions, [date(2026, 9, 3)], date(2026, 10, 1)) == date(2027, 3, 3)
    assert next_evaluation(decisions, [], date(2027, 7, 1)) is None  # no period runs then


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    lengths=st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=6),
    gaps=st.lists(st.integers(min_value=0, max_value=90), min_size=6, max_size=6),
)
def test_no_period_runs_past_its_cap_and_every_decided_day_before_it_is_in_force(
    start: date, lengths: list[int], gaps: list[int]
) -> None:
    decisions, day = [], start
    for length, gap in zip(lengths, gaps, strict=False):
        decisions.append(Decision(start=day, end=day + timedelta(days=length - 1)))
        day += timedelta(days=length + gap)
    for period in service_periods(decisions):
        assert period.end <= add_months(period.start, 18) - timedelta(days=1)
    for decision in decisions:
        for offset in (0, (decision.end - decision.start).days):
            when = decision.start + timedelta(days=offset)
            period = next(p for p in service_periods(decisions) if p.start <= when <= p.decided_until)
            assert in_force(decisions, when) == (when <= period.cap)


def _with_client(**fields: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(TINY))
    data["clients"][0].update(fields)
    return data


def _paths(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ContractError) as error:
        parse_problem(data)
    return {issue.path: issue.message for issue in error.value.issues}


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"decisions": [{"start": "2027-02-01", "end": "2027-01-01"}]}, "ends (2027-01-01) before it starts"),
        (
            {"decisions": [{"start": "2027-01-01", "end": "2027-06-30"}, {"start": "2027-06-01", "end": "2027-12-31"}]},
            "decisions overlap",
        ),
        ({"case_opened": "2027-01-10", "assessed": "2027-01-05"}, "assessment (2027-01-05) is before the case"),
        (
            {"case_opened": "2027-01-10", "decisions": [{"start": "2027-01-01", "end": "2027-06-30"}]},
            "before the case opening",
        ),
        ({"declined": [{"group": "g-1", "reason": "weather", "on": "2027-01-12"}]}, "'time'"),
    ],
)
def test_a_bad_service_period_is_refused_naming_the_client_and_the_fault(fields: dict[str, Any], said: str) -> None:
    issues = _paths(_with_client(**fields))
    assert any(path.startswith("clients[0]") and said in message for path, message in issues.items()), issues


def test_a_client_names_a_known_counsellor() -> None:
    issues = _paths(_with_client(counsellor="co-9"))
    assert issues == {"clients[0].counsellor": "unknown counsellor 'co-9'"}
    data = _with_client(counsellor="co-9")
    data["counsellors"] = [{"id": "co-9", "name": "Anna"}]
    assert parse_problem(data).clients[0].counsellor == "co-9"


def test_waiting_counts_from_the_case_opening() -> None:
    data = _with_client(case_opened="2026-10-01")
    del data["clients"][0]["waiting_since"]
    client = parse_problem(data).clients[0]
    assert client.waiting_since == date(2026, 10, 1) == client.waits_from
    both = parse_problem(_with_client(case_opened="2026-10-01", waiting_since="2026-11-01")).clients[0]
    assert both.waits_from == date(2026, 10, 1)


def test_a_v1_problem_without_service_periods_still_parses_and_dumps_without_them() -> None:
    problem = parse_problem(TINY)
    assert all(not c.decisions and c.case_opened is None for c in problem.clients)
    dumped = problem.dump()
    assert "case_opened" not in dumped["clients"][0] and dumped["clients"][0]["decisions"] == []
    assert parse_problem(dumped) == problem
