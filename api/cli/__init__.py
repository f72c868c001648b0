"""The `tarjotin` command with the service: every command of `scheduler.cli`, plus `serve`,
and `demo`, which plans the built-in scenario and then serves it.

It lives here because imports flow one way (api -> scheduler): the service is
built on the application, never the other way round.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import typer

from api.cli.core import _database_errors, _ensure_schema, app, fail, out
from api.cli.core import demo as plan_demo

__all__ = ["app", "main"]

Host = Annotated[str, typer.Option(help="address to listen on")]
Port = Annotated[int, typer.Option(min=1, max=65535, help="port to listen on")]


def _check_free(host: str, port: int) -> None:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            fail(f"cannot listen on {host}:{port}: {error.strerror or error} (is another server running? "
                 "choose another --port)")


def _serve(host: str, port: int) -> None:
    import uvicorn

    from api.app import create_app

    with _database_errors():
        _ensure_schema()
        application = create_app()
    _check_free(host, port)
    out.print(f"Tarjotin serves the pages at http://{host}:{port}/ (sign in at /signin with a token) — "
              f"the JSON offering at /offering, API documentation at http://{host}:{port}/docs (Ctrl-C stops)")
    uvicorn.run(application, host=host, port=port, log_level="warning")


@app.command()
def serve(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """Serve the live offering, reservations, resources and planning jobs over HTTP."""
    _serve(host, port)


@app.command()
def demo(
    clients: Annotated[int, typer.Option(min=1, max=20000)] = 400,
    seed: Annotated[int, typer.Option(min=0)] = 1,
    time_limit: Annotated[float, typer.Option(min=0.1)] = 20.0,
    out_dir: Annotated[Path, typer.Option(help="where the problem and plan are written")] = Path("out"),
    serve: Annotated[bool, typer.Option(help="serve the published offering afterwards")] = True,
    host: Host = "127.0.0.1",
    port: Port = 8000,
) -> None:
    """Import the built-in scenario, plan and publish it, print the summary, then serve it."""
    plan_demo(clients, seed, time_limit, out_dir)
    if serve:
        _print_demo_tokens()
        _serve(host, port)


def _print_demo_tokens() -> None:
    """Fresh coordinator and counsellor tokens for trying the service (older demo tokens are revoked)."""
    from api.cli.core import _engine
    from scheduler.storage.database import session_scope
    from scheduler.storage.tokens import create_token, list_tokens, revoke_token

    with _database_errors(), session_scope(_engine()) as session:
        for row in list_tokens(session):
            if row.name.startswith("demo ") and row.revoked_at is None:
                revoke_token(session, row.id, actor="demo")
        made = {role: create_token(session, role, f"demo {role}", actor="demo")[1]
                for role in ("coordinator", "counsellor")}
    for role, token in made.items():
        out.print(f"{role} token for this demo: {token}", highlight=False)


def main() -> None:  # pragma: no cover - console entry
    app(prog_name="tarjotin")


if __name__ == "__main__":  # pragma: no cover
    main()
