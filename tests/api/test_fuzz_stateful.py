"""Stateful fuzzing: schemathesis follows the API's OpenAPI links from one answer to the next request.

A created record's links lead to reading, changing and deleting it, and to creates that
name it (a new hub as a room's `hub_id`, a new client as a seat's `client_id`, ...), so
the generated sequences reach records that exist. Every step has a coordinator's token;
no answer may be a 5xx, and every answer must match the schema.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.config import SchemathesisConfig

from api.app import create_app
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope, upgrade
from scheduler.storage.models import Base
from scheduler.storage.tokens import create_token

DATABASE = f"sqlite:///{Path(tempfile.mkdtemp(prefix='tarjotin-stateful-')) / 'stateful.db'}"
upgrade(Settings(database_url=DATABASE))
APP = create_app(Settings(database_url=DATABASE))
RECORDS = r"^/(hubs|rooms|staff|group-models|clients|groups|enrollments|closures)(/|$)"
POSITIVE = SchemathesisConfig.from_dict(
    {"generation": {"mode": "positive"}, "phases": {"stateful": {"inference": {"algorithms": []}}}}
)
"""Valid requests build up records for the links to lead to (test_fuzz sends invalid ones too), and only the
links the API declares are followed (none inferred), so the sequences are the ones a client would make."""
NOT_EXPRESSIBLE = [positive_data_acceptance]
"""As in test_fuzz: a window that ends before it starts, or an unknown hub, is schema-valid yet a 422 by design."""
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=POSITIVE).include(path_regex=RECORDS)
ENGINE = make_engine(DATABASE)
with session_scope(ENGINE) as _session:
    COORDINATOR = create_token(_session, "coordinator", "stateful fuzzer")[1]


@schema.auth()
class Coordinator:
    """Every step carries a coordinator's token (who may call every record route)."""

    def get(self, case: schemathesis.Case, context: object) -> str:
        return COORDINATOR

    def set(self, case: schemathesis.Case, data: str, context: object) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


KEPT = {"api_tokens", "alembic_version"}


class Records(schema.as_state_machine()):  # type: ignore[misc]  # the machine's base class is made at run time
    def setup(self) -> None:
        """Every sequence starts from an empty database (the token kept), so a failing one replays the same."""
        with session_scope(ENGINE) as session:
            for table in reversed(Base.metadata.sorted_tables):
                if table.name not in KEPT:
                    session.execute(table.delete())

    def validate_response(
        self, response: schemathesis.Response, case: schemathesis.Case, additional_checks: Any = None, **kwargs: Any
    ) -> None:
        """Every default check (no 5xx, documented status, content type and body) but `NOT_EXPRESSIBLE`."""
        case.validate_response(response, excluded_checks=NOT_EXPRESSIBLE, transport_kwargs=kwargs or None)


def test_a_created_record_links_to_itself_and_to_the_creates_that_name_it() -> None:
    links = APP.openapi()["paths"]["/clients"]["post"]["responses"]["201"]["links"]
    assert {"read_client", "update_client", "delete_client", "create_enrollment_with_client_id"} <= set(links)
    assert links["read_client"]["parameters"] == {"id": "$response.body#/id"}
    assert links["create_enrollment_with_client_id"]["requestBody"] == {"client_id": "$response.body#/id"}
    followed = {name for name in dir(Records) if "___201_" in name}
    assert "POST_hubs___201_create_room_with_hub_id__POST_rooms" in followed
    assert "POST_closures___201_read_closure__GET_closures_day_" in followed


def test_sequences_that_follow_the_links_get_no_server_errors_and_match_the_schema() -> None:
    Records.run(
        settings=settings(
            max_examples=40,
            stateful_step_count=8,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
