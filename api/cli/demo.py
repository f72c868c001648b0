"""`tarjotin demo`: the built-in scenario imported, planned, published, checked and served."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import func, select

from api.cli.common import ExitCode, database, database_name, out
from api.cli.documents import write_json
from api.cli.plans import ReasonLang, TimeLimit, checked_lang, made, show_summary
from api.cli.progress import plan_queued
from api.cli.service import Host, Port, serve_offering
from scheduler.checker import check as check_plan
from scheduler.contract import Plan, Problem
from scheduler.scenario import generate
from scheduler.scenario.partners import partner_activities
from scheduler.services.partner_csv import save_records
from scheduler.services.planning.workflow import PlanDiff, publish_run, run_diff
from scheduler.storage.models import ClientRow, GroupRow, PlanningRun
from scheduler.storage.repository import import_problem
from scheduler.storage.tokens import create_token, list_tokens, revoke_token

__all__ = ["demo"]


def demo(
    clients: Annotated[int, typer.Option(min=1, max=20000)] = 400,
    seed: Annotated[int, typer.Option(min=0)] = 1,
    time_limit: TimeLimit = 20.0,
    out_dir: Annotated[Path, typer.Option(help="where the problem and plan are written")] = Path("out"),
    serve: Annotated[bool, typer.Option(help="serve the published offering afterwards")] = True,
    host: Host = "127.0.0.1",
    port: Port = 8000,
    lang: ReasonLang = "en",
) -> None:
    """Import the built-in scenario, plan and publish it, print the summary, then serve it."""
    checked_lang(lang)
    problem, plan, published = _plan_scenario(clients, seed, time_limit)
    write_json(out_dir / "problem.json", problem.dump())
    write_json(out_dir / "plan.json", plan.dump())
    show_summary(problem, plan, lang=lang)
    violations = check_plan(problem, plan)
    verdict = "[green]every hard rule H1–H10 holds[/]" if not violations else f"[red]{len(violations)} violations[/]"
    out.print(f"independent check: {verdict}")
    diff = published["diff"]
    out.print(
        f"run {published['run']} published as offering version {published['version']}: "
        f"{len(diff.opened)} groups opened, {len(diff.moved)} running groups moved, "
        f"{diff.clients_added} placements for waiting clients; {made(published['publication'])}"
    )
    out.print(f"problem: {out_dir / 'problem.json'}   plan: {out_dir / 'plan.json'}")
    if plan.unassigned:
        out.print(
            f"what would place the {len(plan.unassigned)} left out: `tarjotin advise` "
            f"(or the page /planning/{published['run']}/advice)",
            highlight=False,
        )
    if violations:
        raise typer.Exit(ExitCode.CHECK_FAILED)
    if serve:
        _print_demo_tokens()
        serve_offering(host, port, terminal=True)


def _plan_scenario(clients: int, seed: int, time_limit: float) -> tuple[Problem, Plan, dict[str, Any]]:
    """The scenario imported into the database, planned and published: problem, plan, run and version."""
    scenario_problem = generate(clients, seed, group_kinds=True)
    out.print(
        f"Western Uusimaa scenario: {len(scenario_problem.clients)} waiting clients, "
        f"{len(scenario_problem.staff)} staff, {len(scenario_problem.hubs)} hubs"
    )
    with database() as session:
        import_problem(session, scenario_problem, actor="demo")
        partners = save_records(session, partner_activities(term_start=scenario_problem.term.start), actor="demo")
    listed = len(partners.created) + len(partners.updated) + len(partners.unchanged)
    out.print(
        f"imported into {database_name()} with {listed} partner activities; planning for up to {time_limit:.0f} s ..."
    )
    from scheduler.services.planning.jobs import JobOptions  # late: the solver's import

    run_id = plan_queued(JobOptions(time_limit=time_limit), actor="demo")  # on the queue, by a local worker
    with database() as session:
        run = session.get(PlanningRun, run_id)
        assert run is not None
        publication = publish_run(session, run, actor="demo")
        problem, plan = Problem.model_validate(run.problem), Plan.model_validate(run.plan)
        published = {
            "run": run.id,
            "version": publication.version.id,
            "diff": run_diff(run) or PlanDiff(),
            "publication": publication,
        }
    return problem, plan, published


def _print_demo_tokens() -> None:
    """Fresh coordinator, counsellor and leader tokens for trying the service (older demo tokens are revoked).

    The counsellor token belongs to the counsellor with the most clients, so /my/clients and
    /my/offers show a caseload; the leader's (staff) token to the staff member leading the most
    running groups, so /my/sessions shows their sessions."""
    with database() as session:
        for row in list_tokens(session):
            if row.name.startswith("demo ") and row.revoked_at is None:
                revoke_token(session, row.id, actor="demo")
        busiest = session.execute(
            select(ClientRow.counsellor_id, func.count())
            .where(ClientRow.counsellor_id.is_not(None), ClientRow.in_service)
            .group_by(ClientRow.counsellor_id)
            .order_by(func.count().desc(), ClientRow.counsellor_id)
            .limit(1)
        ).first()
        counsellor = busiest[0] if busiest else None
        led: dict[str, int] = {}
        for leaders in session.scalars(select(GroupRow.leaders).where(GroupRow.status == "running")):
            for leader in leaders:
                led[leader] = led.get(leader, 0) + 1
        leader = min(led, key=lambda s: (-led[s], s)) if led else None
        made = {
            "coordinator": create_token(session, "coordinator", "demo coordinator", actor="demo")[1],
            "counsellor": create_token(
                session, "counsellor", "demo counsellor", actor="demo", counsellor_id=counsellor
            )[1],
        }
        if leader is not None:
            made["staff"] = create_token(session, "staff", "demo leader", actor="demo", staff_id=leader)[1]
    for role, token in made.items():
        whose = f" (counsellor {counsellor}, {busiest[1]} clients)" if role == "counsellor" and busiest else ""
        if role == "staff" and leader is not None:
            whose = f" (leader {leader}, {led[leader]} groups: /my/sessions)"
        out.print(f"{role} token for this demo{whose}: {token}", highlight=False)
