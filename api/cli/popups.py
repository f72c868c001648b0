"""`tarjotin popups ...`: open pop-up sessions; how many a week the planner may place."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.common import database, out
from scheduler.services.planning.popup_slots import MAX_POPUP_SLOTS, popup_slots, set_popup_slots

__all__ = ["slots"]


def slots(
    count: Annotated[
        int | None,
        typer.Argument(min=0, max=MAX_POPUP_SLOTS, help="pop-up sessions a week (leave out to show the setting)"),
    ] = None,
    actor: Annotated[str, typer.Option(help="who changes it, for the audit log")] = "coordinator",
) -> None:
    """Show how many open pop-up sessions a week the county runs, or change it (the next planning run uses it)."""
    with database() as session:
        now = popup_slots(session) if count is None else set_popup_slots(session, actor, count)
    out.print(f"{now} pop-up slots a week", highlight=False)
