"""`tarjotin enrollment ...`: end a client's seat, and list groups that fell below their minimum."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, NoReturn
from zoneinfo import ZoneInfoNotFoundError

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.orm import Session

__all__ = ["enrollments"]

enrollments = typer.Typer(
    no_args_is_help=True, help="Seats in running groups: end them, see groups running short.")
out = Console(soft_wrap=True)


def _fail(message: str) -> NoReturn:
    from api.cli.core import fail  # late: scheduler.cli registers this module

    fail(message)


@contextmanager
def _plain_errors() -> Iterator[None]:
    """Seat and database trouble as one plain line, never a traceback (as every command)."""
    from api.cli.core import _database_errors  # late: scheduler.cli registers this module

    with _database_errors():
        yield


def _engine() -> Engine:
    from scheduler.settings import get_settings
    from scheduler.storage.database import make_engine, upgrade

    settings = get_settings()
    upgrade(settings)
    return make_engine(settings.url)


def _today(session: Session) -> date:
    """Today in the county's timezone (the planning frame's; Helsinki's when it names none or an unknown one)."""
    from scheduler.services.clock import HELSINKI, SYSTEM_CLOCK
    from scheduler.storage.models import PlanningSettings

    frame = session.get(PlanningSettings, 1)
    try:
        return SYSTEM_CLOCK.today(frame.timezone if frame else HELSINKI)
    except ZoneInfoNotFoundError:
        return SYSTEM_CLOCK.today()


def _parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"--on {text!r} is not a date: write it as YYYY-MM-DD")


@enrollments.command("end")
def end(
    client: Annotated[str, typer.Argument(help="client id")],
    group: Annotated[str, typer.Argument(help="group id")],
    on: Annotated[str | None, typer.Option(help="last day, YYYY-MM-DD (default: today)")] = None,
    interrupted: Annotated[bool, typer.Option("--interrupted", help="not completed")] = False,
    stay_waiting: Annotated[
        bool, typer.Option("--stay-waiting", help="keep the client waiting for another group")
    ] = False,
    actor: Annotated[str, typer.Option(help="who ends it, for the audit log")] = "coordinator",
) -> None:
    """End a client's seat in a group: the seat frees; a group left short is flagged, not closed."""
    from scheduler.storage.database import session_scope
    from scheduler.storage.enrollments import Ending, end_enrollment

    day = _parse_day(on)
    with _plain_errors():
        with session_scope(_engine()) as session:
            status: Ending = "interrupted" if interrupted else "completed"
            change = end_enrollment(session, client, group, status, day or _today(session), actor,
                                    leaves_service=not stay_waiting)
    where = "leaves the service" if change.left_service else "stays on the waiting list"
    out.print(f"client {change.client_id} {change.status} group {change.group_id} on {change.on} "
              f"and {where}; {change.active} active participant(s) remain", highlight=False)
    if change.below_minimum:
        out.print(f"[bold yellow]below minimum:[/] group {change.group_id} has {change.active} of "
                  f"the {change.needed} it needs; it keeps running until the coordinator decides",
                  highlight=False)


@enrollments.command("short")
def short() -> None:
    """List running groups with fewer active participants than their minimum."""
    from scheduler.storage.database import session_scope
    from scheduler.storage.enrollments import groups_below_minimum

    with _plain_errors():
        with session_scope(_engine()) as session:
            shortfalls = groups_below_minimum(session)
    if not shortfalls:
        out.print("no running group is below its minimum")
    for s in shortfalls:
        out.print(f"{s.group_id} ({s.template_id}): {s.active} active, needs {s.needed}",
                  highlight=False)
