"""`tarjotin token create|list|revoke`: tokens shown once, stored hashed, revocable; `serve` is there."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from api.cli import app
from scheduler.scenario import generate
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import ApiToken
from scheduler.storage.repository import import_problem
from tests.conftest import cli_database

runner = CliRunner()


def load_scenario(engine: Engine) -> None:
    with session_scope(engine) as session:
        import_problem(session, generate(30, 1))


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return cli_database(tmp_path, monkeypatch, load_scenario)


def test_a_token_is_shown_once_and_stored_hashed(database: str) -> None:
    made = runner.invoke(app, ["token", "create", "--role", "counsellor", "--name", "Anna at Lohja"])
    assert made.exit_code == 0, made.output
    token = made.output.strip().splitlines()[-1]
    assert token.startswith("tj_") and len(token) > 40
    with session_scope(make_engine(database)) as session:
        row = session.scalars(select(ApiToken)).one()
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and row.role == "counsellor"
    listed = runner.invoke(app, ["token", "list"])
    assert "Anna at Lohja" in listed.output and token not in listed.output
    assert runner.invoke(app, ["token", "revoke", "1"]).exit_code == 0
    with session_scope(make_engine(database)) as session:
        assert session.scalars(select(ApiToken)).one().revoked_at is not None


def test_a_staff_token_names_its_staff_member(database: str) -> None:
    missing = runner.invoke(app, ["token", "create", "--role", "staff", "--name", "x"])
    assert missing.exit_code == 2 and "--staff" in missing.output and "Traceback" not in missing.output
    unknown = runner.invoke(app, ["token", "create", "--role", "staff", "--name", "x", "--staff", "nobody"])
    assert unknown.exit_code == 2 and "no staff member 'nobody'" in unknown.output
    wrong = runner.invoke(app, ["token", "create", "--role", "boss", "--name", "x"])
    assert wrong.exit_code == 2 and "unknown role 'boss'" in wrong.output


def test_revoking_an_unknown_token_says_so(database: str) -> None:
    answer = runner.invoke(app, ["token", "revoke", "42"])
    assert answer.exit_code == 2 and "no token 42" in answer.output


def test_serve_refuses_a_port_in_use(database: str) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        answer = runner.invoke(app, ["serve", "--port", str(port)])
    assert answer.exit_code == 2 and "cannot listen" in answer.output


def test_a_token_can_be_made_to_expire(database: str) -> None:
    made = runner.invoke(
        app, ["token", "create", "--role", "counsellor", "--name", "summer help", "--expires-in", "30"]
    )
    assert made.exit_code == 0 and "valid until" in made.output, made.output
    with session_scope(make_engine(database)) as session:
        row = session.scalars(select(ApiToken)).one()
        assert row.expires_at is not None
        assert timedelta(days=29, hours=23) < row.expires_at - row.created_at <= timedelta(days=30)
    assert "summer help" in runner.invoke(app, ["token", "list"]).output
    for days in ("0", "-3", "soon"):
        bad = runner.invoke(app, ["token", "create", "--role", "counsellor", "--name", "x", "--expires-in", days])
        assert bad.exit_code == 64 and "--expires-in" in bad.output and "Traceback" not in bad.output, bad.output
