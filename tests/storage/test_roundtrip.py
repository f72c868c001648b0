"""Import, export and import again: the database keeps a problem exactly."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from api.cli import app
from scheduler.contract import Problem, parse_problem
from scheduler.scenario import generate
from scheduler.storage.database import session_scope
from scheduler.storage.models import ClientRow, EnrollmentRow, GroupRow, RoomRow
from scheduler.storage.repository import export_problem, import_problem
from solver import SolveParams, solve

EXAMPLES = Path(__file__).resolve().parents[1] / "data"


def running(problem: Problem) -> Problem:
    """The problem with a solved plan's groups running and pinned, as after publishing."""
    plan = solve(problem, SolveParams(time_limit=5, workers=1))
    data = problem.dump()
    data["groups"] = [dict(g.model_dump(mode="json"), pinned=True, new=False) for g in plan.groups]
    return parse_problem(data)


def canonical(problem: Problem) -> str:
    """The problem with its records in id order: the order of records carries no meaning."""
    data = problem.dump()
    for kind in ("hubs", "staff", "templates", "clients", "groups"):
        data[kind].sort(key=lambda record: record["id"])
    for hub in data["hubs"]:
        hub["rooms"].sort(key=lambda room: room["id"])
    return json.dumps(data, sort_keys=True)


def same(a: Problem, b: Problem) -> bool:
    return canonical(a) == canonical(b)


def store_and_read(engine: Engine, problem: Problem) -> Problem:
    with session_scope(engine) as session:
        import_problem(session, problem)
    with session_scope(engine) as session:
        return export_problem(session)


def test_tiny_example_with_running_groups_round_trips(engine: Engine) -> None:
    tiny = running(parse_problem(json.loads((EXAMPLES / "tiny-problem.json").read_text())))
    assert tiny.groups, "the example should have running groups"
    assert same(store_and_read(engine, tiny), tiny)


def test_scenario_round_trips_twice(engine: Engine) -> None:
    problem = running(generate(120, seed=4))
    first = store_and_read(engine, problem)
    second = store_and_read(engine, first)
    assert same(first, problem) and same(second, problem)


def test_import_twice_changes_nothing(engine: Engine) -> None:
    problem = running(generate(60, seed=5))
    counts = []
    for _ in range(2):
        with session_scope(engine) as session:
            import_problem(session, problem)
        with session_scope(engine) as session:
            counts.append(
                [
                    session.scalar(select(func.count()).select_from(t))
                    for t in (ClientRow, RoomRow, GroupRow, EnrollmentRow)
                ]
            )
    assert counts[0] == counts[1]
    assert counts[0][3] == sum(len(g.participants) for g in problem.groups)


def test_clients_are_stored_without_names(engine: Engine) -> None:
    columns = {c.key for c in ClientRow.__table__.columns}
    assert not columns & {"name", "first_name", "last_name", "ssn", "hetu", "personal_id"}


def test_cli_import_then_export(database_url: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TARJOTIN_DATABASE_URL", database_url)
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    imported = runner.invoke(app, ["import", str(EXAMPLES / "tiny-problem.json")])
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "exported.json"
    exported = runner.invoke(app, ["export", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    original = parse_problem(json.loads((EXAMPLES / "tiny-problem.json").read_text()))
    assert same(parse_problem(json.loads(out.read_text())), original)


def test_unreachable_database_is_a_plain_error(monkeypatch) -> None:
    monkeypatch.setenv("TARJOTIN_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "127.0.0.1" in result.output and "Traceback" not in result.output


def test_export_of_an_empty_database_says_import_first(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TARJOTIN_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["export", "--out", str(tmp_path / "x.json")])
    assert result.exit_code == 2 and "import a problem first" in result.output
