"""Fresh copies of the worked example for each checker test to break."""

from __future__ import annotations

import pytest

from scheduler.contract import Plan, Problem
from tests.checker.tiny import TINY_PROBLEM, VALID_PLAN


@pytest.fixture
def problem() -> Problem:
    return TINY_PROBLEM.model_copy(deep=True)


@pytest.fixture
def plan() -> Plan:
    return VALID_PLAN.model_copy(deep=True)
