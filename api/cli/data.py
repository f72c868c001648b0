"""Documents and the database: JSON Schemas, the built-in scenario, import, export and migrations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import database, database_name, fail, out, refusals, upgrade_schema
from api.cli.documents import load_problem, write_json
from scheduler.contract import Plan, Problem
from scheduler.scenario import generate
from scheduler.storage.repository import export_problem, import_problem

__all__ = ["export", "import_", "scenario", "schema", "upgrade"]

Clients = Annotated[int, typer.Option(min=1, max=20000, help="number of waiting clients")]


def schema(kind: Annotated[str, typer.Argument(help="problem or plan")]) -> None:
    """Print the JSON Schema of a contract document."""
    models: dict[str, type[Problem] | type[Plan]] = {"problem": Problem, "plan": Plan}
    if kind not in models:
        fail(f"unknown schema {kind!r}: choose problem or plan")
    print(json.dumps(models[kind].model_json_schema(by_alias=True), indent=2, ensure_ascii=False))


def scenario(
    out_file: Annotated[Path, typer.Option("--out", help="where to write the problem JSON")],
    clients: Clients = 400,
    seed: Annotated[int, typer.Option(min=0, help="random seed")] = 1,
) -> None:
    """Write the built-in Western Uusimaa scenario as a problem file."""
    problem = generate(clients, seed)
    write_json(out_file, problem.dump())
    out.print(f"wrote {out_file}: {len(problem.clients)} clients, {len(problem.staff)} staff, "
              f"{len(problem.hubs)} hubs, {sum(len(h.rooms) for h in problem.hubs)} rooms, "
              f"{len(problem.templates)} group models")


def upgrade() -> None:
    """Create the database or bring its schema up to date."""
    with refusals():
        upgrade_schema(again=True)
    out.print(f"database {database_name()} is up to date")


def import_(problem_file: Annotated[Path, typer.Argument(help="problem JSON")]) -> None:
    """Store a contract problem in the database (running again updates, never duplicates)."""
    problem = load_problem(problem_file)
    with database() as session:
        counts = import_problem(session, problem, actor="cli")
    out.print("imported " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))


def export(out_file: Annotated[Path, typer.Option("--out", help="where to write the problem JSON")]) -> None:
    """Write the database as a contract problem (running groups with their participants)."""
    with database() as session:
        problem = export_problem(session)
    write_json(out_file, problem.dump())
    out.print(f"wrote {out_file}: {len(problem.clients)} clients, {len(problem.groups)} running groups")
