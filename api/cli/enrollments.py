"""`tarjotin enrollment ...`: end a client's seat, and list groups that fell below their minimum."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from zoneinfo import ZoneInfoNotFoundError

import typer
from sqlalchemy.orm import Session

from api.cli.common import database, fail, out
from scheduler.contract.followup import END_REASONS, NEXT_STEPS
from scheduler.services.clock import HELSINKI, SYSTEM_CLOCK
from scheduler.storage.enrollments import Ending, end_enrollment, ending_of, groups_below_minimum
from scheduler.storage.models import PlanningSettings

__all__ = ["end", "short"]


def _today(session: Session) -> date:
    """Today in the county's timezone (the planning frame's; Helsinki's when it names none or an unknown one)."""
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
        fail(f"--on {text!r} is not a date: write it as YYYY-MM-DD")


def end(
    client: Annotated[str, typer.Argument(help="client id")],
    group: Annotated[str, typer.Argument(help="group id")],
    on: Annotated[str | None, typer.Option(help="last day, YYYY-MM-DD (default: today)")] = None,
    interrupted: Annotated[bool, typer.Option("--interrupted", help="not completed")] = False,
    stay_waiting: Annotated[
        bool, typer.Option("--stay-waiting", help="keep the client waiting for another group")
    ] = False,
    actor: Annotated[str, typer.Option(help="who ends it, for the audit log")] = "coordinator",
    reason: Annotated[
        str | None,
        typer.Option(help=f"why it ends: {', '.join(END_REASONS)} (any but completed interrupts the seat)"),
    ] = None,
    next_step: Annotated[str | None, typer.Option(help=f"where the client goes next: {', '.join(NEXT_STEPS)}")] = None,
) -> None:
    """End a client's seat in a group, with why and where the client goes next: the seat frees; a group
    left short is flagged, not closed."""
    day = _parse_day(on)
    status: Ending = "interrupted" if interrupted else ending_of(reason)
    with database() as session:
        change = end_enrollment(
            session,
            client,
            group,
            status,
            day or _today(session),
            actor,
            leaves_service=not stay_waiting,
            reason=reason,
            next_step=next_step,
        )
    where = "leaves the service" if change.left_service else "stays on the waiting list"
    out.print(
        f"client {change.client_id} {change.status} group {change.group_id} on {change.on} "
        f"{f' ({reason})' if reason else ''} and {where}; {change.active} active participant(s) remain",
        highlight=False,
    )
    if change.below_minimum:
        out.print(
            f"[bold yellow]below minimum:[/] group {change.group_id} has {change.active} of "
            f"the {change.needed} it needs; it keeps running until the coordinator decides",
            highlight=False,
        )


def short() -> None:
    """List running groups with fewer active participants than their minimum."""
    with database() as session:
        shortfalls = groups_below_minimum(session)
    if not shortfalls:
        out.print("no running group is below its minimum")
    for s in shortfalls:
        out.print(f"{s.group_id} ({s.template_id}): {s.active} active, needs {s.needed}", highlight=False)
