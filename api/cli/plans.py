"""Planning: `solve` and `check` on files, `plan` and `publish` on the database; each prints a
summary, or with `--json` one JSON object on stdout (messages then go to stderr)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli.common import ExitCode, JsonFlag, database, err, fail, messages, out, print_json
from api.cli.documents import load_plan, load_problem, write_json
from api.cli.progress import plan_queued, solve_watched
from api.cli.summary import shape_change, summary, summary_fields
from scheduler.checker import Violation
from scheduler.checker import check as check_plan
from scheduler.contract import Plan, Problem
from scheduler.i18n import LANGS
from scheduler.services.planning.policy import PRESETS, parse_reach, with_policy
from scheduler.services.planning.workflow import (
    PlanDiff,
    Publication,
    publish_run,
    resolve_run,
    run_diff,
)
from scheduler.storage.models import PlanningRun

__all__ = [
    "LeaderReach",
    "ReasonLang",
    "PolicyPreset",
    "TimeLimit",
    "check",
    "checked_lang",
    "chosen_policy",
    "plan",
    "publish",
    "show_summary",
    "solve",
]

TimeLimit = Annotated[float, typer.Option(min=0.1, help="seconds")]
Workers = Annotated[int, typer.Option(min=1, max=64)]
Seed = Annotated[int, typer.Option(min=0)]
AllowMoves = Annotated[bool, typer.Option(help="let running groups move (they are kept in place otherwise)")]
ReasonLang = Annotated[str, typer.Option("--lang", help="fi, sv or en: the language the summary gives reasons in")]
PolicyPreset = Annotated[
    str | None,
    typer.Option(
        "--policy",
        metavar="handbook|placement",
        help="the planning policy's preset: handbook (two leaders as the norm, groups of five or more, "
        "groups at their minimum avoided) or placement (clients placed first); the problem's own otherwise",
    ),
]
LeaderReach = Annotated[
    str | None,
    typer.Option(
        "--leader-reach",
        metavar="MINUTES|none",
        help="a leader runs groups only at hubs this many minutes by car from their base (none: anywhere); "
        "the problem's own otherwise",
    ),
]


def chosen_policy(preset: str | None, reach: str | None) -> dict[str, Any] | None:
    """The policy fields chosen on the command line; a bad value is a plain error (exit code 2)."""
    chosen: dict[str, Any] = {}
    if preset is not None:
        if preset.strip().lower() not in PRESETS:
            fail(f"--policy {preset!r}: choose {' or '.join(PRESETS)}")
        chosen["preset"] = preset.strip().lower()
    if reach is not None:
        try:
            chosen["leader_reach_minutes"] = parse_reach(reach)
        except ValueError as error:
            fail(f"--leader-reach {reach!r}: {error}")
    return chosen or None


def show_summary(problem: Problem, plan: Plan, json_output: bool = False, lang: str = "en", **extra: Any) -> None:
    """The plan's summary: rich tables (reasons in `lang`), or one JSON object with the `extra` fields."""
    if json_output:
        print_json({**summary_fields(problem, plan), **extra})
    else:
        out.print(summary(problem, plan, lang))


def checked_lang(lang: str) -> str:
    """The `--lang` given, if the product speaks it; else a plain error."""
    if lang not in LANGS:
        fail(f"--lang {lang!r}: choose fi, sv or en")
    return lang


def solve(
    problem_file: Annotated[Path, typer.Argument(help="problem JSON")],
    out_file: Annotated[Path, typer.Option("--out", help="where to write the plan JSON")],
    time_limit: TimeLimit = 30.0,
    workers: Workers = 2,
    seed: Seed = 0,
    fast: Annotated[bool, typer.Option("--fast", help="free-running parallel search (not repeatable)")] = False,
    log: Annotated[bool, typer.Option(help="show CP-SAT's search log (on stdout)")] = False,
    policy: PolicyPreset = None,
    leader_reach: LeaderReach = None,
    json_output: JsonFlag = False,
    lang: ReasonLang = "en",
) -> None:
    """Plan the week and print a summary."""
    checked_lang(lang)
    if log and json_output:
        raise typer.BadParameter("CP-SAT's log goes to stdout, where --json writes its summary", param_hint="--log")
    chosen = chosen_policy(policy, leader_reach)
    problem = with_policy(load_problem(problem_file), chosen)
    planned = solve_watched(
        problem, time_limit, workers, seed, log, deterministic=not fast, live=not (json_output or log)
    )
    write_json(out_file, planned.dump())
    show_summary(problem, planned, json_output, lang, plan_file=str(out_file))
    messages(json_output).print(f"plan written to {out_file}")


def _violation_json(violation: Violation) -> dict[str, str | None]:
    """A violation as JSON: its rule family, rule key, label, message and group."""
    return {
        "rule": violation.rule,
        "key": violation.key,
        "label": violation.label,
        "message": violation.message,
        "group": violation.group,
    }


def check(
    problem_file: Annotated[Path, typer.Argument(help="problem JSON")],
    plan_file: Annotated[Path, typer.Argument(help="plan JSON")],
    json_output: JsonFlag = False,
) -> None:
    """Check a plan against every hard rule (H1–H10); exit 1 on any violation."""
    problem, checked = load_problem(problem_file), load_plan(plan_file)
    violations = check_plan(problem, checked)
    if json_output:
        print_json(
            {
                "valid": not violations,
                "groups": len(checked.groups),
                "violations": [_violation_json(violation) for violation in violations],
            }
        )
    else:
        for violation in violations:
            out.print(str(violation), highlight=False, markup=False)
    if violations:
        err.print(f"[bold red]{len(violations)} violation(s)[/]")
        raise typer.Exit(ExitCode.CHECK_FAILED)
    messages(json_output).print(f"[green]valid:[/] {len(checked.groups)} groups meet H1–H10")


def plan(
    time_limit: TimeLimit = 30.0,
    workers: Workers = 2,
    seed: Seed = 0,
    allow_moves: AllowMoves = False,
    policy: PolicyPreset = None,
    leader_reach: LeaderReach = None,
    actor: Annotated[str, typer.Option(help="who plans, for the audit log")] = "coordinator",
    json_output: JsonFlag = False,
    lang: ReasonLang = "en",
) -> None:
    """Plan from the database: running groups stay, free seats fill, new groups open; stores a draft. The run goes
    on the planning queue as the service's do: a worker plans it (with no broker, one this command starts)."""
    checked_lang(lang)
    chosen = chosen_policy(policy, leader_reach)
    from scheduler.services.planning.jobs import JobOptions  # late: the solver's import (see solve_watched)

    options = JobOptions(time_limit, allow_moves, seed, chosen, workers)
    run_id = plan_queued(options, actor, live=not json_output)
    with database() as session:
        run = session.get(PlanningRun, run_id)
        assert run is not None
        problem, planned = Problem.model_validate(run.problem), Plan.model_validate(run.plan)
        diff = run_diff(run) or PlanDiff()
    show_summary(problem, planned, json_output, lang, run=run_id, diff=diff.to_json())
    say = messages(json_output)
    say.print(
        f"draft run {run_id}: {len(diff.opened)} groups opened, {len(diff.closed)} closed, "
        f"{len(diff.moved)} existing groups moved, {diff.clients_added} seats given to waiting clients"
    )
    change = shape_change(diff.shape_before, diff.shape_after)
    if change:
        say.print(f"shape: {change}", highlight=False)
    say.print(f"publish it with: tarjotin publish {run_id}")


def publish(
    run: Annotated[str, typer.Argument(help="run id, or 'latest'")] = "latest",
    actor: Annotated[str, typer.Option(help="who publishes, for the audit log")] = "coordinator",
    json_output: JsonFlag = False,
) -> None:
    """Publish a draft run: its groups become the offering and its new placements offers (or seats, when the
    county accepts offers at once), in one transaction."""
    with database() as session:
        chosen = resolve_run(session, run)
        published = publish_run(session, chosen, actor)
        run_id, version_id, diff = chosen.id, published.version.id, run_diff(chosen) or PlanDiff()
    if json_output:
        print_json({"run": run_id, "version": version_id, "diff": diff.to_json(), **published.to_json()})
    messages(json_output).print(f"published run {run_id} as offering version {version_id}: {made(published)}")


def made(published: Publication) -> str:
    """What a publication's new placements became, in words."""
    said = (
        f"{published.seats} seats made at once"
        if published.seats or not published.offers
        else f"{published.offers} offers made, waiting for the clients' answers (tarjotin offers list)"
    )
    if published.seats and published.offers:
        said += f" and {published.offers} offers made"
    return said + (f"; {published.withdrawn} pending offers withdrawn" if published.withdrawn else "")
