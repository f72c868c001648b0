"""`tarjotin simulate`: a season of weekly planning on an embedded database, measured as clients feel it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from api.cli.common import err, fail, out, refusals
from api.cli.documents import read_json, write_json
from api.cli.plans import checked_lang
from scheduler.scenario import DEFAULT_REGION, REGIONS
from scheduler.services.simulation import Season, SimulationReport, WeekFigures, World, parse_policy, simulate

__all__ = ["simulate_season"]


def simulate_season(
    region: Annotated[
        str, typer.Option("--region", help="the region (tarjotin scenario --list-regions)")
    ] = DEFAULT_REGION,
    clients: Annotated[int, typer.Option(min=1, max=5000, help="clients waiting at the start")] = 400,
    weeks: Annotated[int, typer.Option(min=1, max=104, help="weeks to simulate")] = 26,
    policy: Annotated[
        list[str] | None,
        typer.Option(
            "--policy",
            metavar="PRESET[@REACH]",
            help="a policy to simulate (handbook, placement; @MINUTES or @none sets the leader reach); "
            "give it again for policies side by side on the same world. Default: handbook",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(min=0, help="the world's random seed (the same seed, the same report)")] = 1,
    world_file: Annotated[
        Path | None, typer.Option("--world", help="a JSON file of world assumptions replacing the defaults")
    ] = None,
    effort: Annotated[
        float, typer.Option(min=0.1, max=600, help="each weekly solve's deterministic effort (CP-SAT seconds)")
    ] = 2.0,
    time_limit: Annotated[float, typer.Option(min=1, max=600, help="each weekly solve's wall-clock limit")] = 20.0,
    out_file: Annotated[Path | None, typer.Option("--out", help="where to write the report JSON")] = None,
    html_file: Annotated[Path | None, typer.Option("--html", help="where to write the report as a web page")] = None,
    lang: Annotated[str, typer.Option("--lang", help="fi, sv or en: the web page's language")] = "en",
    keep: Annotated[
        Path | None, typer.Option("--keep", help="a folder to keep each policy's season database in (season-N.db)")
    ] = None,
) -> None:
    """Simulate weekly planning over a season and measure the wait from case opening to the first session."""
    checked_lang(lang)
    if region not in REGIONS:
        fail(f"--region {region!r}: choose one of {', '.join(REGIONS)}")
    with refusals():
        chosen = [parse_policy(text) for text in policy or ["handbook"]]
    labels = [p.label for p in chosen]
    if len(set(labels)) < len(labels):
        fail(f"--policy: each policy once, not {', '.join(labels)}")
    world = _world(world_file)
    season = Season(region, clients, weeks, seed, world, time_limit, effort)
    err.print(
        f"simulating {weeks} weeks of {REGIONS[region].display} from {season.start} with {clients} clients waiting, "
        f"under {', '.join(labels)}; each weekly solve {effort:g} deterministic s (at most {time_limit:g} s)",
        highlight=False,
    )
    began = time.perf_counter()
    with refusals():
        report = simulate(season, chosen, workdir=keep, done=_told)
    seconds = time.perf_counter() - began
    _show(report)
    out.print(f"simulated in {seconds:.0f} s", highlight=False)
    if out_file is not None:
        write_json(out_file, report.dump())
        out.print(f"report: {out_file}", highlight=False)
    if html_file is not None:
        from api.pages.simulation_report import render_simulation  # late: Jinja and the catalogues

        try:
            html_file.parent.mkdir(parents=True, exist_ok=True)
            html_file.write_text(render_simulation(report, lang), encoding="utf-8")
        except OSError as error:
            fail(f"cannot write {html_file}: {error.strerror or error}")
        out.print(f"web page: {html_file}", highlight=False)


def _world(path: Path | None) -> World:
    """The defaults, with the file's assumptions in their place; each fault named by its field."""
    if path is None:
        return World()
    data = read_json(path, "world")
    if not isinstance(data, dict):
        fail(f'{path}: give the world as a JSON object of assumptions, e.g. {{"accept": 0.8}}')
    try:
        return World.model_validate(data)
    except ValidationError as error:
        faults = [f"{'.'.join(str(p) for p in e['loc']) or 'world'}: {e['msg']}" for e in error.errors()]
        fail(f"{path} has {len(faults)} problem(s):\n  " + "\n  ".join(faults))


def _told(label: str, week: WeekFigures, seconds: float) -> None:
    err.print(
        f"{label} · week {week.week} ({week.monday}): {week.waiting} waiting, {week.offered} offered, "
        f"{week.seated} seated, {week.ended} ended; {week.groups_running} groups; {seconds:.1f} s",
        highlight=False,
    )


def _show(report: SimulationReport) -> None:
    """The season per policy, side by side."""
    from rich.table import Table

    table = Table(title=f"{report.region_display}: {report.weeks} weeks from {report.start}, seed {report.seed}")
    table.add_column("season")
    for run in report.policies:
        table.add_column(run.label, justify="right")
    rows = [
        ("arrived", "arrived"),
        ("first sessions", "first_sessions"),
        ("median wait, days", "median_wait_days"),
        ("90th percentile wait, days", "p90_wait_days"),
        ("first session past three months", "past_three_months"),
        ("still waiting past three months", "still_waiting_past_three_months"),
        ("still waiting at the end", "still_waiting"),
        ("offers made / accepted", None),
        ("groups opened / closed", None),
        ("groups with two leaders, mean share", "mean_two_leader_share"),
        ("mean seat use", "mean_seat_use"),
        ("staff hours / driving hours", None),
    ]
    for title, name in rows:
        cells = []
        for run in report.policies:
            s = run.season
            if name is not None:
                value = getattr(s, name)
                share = name.startswith("mean_") and name.endswith(("_use", "_share"))
                cells.append("–" if value is None else f"{value:.0%}" if share else f"{value:g}")
            elif title.startswith("offers"):
                cells.append(f"{s.offers_made} / {s.offers_accepted}")
            elif title.startswith("groups"):
                cells.append(f"{s.groups_opened} / {s.groups_closed}")
            else:
                cells.append(f"{s.staff_minutes / 60:.0f} / {s.driving_minutes / 60:.0f}")
        table.add_row(title, *cells)
    out.print(table)
