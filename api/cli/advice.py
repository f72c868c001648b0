"""Capacity advice: `advise` on files (in this process) or on the database (on the planning queue, as the service
runs it); each follows its progress on one line of stderr and prints the changes found, best first."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from api.cli.common import database, engine, err, fail, out, refusals, upgrade_schema
from api.cli.documents import load_plan, load_problem, write_json
from api.cli.plans import ReasonLang, checked_lang
from scheduler.contract import Plan, Problem, Window
from scheduler.contract.advice import NO_ADVICE, Advice, AdviceItem, PlacedCount
from scheduler.contract.whatif import (
    Change,
    ClientRemote,
    ClientTravel,
    ClosureLifted,
    NewLeader,
    NewRoom,
    RoomOpened,
    StaffAvailability,
    TemplateLanguage,
)
from scheduler.i18n.changes import ChangeNames, describe_change
from scheduler.settings import get_settings
from scheduler.storage.models import PlanningRun

if TYPE_CHECKING:
    from scheduler.services.advice.advise import AdviceParams
    from scheduler.services.advice.jobs import AdviceJobs, AdviceState

__all__ = ["AdviceLine", "advice_jobs", "advice_table", "advise", "by_place", "describe", "planned_run", "windows"]

TimeLimit = Annotated[float, typer.Option(min=10, max=600, help="seconds the whole advice may take")]
Top = Annotated[int, typer.Option(min=1, max=20, help="how many changes to list, best first")]
ReplanSeconds = Annotated[
    float, typer.Option(min=0.5, max=60, help="seconds each re-plan may take (the base and every candidate)")
]
Seed = Annotated[int, typer.Option(min=0, help="CP-SAT random seed")]


# --- a change in words ------------------------------------------------------------------------------------------


def windows(spans: Sequence[Window]) -> str:
    """Weekly windows as `tue 09:00-15:00, thu 12:00-16:00`."""
    return ", ".join(f"{w.day} {w.start}-{w.end}" for w in spans) or "no windows"


def describe(change: Change, names: ChangeNames | None = None, lang: str = "en") -> str:
    """A change as coordinators say it, naming hubs, staff and group models (`scheduler.i18n.changes`) when the
    problem's names are given; else a short English line of its ids."""
    if names is not None:
        return describe_change(change, names, lang)
    match change:
        case StaffAvailability():
            more = f", {change.extra_minutes} min more a week" if change.extra_minutes else ""
            return f"staff member {change.staff} free also {windows(change.add)}{more}"
        case NewLeader():
            kind = "qualified leader" if change.qualified else "leader"
            speaking = "/".join(change.languages)
            return (
                f"a new {kind} speaking {speaking}, based at {change.base_hub}, free {windows(change.available)} "
                f"({change.max_weekly_minutes} min a week)"
            )
        case RoomOpened():
            return f"room {change.room} at {change.hub} open also {windows(change.add)}"
        case NewRoom():
            accessible = ", accessible" if change.accessible else ""
            return f"a new room at {change.hub} ({change.capacity} seats{accessible}), open {windows(change.available)}"
        case TemplateLanguage():
            return f"group model {change.template} also in {change.language}"
        case ClientTravel():
            return f"client {change.client} travels up to {change.max_travel_minutes} min"
        case ClientRemote():
            return f"client {change.client} takes part remotely"
        case ClosureLifted():
            return f"closure day {change.date.isoformat()} lifted"


def by_place(counts: Sequence[PlacedCount]) -> str:
    """Clients placed by municipality and language: `Lohja sv 4, Raasepori sv 2`."""
    return ", ".join(f"{c.municipality} {c.language} {c.clients}" for c in counts) or "-"


def advice_table(advice: Advice, names: ChangeNames | None = None, lang: str = "en") -> Table:
    """The changes found, best first: what each changes, the clients it places, its cost and where they live."""
    table = Table(title=f"advice: {advice.base_placed} placed without changes, {advice.unplaced} left out")
    table.add_column("rank", justify="right")
    table.add_column("change")
    table.add_column("clients placed", justify="right")
    table.add_column("cost hours", justify="right")
    table.add_column("by municipality/language")
    for rank, item in enumerate(advice.items, start=1):
        table.add_row(
            str(rank), describe(item.change, names, lang), f"+{item.placed_gain}", f"{item.cost_hours:g}", _where(item)
        )
    return table


def _where(item: AdviceItem) -> str:
    return by_place(item.diff.by_place)


def show_advice(advice: Advice, console: Console = out, names: ChangeNames | None = None, lang: str = "en") -> None:
    """The table, or why there is no advice; then how the search went."""
    if advice.items:
        console.print(advice_table(advice, names, lang))
    else:
        why = NO_ADVICE.get(advice.none_why or "", "no change placed anyone")
        console.print(f"no advice: {why}", highlight=False)
    console.print(
        f"{advice.candidates} candidate changes: {advice.screened_out} screened out, {advice.pruned} pruned, "
        f"{advice.replanned} verified by planning ({advice.status}, {advice.seconds:g} s)",
        highlight=False,
    )


# --- progress -----------------------------------------------------------------------------------------------------


class AdviceLine:
    """What the advice has reported so far, rendered afresh each time the line is drawn."""

    def __init__(self, time_limit: float) -> None:
        self.time_limit = time_limit
        self.began = time.monotonic()
        self.phase = "re-planning without changes and drawing candidates"
        self.verified = 0
        self.to_verify: int | None = None
        self.best = 0

    def hear(self, item: AdviceItem) -> None:
        """A verified change (from the advice's own thread)."""
        self.verified += 1
        self.best = max(self.best, item.placed_gain)
        self.phase = "verifying changes"

    def hear_state(self, state: AdviceState) -> None:
        """The advice job's stored state."""
        self.phase = {"queued": "waiting for a worker", "stopping": "stopping"}.get(state.status, self.phase)
        if state.status == "verifying":
            self.phase = "verifying changes"
        self.verified = state.verified
        self.to_verify = state.candidates - state.screened_out if state.candidates else None
        if state.advice is not None and state.advice.items:
            self.best = max(i.placed_gain for i in state.advice.items)

    def __rich__(self) -> Text:
        left = self.time_limit - (time.monotonic() - self.began)
        clock = f"at most {left:.0f} s left" if left >= 0.5 else "finishing"
        of = f" of {self.to_verify}" if self.to_verify is not None else ""
        best = f" · best places {self.best} more" if self.best else ""
        return Text(f"advice: {self.phase} · {self.verified}{of} changes verified{best} · {clock}")

    def done(self, advice: Advice) -> Text:
        seconds = time.monotonic() - self.began
        best = advice.items[0].placed_gain if advice.items else 0
        return Text(
            f"advice {advice.status} in {seconds:.1f} s: {advice.replanned} changes verified, "
            f"the best places {best} more client(s)"
        )


def _shown(line: AdviceLine, live: bool, console: Console) -> AbstractContextManager[object]:
    if live and console.is_terminal:
        return Live(line, console=console, transient=True, refresh_per_second=4)
    return nullcontext()


# --- the command --------------------------------------------------------------------------------------------------


def advise(
    problem_file: Annotated[
        Path | None, typer.Argument(help="problem JSON; without it, advice on a planning run in the database")
    ] = None,
    plan_file: Annotated[Path | None, typer.Option("--plan", help="the plan JSON of the problem")] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="where to write the advice JSON")] = None,
    run: Annotated[
        str, typer.Option("--run", help="on the database: a run id, or 'latest' (the newest run with a plan)")
    ] = "latest",
    time_limit: TimeLimit = 60.0,
    top: Top = 5,
    replan_seconds: ReplanSeconds = 2.0,
    seed: Seed = 0,
    actor: Annotated[str, typer.Option(help="who asks, for the audit log")] = "coordinator",
    lang: ReasonLang = "en",
) -> None:
    """Find the single changes (a leader, a room, a language, a client's terms) that would place the most clients
    the plan leaves out, each verified by planning with it; print them best first. On files: PROBLEM --plan PLAN
    --out ADVICE.json. Without PROBLEM: on the database's planning run, on the planning queue."""
    if replan_seconds * 2 > time_limit:
        fail("--replan-seconds: give at most half the --time-limit, or no change could be verified")
    from scheduler.services.advice.advise import AdviceParams  # late: the solver's import (see solve_watched)

    params = AdviceParams(time_limit=time_limit, replan_seconds=replan_seconds, top=top, seed=seed)
    if problem_file is None:
        if plan_file is not None or out_file is not None:
            fail("--plan and --out go with a PROBLEM file; without one, advice runs on the database (--run)")
        _advise_database(run, params, actor, lang=checked_lang(lang))
        return
    if plan_file is None or out_file is None:
        fail(f"advice on {problem_file} needs --plan PLAN.json and --out ADVICE.json")
    checked_lang(lang)
    problem, plan = load_problem(problem_file), load_plan(plan_file)
    _plan_matches(problem, plan, plan_file)
    found = advise_watched(problem, plan, params)
    write_json(out_file, found.model_dump(mode="json", by_alias=True))
    show_advice(found, names=ChangeNames.of(problem), lang=lang)
    err.print(f"advice written to {out_file}", highlight=False)


def _plan_matches(problem: Problem, plan: Plan, plan_file: Path) -> None:
    """A plan of another problem names records the problem lacks: a plain error naming the file."""
    ids = {
        "client": {c.id for c in problem.clients},
        "staff member": {s.id for s in problem.staff},
        "group model": {t.id for t in problem.templates},
        "hub": {h.id for h in problem.hubs},
    }
    for index, group in enumerate(plan.groups):
        named = {
            "client": [*group.participants, *group.remote_participants],
            "staff member": group.leaders,
            "group model": [group.template],
            "hub": [group.hub] if group.hub else [],
        }
        for what, values in named.items():
            missing = [v for v in values if v not in ids[what]]
            if missing:
                fail(f"{plan_file}: groups[{index}] names a {what} the problem does not have ({missing[0]!r})")


def advise_watched(
    problem: Problem, plan: Plan, params: AdviceParams, live: bool = True, console: Console = err
) -> Advice:
    """`advise` in this process with its progress on the console; Ctrl-C stops it with what was verified."""
    from scheduler.services.advice.advise import advise as run_advice
    from solver import PlanningError

    line = AdviceLine(params.time_limit)
    stop = threading.Event()
    result: list[Advice] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.append(run_advice(problem, plan, params, on_item=line.hear, stop=stop.is_set))
        except BaseException as error:  # noqa: BLE001 - told in the main thread
            failure.append(error)

    thread = threading.Thread(target=work, name="advice", daemon=True)
    with _shown(line, live, console):
        thread.start()
        try:
            while thread.is_alive():
                thread.join(0.25)
        except KeyboardInterrupt:
            stop.set()
            thread.join()
    if failure:
        error = failure[0]
        if isinstance(error, PlanningError):
            fail(str(error))
        with refusals():
            raise error
    console.print(line.done(result[0]), highlight=False)
    return result[0]


@contextmanager
def advice_jobs() -> Iterator[AdviceJobs]:
    """The advice jobs on the configured database, over planning jobs of this process: with no broker, a local
    worker process they start, stopped when the command is done."""
    from scheduler.services.advice.jobs import AdviceJobs
    from scheduler.services.planning.jobs import PlanningJobs

    with refusals():
        upgrade_schema()
        planning = PlanningJobs(engine(), settings=get_settings())
    try:
        with refusals():
            yield AdviceJobs(engine(), planning)
    finally:
        planning.shutdown()


def planned_run(which: str) -> int:
    """A run id, or 'latest': the newest run that has a plan (a draft or a published one)."""
    from scheduler.services.advice import planned_run as find_run  # late: the solver's import (see solve_watched)

    with database() as session:
        return find_run(session, which).id


def _advise_database(which: str, params: AdviceParams, actor: str, console: Console = err, lang: str = "en") -> None:
    run_id = planned_run(which)
    line = AdviceLine(params.time_limit)
    with advice_jobs() as jobs:
        advice_id = jobs.start_advice(run_id, actor, params)
        with _shown(line, True, console):
            try:
                while not jobs.wait_advice(advice_id, 0.25):
                    line.hear_state(jobs.advice_state(advice_id))
            except KeyboardInterrupt:
                jobs.stop_advice(advice_id, actor)
                jobs.wait_advice(advice_id, 30)
        state = jobs.advice_state(advice_id)
    if state.status == "failed" or state.advice is None:
        fail(f"advice {advice_id} on run {run_id} {state.status}" + (f": {state.error}" if state.error else ""))
    console.print(line.done(state.advice), highlight=False)
    out.print(f"advice {advice_id} on planning run {run_id}", highlight=False)
    with database() as session:
        stored = session.get(PlanningRun, run_id)
        names = ChangeNames.of(Problem.model_validate(stored.problem)) if stored is not None else None
    show_advice(state.advice, names=names, lang=lang)
    out.print(f"turn a change into a what-if with: tarjotin whatif --from-advice {advice_id} --item RANK")
