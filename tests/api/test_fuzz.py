"""Property-based fuzzing of the whole API with schemathesis, against its own OpenAPI schema.

Every operation gets generated requests, valid and invalid, with a coordinator's token
(who may call everything) and without one. No answer may be a 500, and every answer
must match the schema: documented status code, content type and body.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from api.app import create_app
from scheduler.contract import Plan, Problem
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope, upgrade
from scheduler.storage.tokens import create_token
from tests.api.conftest import publish_scenario

DATABASE = f"sqlite:///{Path(tempfile.mkdtemp(prefix='tarjotin-fuzz-')) / 'fuzz.db'}"
upgrade(Settings(database_url=DATABASE))
APP = create_app(Settings(database_url=DATABASE))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
anonymous = schemathesis.openapi.from_asgi("/openapi.json", APP)
with session_scope(make_engine(DATABASE)) as _session:
    COORDINATOR = create_token(_session, "coordinator", "fuzzer")[1]


@schema.auth()
class Coordinator:
    """Every generated request carries a coordinator's token (who may call everything)."""

    def get(self, case: schemathesis.Case, context: object) -> str:
        return COORDINATOR

    def set(self, case: schemathesis.Case, data: str, context: object) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


NOT_EXPRESSIBLE = [positive_data_acceptance]
"""OpenAPI cannot say that a body's hub must exist or that near_lat needs near_lon: such
requests are schema-valid yet answered 422 naming the field, by design."""


@pytest.fixture(scope="module")
def fuzzed(scenario: tuple[Problem, Plan]) -> dict[str, dict[str, str]]:  # noqa: PT004 - it also fills the database
    """The published scenario in the fuzzed application's database; headers by role."""
    return publish_scenario(DATABASE, *scenario)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_answers_match_the_schema(
    case: schemathesis.Case, fuzzed: dict[str, dict[str, str]]
) -> None:
    case.call_and_validate(excluded_checks=NOT_EXPRESSIBLE)


@anonymous.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_without_a_token_no_server_errors(case: schemathesis.Case, fuzzed: dict[str, dict[str, str]]) -> None:
    case.call_and_validate(excluded_checks=NOT_EXPRESSIBLE)
