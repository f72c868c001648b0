"""`tarjotin offers ...`: the offers made by publishing, the daily step that expires them, and their terms."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from api.cli.common import JsonFlag, database, fail, messages, out, print_json
from api.cli.enrollments import _today
from scheduler.services.clock import SYSTEM_CLOCK
from scheduler.services.offers import OFFER_STATUSES, daily_step, list_offers, offer_terms, set_offer_terms
from scheduler.services.ownership import Handler

__all__ = ["expire", "list_", "settings"]

COORDINATOR = Handler("coordinator")


def expire(
    today: Annotated[str | None, typer.Option(help="the day to run for, YYYY-MM-DD (default: today)")] = None,
    actor: Annotated[str, typer.Option(help="who runs it, for the audit log")] = "daily-step",
    json_output: JsonFlag = False,
) -> None:
    """The daily step: offers not answered by their reply-by day expire, seats past their last day complete, and
    counsellors get a notice of offers to answer within two days (mailed by `tarjotin notices send`)."""
    day = _parse_day(today)
    with database() as session:
        done = daily_step(session, day or _today(session), actor, SYSTEM_CLOCK.now())
    if json_output:
        print_json(
            {"offers_expired": done.expired, "seats_completed": done.completed, "expiring_notices": done.reminded}
        )
    messages(json_output).print(
        f"{done.expired} offers expired, {done.completed} seats completed (their service period ended), "
        f"{done.reminded} notices of offers about to expire",
        highlight=False,
    )


def list_(
    status: Annotated[str | None, typer.Option(help=f"only offers in this status: {', '.join(OFFER_STATUSES)}")] = None,
    json_output: JsonFlag = False,
) -> None:
    """The offers, newest first."""
    if status is not None and status not in OFFER_STATUSES:
        fail(f"--status {status!r} is not an offer status: give one of {', '.join(OFFER_STATUSES)}")
    with database() as session:
        rows = [
            {
                "id": o.id,
                "client": o.client_id,
                "group": o.group_id,
                "status": o.status,
                "starts_on": o.starts_on.isoformat(),
                "reply_by": o.reply_by.isoformat(),
                "decline_reason": o.decline_reason,
                "enrollment": o.enrollment_id,
            }
            for o in list_offers(session, COORDINATOR, status)
        ]
    if json_output:
        print_json({"offers": rows})
        return
    if not rows:
        out.print("no offers" + (f" {status}" if status else ""))
    for row in rows:
        extra = f" ({row['decline_reason']})" if row["decline_reason"] else ""
        out.print(
            f"offer {row['id']}: client {row['client']} group {row['group']} {row['status']}{extra}, "
            f"starts {row['starts_on']}, reply by {row['reply_by']}",
            highlight=False,
            markup=False,
        )


def settings(
    reply_days: Annotated[int | None, typer.Option(min=1, max=90, help="days a client has to answer")] = None,
    accept_at_once: Annotated[
        bool | None,
        typer.Option(
            "--accept-at-once/--ask", help="publishing seats clients at once, or offers them a seat to accept"
        ),
    ] = None,
    actor: Annotated[str, typer.Option(help="who changes them, for the audit log")] = "coordinator",
) -> None:
    """Show the county's offer terms, or change them."""
    with database() as session:
        if reply_days is None and accept_at_once is None:
            terms = offer_terms(session)
        else:
            terms = set_offer_terms(session, actor, reply_days, accept_at_once)
    how = "seats at once (nobody is asked)" if terms.accept_at_once else "offers the client accepts or declines"
    out.print(f"reply within {terms.reply_days} days; publishing makes {how}", highlight=False)


def _parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"--today {text!r} is not a date: write it as YYYY-MM-DD")
