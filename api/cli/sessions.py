"""`tarjotin session ...`: one session of a group listed, cancelled, moved, given a substitute or
restored; or a whole group cancelled from a date."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from api.cli.common import database, fail, out
from scheduler.contract import minutes
from scheduler.services.session_changes import cancel_group, cancel_session, change_session, restore_session
from scheduler.services.term_sessions import group_sessions

__all__ = ["cancel", "cancel_whole", "change", "list_", "restore"]

GroupId = Annotated[str, typer.Argument(help="group id")]
Day = Annotated[str, typer.Argument(help="the session's date in the weekly rhythm, YYYY-MM-DD")]
Reason = Annotated[str | None, typer.Option(help="shown to subscribers")]


def _date(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{name} {text!r} is not a date: write it as YYYY-MM-DD")


def list_(group: GroupId) -> None:
    """The group's sessions over the term with their status."""
    with database() as session:
        terms = group_sessions(session, group)
    for s in terms:
        when = f"{s.day} {s.start}-{s.end}" if s.held else str(s.planned)
        out.print(f"{s.planned}  {s.status:<10} {when}  {s.reason or ''}", highlight=False)


def cancel(group: GroupId, day: Day, reason: Reason = None) -> None:
    """Call off one session of a group."""
    with database() as session:
        cancel_session(session, group, _date(day, "DAY"), reason, actor="cli")
    out.print(f"group {group}: the session of {day} is cancelled", highlight=False)


def change(
    group: GroupId, day: Day,
    to: Annotated[str | None, typer.Option(help="another date, YYYY-MM-DD")] = None,
    start: Annotated[str | None, typer.Option(help="HH:MM")] = None,
    end: Annotated[str | None, typer.Option(help="HH:MM")] = None,
    hub: Annotated[str | None, typer.Option(help="another hub (give --room too)")] = None,
    room: Annotated[str | None, typer.Option(help="another room")] = None,
    leader: Annotated[list[str] | None, typer.Option(help="substitute leader (once or twice)")] = None,
    reason: Reason = None,
) -> None:
    """Move one session (date, time, hub, room) or give it a substitute leader."""
    for name, value in (("--start", start), ("--end", end)):
        if value is not None:
            try:
                minutes(value)
            except ValueError:
                fail(f"{name} {value!r} is not a time of day HH:MM")
    given = {"moved_to": _date(to, "--to") if to else None, "start": start, "end": end, "hub_id": hub,
             "room_id": room, "leaders": leader or None}
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        fail("say what changes: --to, --start, --end, --hub, --room or --leader")
    with database() as session:
        change_session(session, group, _date(day, "DAY"), {**changes, "reason": reason}, actor="cli")
    out.print(f"group {group}: the session of {day} is changed ({', '.join(sorted(changes))})", highlight=False)


def restore(group: GroupId, day: Day) -> None:
    """Undo a session's change: it is held as the weekly rhythm says."""
    with database() as session:
        restore_session(session, group, _date(day, "DAY"), actor="cli")
    out.print(f"group {group}: the session of {day} is held as planned", highlight=False)


def cancel_whole(group: GroupId,
                 on: Annotated[str, typer.Option(help="the first date without sessions, YYYY-MM-DD")],
                 reason: Reason = None) -> None:
    """Cancel a whole group from a date: its seats end; feeds show it cancelled until its term ends."""
    with database() as session:
        cancel_group(session, group, _date(on, "--on"), reason, actor="cli")
    out.print(f"group {group} is cancelled from {on}", highlight=False)
