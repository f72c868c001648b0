"""The `tarjotin` command: one Typer app; every command and group is registered here and nowhere else."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any, cast

import typer
from typer.core import TyperGroup

from api.cli import (
    advice,
    data,
    demo,
    enrollments,
    feeds,
    notices,
    offers,
    partners,
    plans,
    popups,
    privacy,
    service,
    sessions,
    sheets,
    simulate,
    tokens,
    whatifs,
)
from api.cli.common import ExitCode

__all__ = ["app", "build", "main"]

EPILOG = (
    "Exit codes: 0 done; 1 a check failed (the plan breaks a hard rule); 2 bad input or a refused action "
    "(a faulty file, an unknown id, a full group, a stale draft, the database's refusal); 64 a usage error "
    "(an unknown command or option, a missing argument, a value out of range)."
    "\n\n"
    "Shell completion: `tarjotin --install-completion` (bash, zsh, fish or PowerShell; restart the shell), "
    "or `tarjotin --show-completion` to see the script."
)


USAGE_ERROR = cast(type[Exception], typer.BadParameter.__base__)
"""Click's UsageError, reached through Typer's public subclass of it (Typer vendors Click since 0.26)."""


class TarjotinGroup(TyperGroup):
    """The root command: a usage error exits with 64 (EX_USAGE), so that 2 means a refusal only."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except USAGE_ERROR as error:
            error.exit_code = int(ExitCode.USAGE)  # type: ignore[attr-defined]  # UsageError (typed Exception) has it
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except USAGE_ERROR as error:  # a subcommand's, raised while the root invokes it
            error.exit_code = int(ExitCode.USAGE)  # type: ignore[attr-defined]  # UsageError (typed Exception) has it
            raise


def _version() -> str:
    try:
        return version("tarjotin")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def _print_version(wanted: bool) -> None:
    if wanted:
        print(f"tarjotin {_version()}")
        raise typer.Exit(ExitCode.DONE)


def options(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Tarjotin plans social rehabilitation groups."""


Command = Callable[..., None]
COMMANDS: list[tuple[str, str, Command]] = [
    ("Files", "schema", data.schema),
    ("Files", "scenario", data.scenario),
    ("Files", "solve", plans.solve),
    ("Files", "check", plans.check),
    ("Files", "template", sheets.template),
    ("Database", "import", data.import_),
    ("Database", "export", data.export),
    ("Database", "plan", plans.plan),
    ("Database", "publish", plans.publish),
    ("Database", "purge", privacy.purge_old),
    ("Advice", "advise", advice.advise),
    ("Advice", "whatif", whatifs.whatif),
    ("Advice", "whatifs", whatifs.whatifs),
    ("Advice", "simulate", simulate.simulate_season),
    ("Running groups", "feeds", feeds.write_feeds),
    ("Service", "serve", service.serve),
    ("Service", "worker", service.worker),
    ("Service", "demo", demo.demo),
]
"""Help panel, name and function of each command."""
GROUPS: list[tuple[str, str, str, dict[str, Command]]] = [
    (
        "Database",
        "db",
        "The database (TARJOTIN_DATABASE_URL, else SQLite under TARJOTIN_DATA_DIR).",
        {"upgrade": data.upgrade},
    ),
    (
        "Database",
        "client",
        "A client's personal data: erase them everywhere on request.",
        {"erase": privacy.erase},
    ),
    (
        "Running groups",
        "enrollment",
        "Seats in running groups: end them, see groups running short.",
        {"end": enrollments.end, "short": enrollments.short},
    ),
    (
        "Running groups",
        "offers",
        "Offers made by publishing: list them, the daily step that expires them, the county's offer terms.",
        {"list": offers.list_, "expire": offers.expire, "settings": offers.settings},
    ),
    (
        "Running groups",
        "popups",
        "Open pop-up sessions: how many a week the planner may place.",
        {"slots": popups.slots},
    ),
    (
        "Running groups",
        "session",
        "One session of a group: cancel, move, substitute, undo; or cancel a whole group.",
        {
            "list": sessions.list_,
            "cancel": sessions.cancel,
            "change": sessions.change,
            "restore": sessions.restore,
            "cancel-group": sessions.cancel_whole,
        },
    ),
    (
        "Running groups",
        "notices",
        "Notices to counsellors and staff: list them, count their e-mail, mail what is pending.",
        {"list": notices.list_, "status": notices.status, "send": notices.send},
    ),
    (
        "Running groups",
        "partners",
        "Partners' and third-sector activities: import them from CSV, list them.",
        {"import": partners.import_, "list": partners.list_},
    ),
    (
        "Running groups",
        "feed-token",
        "Staff members' secret calendar feed addresses.",
        {"renew": feeds.renew, "revoke": feeds.revoke},
    ),
    (
        "Service",
        "token",
        "Bearer tokens for the HTTP service (stored hashed).",
        {"create": tokens.create, "list": tokens.list_, "revoke": tokens.revoke},
    ),
]
"""Help panel, name, help and commands of each group of commands (`tarjotin GROUP COMMAND`)."""


def build() -> typer.Typer:
    """The `tarjotin` app with every command and group."""
    root = typer.Typer(
        cls=TarjotinGroup,
        name="tarjotin",
        no_args_is_help=True,
        add_completion=True,
        help="Tarjotin plans social rehabilitation groups.",
        epilog=EPILOG,
    )
    root.callback()(options)
    for panel, name, command in COMMANDS:
        root.command(name, rich_help_panel=panel)(command)
    for panel, name, summary, members in GROUPS:
        group = typer.Typer(no_args_is_help=True, help=summary)
        for member, command in members.items():
            group.command(member)(command)
        root.add_typer(group, name=name, rich_help_panel=panel)
    return root


app = build()


def main() -> None:  # pragma: no cover - console entry for `python -m api.cli`
    """Run the command line as `tarjotin`."""
    app(prog_name="tarjotin")
