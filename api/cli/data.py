"""Documents and the database: JSON Schemas, the built-in scenario, import, export and migrations."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import ExitCode, database, database_name, fail, out, refusals, upgrade_schema
from api.cli.documents import load_problem, write_json
from api.cli.sheet_import import SHEET_SUFFIXES, import_sheets
from scheduler.contract import Plan, Problem
from scheduler.i18n import DEFAULT, LANGS, N_, Lang, gettext
from scheduler.scenario import (
    DEFAULT_REGION,
    NATIONAL,
    NATIONAL_DISPLAY,
    REGIONS,
    area_regions,
    generate,
    generate_national,
)
from scheduler.services.clock import SYSTEM_CLOCK
from scheduler.services.figures import default_period
from scheduler.services.service_periods import sync_all_seat_ends
from scheduler.storage.repository import export_problem, import_problem

__all__ = ["REGION_SUMMARIES", "SCENARIO_REGIONS", "export", "import_", "scenario", "schema", "upgrade"]

Clients = Annotated[int, typer.Option(min=1, max=20000, help="number of waiting clients")]


def schema(kind: Annotated[str, typer.Argument(help="problem or plan")]) -> None:
    """Print the JSON Schema of a contract document."""
    models: dict[str, type[Problem] | type[Plan]] = {"problem": Problem, "plan": Plan}
    if kind not in models:
        fail(f"unknown schema {kind!r}: choose problem or plan")
    print(json.dumps(models[kind].model_json_schema(by_alias=True), indent=2, ensure_ascii=False))


REGION_SUMMARIES: dict[str, str] = {
    "lansi-uusimaa": N_(
        "Western Uusimaa: a big city beside small towns, Swedish in the west; staff and rooms plentiful (the default)"
    ),
    "lappi": N_("Lapland: a sparse north, hubs 60-200 km apart, few staff, most clients drive far"),
    "tampere": N_("The Tampere city region: many hubs close together, most clients ride transit"),
    "pohjanmaa": N_("The Ostrobothnian coast: Swedish the majority, staff and groups in Swedish and Finnish"),
    "kainuu": N_("Kainuu: rooms to spare, leaders scarce (one staff member per 22 clients, some part-time)"),
    NATIONAL: N_(
        "All of mainland Finland: 21 wellbeing services counties and Helsinki, clients, staff and hubs by population"
    ),
}
"""What `tarjotin scenario --list-regions` says of each region (docs/regions.md), from the catalogues."""

SCENARIO_REGIONS: dict[str, str] = {
    **{name: region.display for name, region in REGIONS.items()},
    NATIONAL: NATIONAL_DISPLAY,
}
"""Every name `--region` takes, with the problem's region: the built-in regions, then the national scenario."""


def _list_regions(lang: str) -> None:
    for name, display in SCENARIO_REGIONS.items():
        out.print(f"{name:<14} {display:<25} {gettext(lang, REGION_SUMMARIES[name])}", highlight=False)


def scenario(
    out_file: Annotated[Path | None, typer.Option("--out", help="where to write the problem JSON")] = None,
    clients: Clients = 400,
    seed: Annotated[int, typer.Option(min=0, help="random seed")] = 1,
    region: Annotated[
        str, typer.Option("--region", help="the region to generate (see --list-regions)")
    ] = DEFAULT_REGION,
    list_regions: Annotated[
        bool, typer.Option("--list-regions", help="list the regions with their character and exit")
    ] = False,
    lang: Annotated[str, typer.Option("--lang", help="fi, sv or en: the language of the region list")] = "en",
    kinds: Annotated[
        bool,
        typer.Option(
            "--kinds/--no-kinds",
            help="the handbook's group kinds (pop-ups, closed process groups, hybrid, peers: problem/2), "
            "or a problem/1 scenario as before",
        ),
    ] = True,
) -> None:
    """Write a built-in scenario (Western Uusimaa unless --region says another, national all Finland) to a file."""
    if lang not in LANGS:
        fail(f"--lang {lang!r}: choose fi, sv or en")
    if list_regions:
        _list_regions(lang)
        return
    if region not in SCENARIO_REGIONS:
        fail(
            gettext(
                lang,
                N_("unknown region %(name)s: choose one of %(known)s"),
                name=repr(region),
                known=", ".join(SCENARIO_REGIONS),
            )
        )
    if out_file is None:
        raise typer.BadParameter("say where to write the problem JSON", param_hint="'--out'")
    if region == NATIONAL:
        if clients < len(area_regions()):
            fail(f"--clients {clients}: the national scenario needs at least {len(area_regions())} clients")
        problem = generate_national(clients, seed, group_kinds=kinds)
    else:
        problem = generate(clients, seed, region=region, group_kinds=kinds)
    write_json(out_file, problem.dump())
    out.print(
        f"wrote {out_file}: {problem.region}, {len(problem.clients)} clients, {len(problem.staff)} staff, "
        f"{len(problem.hubs)} hubs, {sum(len(h.rooms) for h in problem.hubs)} rooms, "
        f"{len(problem.templates)} group models"
    )


def upgrade() -> None:
    """Create the database or bring its schema up to date: the one-shot step of a deployment, before the service
    starts (safe to run while replicas run or start: the upgrades take turns)."""
    with refusals():
        said = upgrade_schema(again=True)
    out.print(f"database {database_name()}: {said}", highlight=False)


def import_(
    files: Annotated[list[Path], typer.Argument(help="a problem JSON, or .xlsx and .csv sheets (docs/sheets.md)")],
    check: Annotated[
        bool, typer.Option("--check", help="sheets: show what the files would change and their faults; store nothing")
    ] = False,
    lang: Annotated[str, typer.Option("--lang", help="fi, sv or en: the language of the sheets' faults")] = "en",
) -> None:
    """Store a contract problem, or spreadsheets of clients, staff, hubs, rooms, group models and closures, in the
    database (running again updates, never duplicates; sheets are stored only when every row is faultless)."""
    if lang not in LANGS:
        fail(f"--lang {lang!r}: choose fi, sv or en")
    sheets = [f for f in files if f.suffix.lower() in SHEET_SUFFIXES]
    if sheets:
        if len(sheets) != len(files):
            fail("give either one problem JSON or spreadsheets (.xlsx, .csv), not both")
        import_sheets(files, check, lang)
        return
    if len(files) != 1 or check:
        fail("give one problem JSON (--check is for spreadsheets)" if check else "give one problem JSON")
    problem = load_problem(files[0])
    with database() as session:
        counts = import_problem(session, problem, actor="cli")
        moved = sync_all_seat_ends(session)  # a continuation imported moves the end of the client's seats
    out.print("imported " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    if moved:
        out.print(f"{moved} seats now end with their clients' decisions as imported")


FORMATS = ("json", "xlsx")


def _export_options(out_file: Path, form: str, lang: str | None) -> None:
    """Refuse a format, a file name or a language that do not go together, naming the option."""
    if form not in FORMATS:
        fail(f"--format {form!r}: choose json (the problem) or xlsx (the week as a workbook)", ExitCode.USAGE)
    suffix = out_file.suffix.lower()
    if form == "xlsx" and suffix != ".xlsx":
        fail(f"--out {out_file}: a workbook's name ends in .xlsx (with --format xlsx)", ExitCode.USAGE)
    if form == "json" and suffix in (".xlsx", ".xls", ".csv", ".ods"):
        fail(f"--out {out_file}: --format json writes JSON; for a workbook give --format xlsx", ExitCode.USAGE)
    if lang is not None and form != "xlsx":
        fail(f"--lang {lang}: only a workbook (--format xlsx) has a language", ExitCode.USAGE)
    if lang is not None and lang not in LANGS:
        fail(f"--lang {lang!r}: choose fi, sv or en", ExitCode.USAGE)


def _day(option: str, text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text is not None else None
    except ValueError:
        fail(f"{option} {text!r}: write the date as YYYY-MM-DD", ExitCode.USAGE)


def export(
    out_file: Annotated[Path, typer.Option("--out", help="where to write the problem JSON or the workbook")],
    form: Annotated[
        str, typer.Option("--format", help="json: the problem (running groups with their participants); xlsx: the week")
    ] = "json",
    lang: Annotated[
        str | None, typer.Option("--lang", help="the workbook's language: fi (the default), sv or en")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="the workbook's county figures from this day (default: this month)")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="the county figures up to this day (default: today)")] = None,
) -> None:
    """Write the database as a contract problem (running groups with their participants), or with --format xlsx
    the coordinator's week as an Excel workbook: board, staff timetables, unplaced clients, capacity, county figures."""
    _export_options(out_file, form, lang)
    if form == "xlsx":
        _export_workbook(out_file, Lang(lang or DEFAULT), _day("--from", start), _day("--to", end))
        return
    if start is not None or end is not None:
        fail("--from and --to: only a workbook (--format xlsx) has county figures", ExitCode.USAGE)
    with database() as session:
        problem = export_problem(session)
    write_json(out_file, problem.dump())
    out.print(f"wrote {out_file}: {len(problem.clients)} clients, {len(problem.groups)} running groups")


def _export_workbook(out_file: Path, lang: Lang, start: date | None, end: date | None) -> None:
    from api.exports.week import DATE_FORMATS, week_sheets  # late: the pages' labels and openpyxl, for xlsx only
    from api.exports.xlsx import workbook_bytes

    today = SYSTEM_CLOCK.today()
    first, last = default_period(today)
    period = (start or first, end or last)
    if period[0] > period[1]:
        fail(f"--from {period[0]} --to {period[1]}: the period starts after it ends", ExitCode.USAGE)
    with database() as session:
        sheets = week_sheets(session, lang, today, period)
    try:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_bytes(workbook_bytes(sheets, DATE_FORMATS[lang.code]))
    except OSError as error:
        fail(f"--out {out_file}: cannot write it ({error.strerror or error})")
    counts = ", ".join(f"{sheet.title} {len(sheet.rows)}" for sheet in sheets)
    out.print(f"wrote {out_file}: rows per sheet: {counts}", highlight=False)
