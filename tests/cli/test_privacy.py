"""`tarjotin client erase ID` and `tarjotin purge`: erasure asks first, purge can count without removing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from api.cli import app
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import AuditEntry, ClientRow, PlanningRun
from tests.conftest import cli_database
from tests.database_dump import every_row
from tests.erasure_data import TARGET, leave_traces, traces

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return cli_database(tmp_path, monkeypatch, leave_traces)


def _text(url: str) -> str:
    engine = make_engine(url)
    try:
        return every_row(engine)
    finally:
        engine.dispose()


def test_client_erase_asks_then_leaves_no_trace(database: str) -> None:
    declined = runner.invoke(app, ["client", "erase", TARGET], input="n\n")
    assert declined.exit_code == 2 and "was not erased" in declined.output
    assert traces(_text(database)) != []
    erased = runner.invoke(app, ["client", "erase", TARGET, "--yes", "--json"])
    assert erased.exit_code == 0, erased.output
    summary = json.loads(erased.stdout)
    assert summary["erased"] is True and summary["runs_scrubbed"] == 2 and TARGET not in erased.stdout
    assert traces(_text(database)) == []
    engine = make_engine(database)
    with session_scope(engine) as session:
        assert session.get(ClientRow, TARGET) is None
        assert session.scalars(select(AuditEntry.entity_id).where(AuditEntry.action == "erase")).all() == [None]
    engine.dispose()


def test_client_erase_of_an_unknown_id_is_refused(database: str) -> None:
    answer = runner.invoke(app, ["client", "erase", "nobody", "--yes"])
    assert answer.exit_code == 2 and "no client 'nobody'" in answer.output and "Traceback" not in answer.output


def test_purge_dry_run_counts_then_purge_removes(database: str) -> None:
    before = _text(database)
    counted = runner.invoke(app, ["purge", "--older-than", "0", "--dry-run", "--json"])
    assert counted.exit_code == 0, counted.output
    summary = json.loads(counted.stdout)
    assert summary["dry_run"] is True and summary["runs_removed"] == 1 and summary["idempotency_keys_removed"] == 2
    assert _text(database) == before
    done = runner.invoke(app, ["purge", "--older-than", "0"])
    assert done.exit_code == 0 and "removed 1 planning run(s), 2 stored answer(s)" in done.output
    engine = make_engine(database)
    with session_scope(engine) as session:
        assert len(session.scalars(select(PlanningRun.id)).all()) == 1
    engine.dispose()
    young = runner.invoke(app, ["purge"])
    assert young.exit_code == 0 and "removed 0 planning run(s), 0 stored answer(s), 0 ended seat(s)" in young.output


def test_purge_refuses_a_negative_age(database: str) -> None:
    assert runner.invoke(app, ["purge", "--older-than", "-1"]).exit_code == 64
