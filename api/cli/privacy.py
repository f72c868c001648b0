"""`tarjotin client erase ID` and `tarjotin purge`: a person erased on request, old personal data on schedule."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.common import JsonFlag, database, fail, messages, print_json
from scheduler.services.clock import SYSTEM_CLOCK
from scheduler.services.erasure import erase_client
from scheduler.services.retention import ages_of, purge
from scheduler.settings import get_settings

__all__ = ["erase", "purge_old"]

Actor = Annotated[str, typer.Option(help="who does it, for the audit log")]


def erase(
    client: Annotated[str, typer.Argument(help="client id")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="do not ask: erase at once")] = False,
    actor: Actor = "coordinator",
    json_output: JsonFlag = False,
) -> None:
    """Erase a client everywhere (seats, waiting lists, planning runs, audit log, stored answers); cannot be undone.

    Seats are counted, by group and status, in the erasure's audit entry; nothing names the client again.
    """
    if not yes and not typer.confirm(f"Erase client {client!r} everywhere? This cannot be undone.", err=True):
        fail(f"client {client!r} was not erased")
    with database() as session:
        done = erase_client(session, client, actor, SYSTEM_CLOCK.now())
    if json_output:
        print_json({"erased": True, **done.to_json()})
        return
    seats = sum(sum(by_status.values()) for by_status in done.seats.values())
    messages(json_output).print(
        f"client {client} is erased: {seats} seat(s) and {done.waitlist} waiting-list place(s) removed "
        f"(counted in the audit log), {done.runs} planning run(s) and {done.audit_entries} audit entries "
        f"scrubbed, {done.idempotency_keys} stored answer(s) removed",
        highlight=False,
        markup=False,
    )


def purge_old(
    older_than: Annotated[
        int | None,
        typer.Option(
            "--older-than",
            min=0,
            metavar="DAYS",
            help="one age in days for everything (default: TARJOTIN_RETENTION_DAYS for ended seats, "
            "TARJOTIN_RUN_RETENTION_DAYS for planning runs, TARJOTIN_IDEMPOTENCY_RETENTION_HOURS for stored answers)",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="count what would go; remove nothing")] = False,
    actor: Actor = "retention",
    json_output: JsonFlag = False,
) -> None:
    """Remove personal data past its age: planning runs, stored idempotent answers, ended seats' clients,
    attendance marks and notices."""
    ages = ages_of(get_settings(), older_than)
    with database() as session:
        done = purge(session, ages, actor, SYSTEM_CLOCK.now(), dry_run=dry_run)
    if json_output:
        print_json({"dry_run": dry_run, **done.to_json()})
        return
    verb = "would remove" if dry_run else "removed"
    messages(json_output).print(
        f"{verb} {done.runs} planning run(s), {done.idempotency_keys} stored answer(s), {done.seat_total} "
        f"ended seat(s), {done.waitlist} waiting-list place(s), {done.attendance} attendance mark(s) and "
        f"{done.notices} notice(s); {done.audit_entries} audit entries "
        f"{'would lose' if dry_run else 'lost'} their client id",
        highlight=False,
        markup=False,
    )
