"""`tarjotin partners ...`: partners' and third-sector activities, imported from CSV and listed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import JsonFlag, database, fail, messages, out, print_json
from scheduler.services.clock import SYSTEM_CLOCK
from scheduler.services.partner_csv import import_partners
from scheduler.services.partners import PartnerFilter, list_partners

__all__ = ["import_", "list_"]


def import_(
    csv_file: Annotated[Path, typer.Argument(help="the CSV file (docs/partners.md: a header of field names)")],
    actor: Annotated[str, typer.Option(help="who imports, for the audit log")] = "cli",
    json_output: JsonFlag = False,
) -> None:
    """Import activities from a CSV file: every fault named by row and column, nothing stored unless the whole
    file is valid; the same file again changes nothing."""
    try:
        text = csv_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"cannot read {csv_file}: {getattr(error, 'strerror', None) or error}")
    with database() as session:
        result = import_partners(session, text, actor)
    if json_output:
        print_json({"created": result.created, "updated": result.updated, "unchanged": result.unchanged})
    messages(json_output).print(
        f"imported {csv_file}: {len(result.created)} created, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged",
        highlight=False,
        markup=False,
    )


def list_(
    municipality: Annotated[str | None, typer.Option(help="only activities in this municipality")] = None,
    ended: Annotated[bool, typer.Option("--ended", help="also activities whose last date has passed")] = False,
    json_output: JsonFlag = False,
) -> None:
    """The activities by municipality, weekday and time (each a partner's, never planned by the county)."""
    with database() as session:
        found = list_partners(
            session, PartnerFilter(municipality=municipality, on=None if ended else SYSTEM_CLOCK.today())
        )
    if json_output:
        print_json({"partners": [a.model_dump(mode="json") for a in found]})
        return
    if not found:
        out.print("no partner activities" + (f" in {municipality}" if municipality else ""), markup=False)
    for a in found:
        out.print(
            f"{a.id}: {a.name} ({a.organisation}), {a.municipality}, {a.day} {a.start}-{a.end}, "
            f"{'/'.join(a.languages)}, {a.place}",
            highlight=False,
            markup=False,
        )
