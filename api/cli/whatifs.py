"""What-if plans on the database: `whatif` plans one (from changes given as JSON, or from an advice's change) and
prints what it brings, or compares saved ones side by side; `whatifs` lists them."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import TypeAdapter, ValidationError
from rich.table import Table

from api.cli.advice import advice_jobs, by_place, describe, planned_run
from api.cli.common import err, fail, out
from scheduler.contract.advice import WhatIfDiff
from scheduler.contract.whatif import CHANGE_KINDS, Change

if TYPE_CHECKING:
    from scheduler.services.advice.jobs import AdviceJobs, WhatIfState

__all__ = ["parse_changes", "whatif", "whatifs"]

CHANGES: TypeAdapter[list[Change]] = TypeAdapter(list[Change])


def parse_changes(texts: list[str]) -> list[Change]:
    """The `--change` options as changes; a fault is a plain error naming the option and the field."""
    values: list[Any] = []
    for number, text in enumerate(texts, start=1):
        try:
            values.append(json.loads(text))
        except json.JSONDecodeError as error:
            fail(f"--change #{number} is not valid JSON: {error.msg} at column {error.colno}")
    try:
        return CHANGES.validate_python(values)
    except ValidationError as error:
        first = error.errors()[0]
        where = first["loc"]
        number = int(where[0]) + 1 if where and isinstance(where[0], int) else 1
        path = [str(part) for part in where[1:]]
        field = ".".join(path[1:] if path and path[0] in CHANGE_KINDS else path) or "kind"
        fail(f"--change #{number} (changes[{number - 1}]): {field}: {first['msg']}")


def _from_advice(jobs: AdviceJobs, advice_id: int, item: int | None) -> tuple[int, Change]:
    """The run and the change of an advice's item (its rank, from 1)."""
    state = jobs.advice_state(advice_id)
    items = state.advice.items if state.advice is not None else []
    if not items:
        fail(f"advice {advice_id} has no changes ({state.status})")
    if item is None or not 1 <= item <= len(items):
        fail(f"--item: give the rank of one of advice {advice_id}'s {len(items)} change(s), from 1 to {len(items)}")
    return state.run_id, items[item - 1].change


def whatif(
    name: Annotated[str | None, typer.Option("--name", help="the what-if's name (unique)")] = None,
    change: Annotated[
        list[str] | None,
        typer.Option(
            "--change",
            metavar="JSON",
            help='a change as JSON, e.g. \'{"kind": "client_remote", "client": "c1"}\' (repeat for more)',
        ),
    ] = None,
    run: Annotated[str, typer.Option("--run", help="a run id, or 'latest' (the newest run with a plan)")] = "latest",
    from_advice: Annotated[
        int | None, typer.Option("--from-advice", min=1, help="take the change of this advice's item (--item)")
    ] = None,
    item: Annotated[int | None, typer.Option("--item", min=1, help="the rank of the advice's change, from 1")] = None,
    compare: Annotated[
        bool, typer.Option("--compare", help="compare saved what-ifs, named as arguments, side by side")
    ] = False,
    names: Annotated[list[str] | None, typer.Argument(help="with --compare: the what-ifs' names")] = None,
    actor: Annotated[str, typer.Option(help="who asks, for the audit log")] = "coordinator",
) -> None:
    """Plan a what-if: the run's plan again with the changes made, every group kept, the stored data untouched;
    print what the changes bring against the same re-plan without them. With --compare: saved what-ifs side by
    side (`tarjotin whatif --compare NAME NAME`)."""
    if compare:
        if change or from_advice is not None:
            fail("--compare shows saved what-ifs; give no --change or --from-advice with it")
        if not names or len(names) < 2:
            fail("--compare: name two or more saved what-ifs (`tarjotin whatifs` lists them)")
        _compare(names)
        return
    if names:
        fail(f"unexpected argument {names[0]!r}: names go with --compare; a new what-if's name with --name")
    if from_advice is None and not change:
        fail("give the changes (--change JSON, repeated) or an advice's change (--from-advice ID --item RANK)")
    if from_advice is not None and change:
        fail("give either --change or --from-advice, not both")
    if from_advice is None and item is not None:
        fail("--item goes with --from-advice")
    changes = parse_changes(change or [])
    with advice_jobs() as jobs:
        if from_advice is not None:
            run_id, taken = _from_advice(jobs, from_advice, item)
            changes = [taken]
            name = name or f"advice {from_advice} item {item}"
        else:
            run_id = planned_run(run)
        if not name:
            fail("--name: give the what-if a name")
        whatif_id = jobs.create_whatif(run_id, name, changes, actor)
        began = time.monotonic()
        with err.status(f"what-if {name!r}: planning"):
            jobs.wait_whatif(whatif_id)
        state = jobs.whatif_state(whatif_id)
    if state.status != "done" or state.diff is None:
        fail(f"what-if {name!r} {state.status}" + (f": {state.error}" if state.error else ""))
    err.print(f"what-if {whatif_id} planned in {time.monotonic() - began:.1f} s", highlight=False)
    show_whatif(state, state.diff)


def show_whatif(state: WhatIfState, diff: WhatIfDiff) -> None:
    """What the what-if's changes bring: clients placed, where, the groups opened, the staff's time."""
    out.print(f"what-if {state.name!r} on planning run {state.run_id}:", highlight=False)
    for change in state.changes:
        out.print(f"  - {describe(change)}", highlight=False)
    out.print(
        f"clients placed: {diff.placed_before} -> {diff.placed_after} ({diff.placed_gain:+d}); "
        f"by municipality/language: {by_place(diff.by_place)}",
        highlight=False,
    )
    out.print(
        f"staff minutes a week: {diff.staff_minutes_before} -> {diff.staff_minutes_after} "
        f"({diff.staff_minutes_gain:+d}); driving: {diff.driving_minutes_before} -> {diff.driving_minutes_after} "
        f"({diff.driving_minutes_after - diff.driving_minutes_before:+d})",
        highlight=False,
    )
    out.print(f"groups opened: {len(diff.groups_opened)}, dropped: {len(diff.groups_dropped)}", highlight=False)
    for group in diff.groups_opened:
        where = group.hub or "remote"
        out.print(
            f"  + {group.template} at {where}, {group.day} {group.start}-{group.end}, in {group.language}, "
            f"{len(group.participants)} participant(s), led by {', '.join(group.leaders)}",
            highlight=False,
        )


def _compare(names: list[str]) -> None:
    with advice_jobs() as jobs:
        saved = {state.name: state for state in jobs.list_whatifs()}
    missing = [name for name in names if name not in saved]
    if missing:
        fail(f"no what-if named {missing[0]!r}: `tarjotin whatifs` lists them")
    chosen = [saved[name] for name in names]
    table = Table(title="what-ifs side by side")
    table.add_column("")
    for state in chosen:
        table.add_column(f"{state.name} (run {state.run_id})")
    rows: list[tuple[str, list[str]]] = [
        ("changes", ["; ".join(describe(c) for c in s.changes) for s in chosen]),
        ("status", [s.status for s in chosen]),
        ("clients placed", [_figure(s, lambda d: d.placed_gain) for s in chosen]),
        ("staff minutes", [_figure(s, lambda d: d.staff_minutes_gain) for s in chosen]),
        ("driving minutes", [_figure(s, lambda d: d.driving_minutes_after - d.driving_minutes_before) for s in chosen]),
        ("groups opened", [str(len(s.diff.groups_opened)) if s.diff else "-" for s in chosen]),
        ("by municipality/language", [by_place(s.diff.by_place) if s.diff else "-" for s in chosen]),
    ]
    for label, cells in rows:
        table.add_row(label, *cells)
    out.print(table)


def _figure(state: WhatIfState, figure: Callable[[WhatIfDiff], int]) -> str:
    return f"{figure(state.diff):+d}" if state.diff is not None else "-"


def whatifs(
    run: Annotated[int | None, typer.Option("--run", min=1, help="only the what-ifs on this planning run")] = None,
) -> None:
    """List the saved what-ifs, newest first: their changes and what each brings."""
    with advice_jobs() as jobs:
        found = jobs.list_whatifs(run)
    if not found:
        out.print("no what-ifs yet: `tarjotin whatif --name NAME --change JSON` plans one")
        return
    table = Table(title="what-ifs")
    for column in ("id", "name", "run", "status", "changes", "clients placed"):
        table.add_column(column)
    for state in found:
        table.add_row(
            str(state.id),
            state.name,
            str(state.run_id),
            state.status,
            "; ".join(describe(c) for c in state.changes),
            _figure(state, lambda d: d.placed_gain),
        )
    out.print(table)
