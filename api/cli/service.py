"""`tarjotin serve`: the HTTP service (pages, JSON API, calendar feeds) over the configured database."""

from __future__ import annotations

import socket
from typing import Annotated

import typer

from api.cli.common import fail, out, refusals, upgrade_schema

__all__ = ["Host", "Port", "serve", "serve_offering"]

Host = Annotated[str, typer.Option(help="address to listen on")]
Port = Annotated[int, typer.Option(min=1, max=65535, help="port to listen on")]


def _check_free(host: str, port: int) -> None:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            fail(f"cannot listen on {host}:{port}: {error.strerror or error} (is another server running? "
                 "choose another --port)")


def serve_offering(host: str, port: int) -> None:
    """Serve the database's offering until Ctrl-C; a busy port or a faulty database is a plain error."""
    # Late: the web application and uvicorn take seconds to import, which every other command would wait for.
    import uvicorn

    from api.app import create_app

    with refusals():
        upgrade_schema()
        application = create_app()
    _check_free(host, port)
    out.print(f"Tarjotin serves the pages at http://{host}:{port}/ (sign in at /signin with a token) — "
              f"the JSON offering at /offering, API documentation at http://{host}:{port}/docs (Ctrl-C stops)")
    uvicorn.run(application, host=host, port=port, log_level="warning")


def serve(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """Serve the live offering, reservations, resources and planning jobs over HTTP."""
    serve_offering(host, port)
