"""What every `tarjotin` command shares: its consoles, its exit codes, refusals as one plain line,
and the configured database (one engine per URL, its schema brought up to date once per process)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum
from functools import cache
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from scheduler.contract import ContractError, TarjotinError
from scheduler.services.planning.workflow import StaleRunError
from scheduler.services.session_changes import ChangeError
from scheduler.settings import get_settings
from scheduler.storage.enrollments import EnrollmentError
from scheduler.storage.tokens import TokenError

__all__ = [
    "ExitCode",
    "JsonFlag",
    "database",
    "database_name",
    "engine",
    "err",
    "fail",
    "messages",
    "out",
    "print_json",
    "refusals",
    "check_schema",
    "upgrade_schema",
]

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

JsonFlag = Annotated[
    bool, typer.Option("--json", help="print the summary as one JSON object on stdout (messages go to stderr)")
]

REFUSALS = (TarjotinError, LookupError, EnrollmentError, TokenError, ChangeError, StaleRunError)
"""What a command may refuse with: the project's errors, and the services' own until they become those
(`solver.PlanningError` is caught where the solver runs: `api.cli.progress`)."""


class ExitCode(IntEnum):
    """How a `tarjotin` command ends."""

    DONE = 0
    CHECK_FAILED = 1
    REFUSED = 2
    USAGE = 64  # EX_USAGE of sysexits.h


def fail(message: str, code: int = ExitCode.REFUSED) -> NoReturn:
    """Print a plain error on stderr and exit without a traceback."""
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def fail_contract(source: str, error: ContractError) -> NoReturn:
    """A faulty contract document: one line per fault, named by its JSON path."""
    err.print(f"[bold red]error:[/] {escape(source)} has {len(error.issues)} problem(s):", highlight=False)
    for issue in error.issues:
        err.print(f"  {issue.path}: {issue.message}", highlight=False, markup=False)
    raise typer.Exit(ExitCode.REFUSED)


def messages(json_output: bool) -> Console:
    """Where a command's messages go: stdout, or stderr when stdout carries the JSON summary."""
    return err if json_output else out


def print_json(data: dict[str, Any]) -> None:
    """The command's summary as one JSON object on stdout."""
    print(json.dumps(data, ensure_ascii=False, indent=2))


@contextmanager
def refusals() -> Iterator[None]:
    """A refused request, a faulty document or the database's trouble as a plain error, exit code 2."""
    try:
        yield
    except TarjotinError as error:
        details = [f"{e.field}: {e.message}" for e in error.errors if f"{e.field}: {e.message}" != error.detail]
        fail("\n  ".join([error.detail, *details]))
    except ContractError as error:
        fail_contract("the document", error)
    except REFUSALS as error:
        fail(str(error))
    except SQLAlchemyError as error:
        detail = getattr(error, "orig", None) or error
        fail(f"database {database_name()}: {str(detail).splitlines()[0]}")


def database_name() -> str:
    """The configured database's URL without its password, for messages."""
    return make_url(get_settings().url).render_as_string(hide_password=True)


@cache
def _engine_for(url: str) -> Engine:
    # Late, as below: scheduler.storage.database loads Alembic, a sixth of `tarjotin --help`'s start-up.
    from scheduler.storage.database import make_engine

    return make_engine(url)


def engine() -> Engine:
    """The engine of the configured database, one per URL for the life of the process."""
    return _engine_for(get_settings().url)


_UP_TO_DATE: set[str] = set()


def upgrade_schema(again: bool = False, serving: bool = False) -> str | None:
    """Bring the configured database's schema up to date: once per process, or `again`; what was done, in words
    ("upgraded from X to Y", "already at Y"), or None when it was done before in this process.

    Many processes may do it at once (replicas of `tarjotin serve` starting together): they take turns, and
    all but the first find the schema up to date (`scheduler.storage.database.upgrade`). `serving`: the
    start of `tarjotin serve`, which with `TARJOTIN_MIGRATE_ON_START=false` only checks that the schema is
    up to date, and refuses to start if not (what it did, `serve` says in its log)."""
    from scheduler.storage.database import upgrade  # late: Alembic (see `_engine_for`)

    settings = get_settings()
    if serving and not settings.migrate_on_start:
        check_schema()
        return None
    if again or settings.url not in _UP_TO_DATE:
        done = upgrade(settings)
        _UP_TO_DATE.add(settings.url)
        if done.applied:
            said = (
                f"upgraded the database schema from {done.before or 'nothing (an empty database)'} to {done.after} "
                f"({len(done.applied)} migration(s): {', '.join(done.applied)})"
            )
        else:
            said = f"the database schema is already at {done.after}"
        return said
    return None


def check_schema() -> None:
    """Refuse (exit code 2) unless the configured database's schema is at the code's revision."""
    from scheduler.storage.database import code_revision, schema_revision  # late: Alembic (see `_engine_for`)

    found, needed = schema_revision(get_settings().url), code_revision()
    if found != needed:
        fail(
            f"the database schema is at {found or 'nothing (an empty database)'}, the code needs {needed}: "
            "run `tarjotin db upgrade` first"
        )
    _UP_TO_DATE.add(get_settings().url)


@contextmanager
def database() -> Iterator[Session]:
    """A transaction on the configured database, its schema up to date; any refusal a plain error."""
    from scheduler.storage.database import session_scope  # late: Alembic (see `_engine_for`)

    with refusals():
        upgrade_schema()
        with session_scope(engine()) as session:
            yield session
