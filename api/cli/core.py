"""The `tarjotin` command: schemas, the built-in scenario, solve, check and the demo."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from scheduler.contract import ContractError, Plan, Problem, parse_plan, parse_problem

__all__ = ["app"]

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Tarjotin plans social rehabilitation groups.")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a plain error and exit without a traceback."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def read_json(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        fail(f"cannot read the {what} file {path}: {error.strerror or error}")
    except UnicodeDecodeError as error:
        fail(f"{path} is not UTF-8 text (byte {error.start}): save the {what} as UTF-8 JSON")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        fail(f"{path} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}")


def load_problem(path: Path) -> Problem:
    try:
        return parse_problem(read_json(path, "problem"))
    except ContractError as error:
        _contract_fail(path, error)


def load_plan(path: Path) -> Plan:
    try:
        return parse_plan(read_json(path, "plan"))
    except ContractError as error:
        _contract_fail(path, error)


def _contract_fail(path: Path, error: ContractError) -> NoReturn:
    err.print(f"[bold red]error:[/] {path} has {len(error.issues)} problem(s):", highlight=False)
    for issue in error.issues:
        err.print(f"  {issue.path}: {issue.message}", highlight=False, markup=False)
    raise typer.Exit(2)


def write_json(path: Path, data: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror or error}")


@app.command()
def schema(kind: Annotated[str, typer.Argument(help="problem or plan")]) -> None:
    """Print the JSON Schema of a contract document."""
    models: dict[str, type[Problem] | type[Plan]] = {"problem": Problem, "plan": Plan}
    if kind not in models:
        fail(f"unknown schema {kind!r}: choose problem or plan")
    print(json.dumps(models[kind].model_json_schema(by_alias=True), indent=2, ensure_ascii=False))


@app.command()
def scenario(
    out_file: Annotated[Path, typer.Option("--out", help="where to write the problem JSON")],
    clients: Annotated[int, typer.Option(min=1, max=20000, help="number of waiting clients")] = 400,
    seed: Annotated[int, typer.Option(min=0, help="random seed")] = 1,
) -> None:
    """Write the built-in Western Uusimaa scenario as a problem file."""
    from scheduler.scenario import generate

    problem = generate(clients, seed)
    write_json(out_file, problem.dump())
    out.print(f"wrote {out_file}: {len(problem.clients)} clients, {len(problem.staff)} staff, "
              f"{len(problem.hubs)} hubs, {sum(len(h.rooms) for h in problem.hubs)} rooms, "
              f"{len(problem.templates)} group models")


@app.command()
def solve(
    problem_file: Annotated[Path, typer.Argument(help="problem JSON")],
    out_file: Annotated[Path, typer.Option("--out", help="where to write the plan JSON")],
    time_limit: Annotated[float, typer.Option(min=0.1, help="seconds")] = 30.0,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 2,
    seed: Annotated[int, typer.Option(min=0)] = 0,
    fast: Annotated[bool, typer.Option("--fast", help="free-running parallel search (not repeatable)")] = False,
    log: Annotated[bool, typer.Option(help="show CP-SAT's search log")] = False,
) -> None:
    """Plan the week and print a summary."""
    problem = load_problem(problem_file)
    plan = run_solver(problem, time_limit, workers, seed, log, deterministic=not fast)
    write_json(out_file, plan.dump())
    print_summary(problem, plan)
    out.print(f"plan written to {out_file}")


def run_solver(
    problem: Problem, time_limit: float, workers: int, seed: int, log: bool = False, deterministic: bool = True
) -> Plan:
    from solver import PlanningError, SolveParams
    from solver import solve as solve_problem

    params = SolveParams(time_limit=time_limit, workers=workers, seed=seed, log=log, deterministic=deterministic)
    try:
        return solve_problem(problem, params)
    except PlanningError as error:
        fail(str(error))


def print_summary(problem: Problem, plan: Plan) -> None:
    from api.cli.summary import summary

    out.print(summary(problem, plan))


@app.command()
def check(
    problem_file: Annotated[Path, typer.Argument(help="problem JSON")],
    plan_file: Annotated[Path, typer.Argument(help="plan JSON")],
) -> None:
    """Check a plan against every hard rule (H1–H10); exit 1 on any violation."""
    from scheduler.checker import check as check_plan

    problem, plan = load_problem(problem_file), load_plan(plan_file)
    violations = check_plan(problem, plan)
    for violation in violations:
        out.print(str(violation), highlight=False, markup=False)
    if violations:
        err.print(f"[bold red]{len(violations)} violation(s)[/]")
        raise typer.Exit(1)
    out.print(f"[green]valid:[/] {len(plan.groups)} groups meet H1–H10")


def demo(
    clients: Annotated[int, typer.Option(min=1, max=20000)] = 400,
    seed: Annotated[int, typer.Option(min=0)] = 1,
    time_limit: Annotated[float, typer.Option(min=0.1)] = 20.0,
    out_dir: Annotated[Path, typer.Option(help="where the problem and plan are written")] = Path("out"),
) -> None:
    """Import the built-in scenario into the database, plan it, publish it and print the summary.

    Registered as a command by `api.cli`, which serves the result afterwards.
    """
    from scheduler.checker import check as check_plan
    from scheduler.scenario import generate
    from scheduler.storage.database import session_scope
    from scheduler.storage.repository import import_problem
    from scheduler.services.planning.workflow import PlanDiff, plan_run, publish_run, run_diff

    scenario_problem = generate(clients, seed)
    out.print(f"Western Uusimaa scenario: {len(scenario_problem.clients)} waiting clients, "
              f"{len(scenario_problem.staff)} staff, {len(scenario_problem.hubs)} hubs")
    with _database_errors():
        _ensure_schema()
        with session_scope(_engine()) as session:
            import_problem(session, scenario_problem, actor="demo")
        out.print(f"imported into {_database_name()}; planning for up to {time_limit:.0f} s ...")
        with session_scope(_engine()) as session:
            run = plan_run(session, lambda p: run_solver(p, time_limit, 2, 0), actor="demo")
            version = publish_run(session, run, actor="demo")
            problem, plan = Problem.model_validate(run.problem), Plan.model_validate(run.plan)
            run_id, version_id, diff = run.id, version.id, run_diff(run) or PlanDiff()
    write_json(out_dir / "problem.json", problem.dump())
    write_json(out_dir / "plan.json", plan.dump())
    print_summary(problem, plan)
    violations = check_plan(problem, plan)
    verdict = "[green]every hard rule H1–H10 holds[/]" if not violations else f"[red]{len(violations)} violations[/]"
    out.print(f"independent check: {verdict}")
    out.print(f"run {run_id} published as offering version {version_id}: {len(diff.opened)} groups "
              f"opened, {len(diff.moved)} running groups moved, {diff.clients_added} seats given")
    out.print(f"problem: {out_dir / 'problem.json'}   plan: {out_dir / 'plan.json'}")
    if violations:
        raise typer.Exit(1)


def _database_name() -> str:
    from scheduler.settings import get_settings

    return _safe(get_settings().url)


def _register_subcommands() -> None:
    from api.cli.enrollments import enrollments
    from api.cli.feeds import feed_tokens, sessions, write_feeds
    from api.cli.tokens import tokens

    app.add_typer(enrollments, name="enrollment")
    app.add_typer(tokens, name="token")
    app.add_typer(feed_tokens, name="feed-token")
    app.add_typer(sessions, name="session")
    app.command("feeds")(write_feeds)


db = typer.Typer(no_args_is_help=True, help="The database (TARJOTIN_DATABASE_URL, else SQLite under TARJOTIN_DATA_DIR).")
app.add_typer(db, name="db")


def _engine():  # type: ignore[no-untyped-def]
    """The engine of the configured database, one per URL for the life of the command."""
    from scheduler.settings import get_settings

    return _engine_for(get_settings().url)


@cache
def _engine_for(url: str):  # type: ignore[no-untyped-def]
    from scheduler.storage.database import make_engine

    return make_engine(url)


@db.command("upgrade")
def db_upgrade() -> None:
    """Create the database or bring its schema up to date."""
    from scheduler.settings import get_settings
    from scheduler.storage.database import upgrade

    settings = get_settings()
    with _database_errors():
        upgrade(settings)
    out.print(f"database {_safe(settings.url)} is up to date")


@contextmanager
def _database_errors() -> Iterator[None]:
    """Database and seat trouble as one plain line naming the database, never a traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    from scheduler.settings import get_settings
    from scheduler.storage.enrollments import EnrollmentError

    try:
        yield
    except (LookupError, EnrollmentError) as error:
        fail(str(error))
    except SQLAlchemyError as error:
        detail = getattr(error, "orig", None) or error
        fail(f"database {_safe(get_settings().url)}: {str(detail).splitlines()[0]}")


def _safe(url: str) -> str:
    """A database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@app.command("import")
def import_(problem_file: Annotated[Path, typer.Argument(help="problem JSON")]) -> None:
    """Store a contract problem in the database (running again updates, never duplicates)."""
    from scheduler.storage.database import session_scope
    from scheduler.storage.repository import import_problem

    problem = load_problem(problem_file)
    with _database_errors():
        _ensure_schema()
        with session_scope(_engine()) as session:
            counts = import_problem(session, problem, actor="cli")
    out.print("imported " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))


@app.command("export")
def export(out_file: Annotated[Path, typer.Option("--out", help="where to write the problem JSON")]) -> None:
    """Write the database as a contract problem (running groups with their participants)."""
    from scheduler.storage.database import session_scope
    from scheduler.storage.repository import export_problem

    with _database_errors():
        _ensure_schema()
        with session_scope(_engine()) as session:
            problem = export_problem(session)
    write_json(out_file, problem.dump())
    out.print(f"wrote {out_file}: {len(problem.clients)} clients, {len(problem.groups)} running groups")


@app.command("plan")
def plan_command(
    time_limit: Annotated[float, typer.Option(min=0.1, help="seconds")] = 30.0,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 2,
    seed: Annotated[int, typer.Option(min=0)] = 0,
    allow_moves: Annotated[bool, typer.Option(help="let running groups move (they are kept in place otherwise)")] = False,
    actor: Annotated[str, typer.Option(help="who plans, for the audit log")] = "coordinator",
) -> None:
    """Plan from the database: running groups stay, free seats fill, new groups open; stores a draft."""
    from scheduler.storage.database import session_scope
    from scheduler.services.planning.workflow import PlanDiff, plan_run, run_diff

    with _database_errors():
        _ensure_schema()
        with session_scope(_engine()) as session:
            run = plan_run(session, lambda problem: run_solver(problem, time_limit, workers, seed), actor, allow_moves)
            problem, plan = Problem.model_validate(run.problem), Plan.model_validate(run.plan)
            run_id, diff = run.id, run_diff(run) or PlanDiff()
    print_summary(problem, plan)
    out.print(f"draft run {run_id}: {len(diff.opened)} groups opened, {len(diff.closed)} closed, "
              f"{len(diff.moved)} existing groups moved, {diff.clients_added} seats given to waiting clients")
    out.print(f"publish it with: tarjotin publish {run_id}")


@app.command("publish")
def publish_command(
    run: Annotated[str, typer.Argument(help="run id, or 'latest'")] = "latest",
    actor: Annotated[str, typer.Option(help="who publishes, for the audit log")] = "coordinator",
) -> None:
    """Publish a draft run: its groups and seats become the offering, in one transaction."""
    from scheduler.storage.database import session_scope
    from scheduler.services.planning.workflow import StaleRunError, publish_run, resolve_run

    with _database_errors():
        _ensure_schema()
        try:
            with session_scope(_engine()) as session:
                chosen = resolve_run(session, run)
                version = publish_run(session, chosen, actor)
                run_id, version_id = chosen.id, version.id
        except StaleRunError as error:
            fail(str(error))
    out.print(f"published run {run_id} as offering version {version_id}")


def _ensure_schema() -> None:
    from scheduler.settings import get_settings
    from scheduler.storage.database import upgrade

    upgrade(get_settings())


_register_subcommands()


def main() -> None:  # pragma: no cover - console entry for `python -m scheduler.cli`
    app(prog_name="tarjotin")
    sys.exit(0)


if __name__ == "__main__":  # pragma: no cover
    main()
