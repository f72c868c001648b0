"""`tarjotin feeds --out DIR` and `tarjotin feed-token ...`: calendar feeds as static files, and
staff members' secret feed addresses."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from api.cli.common import database, fail, out
from calendars import LANGS, Organizer
from scheduler.services.clock import SYSTEM_CLOCK
from scheduler.services.feeds import (
    FeedContext,
    group_of,
    load_series,
    offering_feed,
    one_group_feed,
    one_hub_feed,
    staff_feed,
)
from scheduler.settings import get_settings
from scheduler.storage.feed_tokens import renew_feed_token, revoke_feed_token
from scheduler.storage.models import HubRow, StaffRow

__all__ = ["renew", "revoke", "write_feeds"]

Lang = Annotated[str, typer.Option(help="fi, sv or en: the language of titles and descriptions")]
StaffId = Annotated[str, typer.Argument(help="the staff member's id")]


def _context(lang: str) -> FeedContext:
    if lang not in LANGS:
        fail(f"--lang {lang!r}: choose fi, sv or en")
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
    context = _context(lang)
    files: dict[str, bytes] = {}
    with database() as session:
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
        fail(f"cannot write to {out_dir}: {error.strerror or error}")
    out.print(f"wrote {len(files)} feeds to {out_dir}" + ("" if staff else
              " (staff feeds are secret and served only at /calendars/staff/TOKEN.ics; --staff writes them too)"))


def renew(staff_id: StaffId) -> None:
    """Make (or renew) a staff member's feed address and print it once; any earlier one stops working."""
    with database() as session:
        token = renew_feed_token(session, staff_id)
    url = f"{get_settings().public_url.rstrip('/')}/calendars/staff/{token}.ics"
    out.print(f"feed address of {staff_id} (shown once, give it only to them):")
    print(url)
    print(url.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1))


def revoke(staff_id: StaffId) -> None:
    """Revoke a staff member's feed address: it answers 404 from now on."""
    with database() as session:
        revoke_feed_token(session, staff_id)
    out.print(f"the feed address of {staff_id} is revoked")
