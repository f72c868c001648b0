"""`tarjotin feeds --out DIR`, `tarjotin feed-token ...` and `tarjotin session ...`: calendar feeds as
static files, staff members' secret feed addresses, and one session (or a whole group) changed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from sqlalchemy.orm import Session

__all__ = ["feed_tokens", "sessions", "write_feeds"]

out = Console(soft_wrap=True)
feed_tokens = typer.Typer(no_args_is_help=True, help="Staff members' secret calendar feed addresses.")
sessions = typer.Typer(no_args_is_help=True, help="One session of a group: cancel, move, substitute, undo; "
                                                   "or cancel a whole group.")
Lang = Annotated[str, typer.Option(help="fi, sv or en: the language of titles and descriptions")]
Day = Annotated[str, typer.Argument(help="the session's date in the weekly rhythm, YYYY-MM-DD")]
Reason = Annotated[str | None, typer.Option(help="shown to subscribers")]


def _fail(message: str) -> NoReturn:
    from api.cli.core import fail  # late: scheduler.cli registers this module

    fail(message)


@contextmanager
def _session() -> Iterator[Session]:
    """A transaction on the configured database; every fault one plain line, never a traceback."""
    from api.cli.core import _database_errors, _engine, _ensure_schema
    from scheduler.services.session_changes import ChangeError
    from scheduler.storage.database import session_scope
    from scheduler.storage.tokens import TokenError

    with _database_errors():
        _ensure_schema()
        try:
            with session_scope(_engine()) as session:  # type: ignore[no-untyped-call]
                yield session
        except (ChangeError, TokenError) as error:
            _fail(str(error))


def _date(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"{name} {text!r} is not a date: write it as YYYY-MM-DD")


def _context(lang: str):  # type: ignore[no-untyped-def]
    from calendars import LANGS, Organizer

    from scheduler.services.clock import SYSTEM_CLOCK
    from scheduler.services.feeds import FeedContext
    from scheduler.settings import get_settings

    if lang not in LANGS:
        _fail(f"--lang {lang!r}: choose fi, sv or en")
    settings = get_settings()
    organizer = Organizer(settings.feed_organizer_name, settings.feed_organizer_email)
    return FeedContext(lang, SYSTEM_CLOCK.today(), settings.public_url, organizer)


def write_feeds(
    out_dir: Annotated[Path, typer.Option("--out", help="the folder to write the .ics files into")],
    lang: Lang = "fi",
    staff: Annotated[bool, typer.Option("--staff", help="also each staff member's feed (secret: keep the "
                                                         "folder private)")] = False,
) -> None:
    """Write the feeds as static files: offering.ics, hubs/*.ics, groups/*.ics (staff/*.ics with --staff)."""
    from sqlalchemy import select

    from scheduler.services.feeds import group_of, load_series, offering_feed, one_group_feed, one_hub_feed, staff_feed
    from scheduler.storage.models import HubRow, StaffRow

    context = _context(lang)
    files: dict[str, bytes] = {}
    with _session() as session:
        files["offering.ics"] = offering_feed(session, context)
        for hub_id in session.scalars(select(HubRow.id).order_by(HubRow.id)):
            files[f"hubs/{hub_id}.ics"] = one_hub_feed(session, hub_id, context)
        for series in load_series(session, context):
            group_id = group_of(series.uid)
            files[f"groups/{group_id}.ics"] = one_group_feed(session, group_id, context)
        if staff:
            for staff_id in session.scalars(select(StaffRow.id).order_by(StaffRow.id)):
                files[f"staff/{staff_id}.ics"] = staff_feed(session, staff_id, context)
    try:
        for name, body in files.items():
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (out_dir / name).write_bytes(body)
    except OSError as error:
        _fail(f"cannot write to {out_dir}: {error.strerror or error}")
    out.print(f"wrote {len(files)} feeds to {out_dir}" + ("" if staff else
              " (staff feeds are secret and served only at /calendars/staff/TOKEN.ics; --staff writes them too)"))


@feed_tokens.command("renew")
def renew(staff_id: Annotated[str, typer.Argument(help="the staff member's id")]) -> None:
    """Make (or renew) a staff member's feed address and print it once; any earlier one stops working."""
    from scheduler.settings import get_settings
    from scheduler.storage.feed_tokens import renew_feed_token

    with _session() as session:
        token = renew_feed_token(session, staff_id)
    url = f"{get_settings().public_url.rstrip('/')}/calendars/staff/{token}.ics"
    out.print(f"feed address of {staff_id} (shown once, give it only to them):")
    print(url)
    print(url.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1))


@feed_tokens.command("revoke")
def revoke(staff_id: Annotated[str, typer.Argument(help="the staff member's id")]) -> None:
    """Revoke a staff member's feed address: it answers 404 from now on."""
    from scheduler.storage.feed_tokens import revoke_feed_token

    with _session() as session:
        revoke_feed_token(session, staff_id)
    out.print(f"the feed address of {staff_id} is revoked")


@sessions.command("list")
def list_(group: Annotated[str, typer.Argument(help="group id")]) -> None:
    """The group's sessions over the term with their status."""
    from scheduler.services.term_sessions import group_sessions

    with _session() as session:
        terms = group_sessions(session, group)
    for s in terms:
        when = f"{s.day} {s.start}-{s.end}" if s.held else str(s.planned)
        out.print(f"{s.planned}  {s.status:<10} {when}  {s.reason or ''}", highlight=False)


@sessions.command("cancel")
def cancel(group: Annotated[str, typer.Argument(help="group id")], day: Day, reason: Reason = None) -> None:
    """Call off one session of a group."""
    from scheduler.services.session_changes import cancel_session

    with _session() as session:
        cancel_session(session, group, _date(day, "DAY"), reason, actor="cli")
    out.print(f"group {group}: the session of {day} is cancelled", highlight=False)


@sessions.command("change")
def change(
    group: Annotated[str, typer.Argument(help="group id")], day: Day,
    to: Annotated[str | None, typer.Option(help="another date, YYYY-MM-DD")] = None,
    start: Annotated[str | None, typer.Option(help="HH:MM")] = None,
    end: Annotated[str | None, typer.Option(help="HH:MM")] = None,
    hub: Annotated[str | None, typer.Option(help="another hub (give --room too)")] = None,
    room: Annotated[str | None, typer.Option(help="another room")] = None,
    leader: Annotated[list[str] | None, typer.Option(help="substitute leader (once or twice)")] = None,
    reason: Reason = None,
) -> None:
    """Move one session (date, time, hub, room) or give it a substitute leader."""
    from scheduler.contract import minutes
    from scheduler.services.session_changes import change_session

    for name, value in (("--start", start), ("--end", end)):
        if value is not None:
            try:
                minutes(value)
            except ValueError:
                _fail(f"{name} {value!r} is not a time of day HH:MM")
    given = {"moved_to": _date(to, "--to") if to else None, "start": start, "end": end, "hub_id": hub,
             "room_id": room, "leaders": leader or None}
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        _fail("say what changes: --to, --start, --end, --hub, --room or --leader")
    with _session() as session:
        change_session(session, group, _date(day, "DAY"), {**changes, "reason": reason}, actor="cli")
    out.print(f"group {group}: the session of {day} is changed ({', '.join(sorted(changes))})", highlight=False)


@sessions.command("restore")
def restore(group: Annotated[str, typer.Argument(help="group id")], day: Day) -> None:
    """Undo a session's change: it is held as the weekly rhythm says."""
    from scheduler.services.session_changes import restore_session

    with _session() as session:
        restore_session(session, group, _date(day, "DAY"), actor="cli")
    out.print(f"group {group}: the session of {day} is held as planned", highlight=False)


@sessions.command("cancel-group")
def cancel_whole(group: Annotated[str, typer.Argument(help="group id")],
                 on: Annotated[str, typer.Option(help="the first date without sessions, YYYY-MM-DD")],
                 reason: Reason = None) -> None:
    """Cancel a whole group from a date: its seats end; feeds show it cancelled until its term ends."""
    from scheduler.services.session_changes import cancel_group

    with _session() as session:
        cancel_group(session, group, _date(on, "--on"), reason, actor="cli")
    out.print(f"group {group} is cancelled from {on}", highlight=False)
