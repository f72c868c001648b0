"""The `tarjotin` command line: one Typer app (`api.cli.app`), a module per group of commands,
and `api.cli.common` for what they share (consoles, exit codes, refusals, the database)."""

from api.cli.app import app, main

__all__ = ["app", "main"]
