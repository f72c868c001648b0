"""`tarjotin serve`: the HTTP service (pages, JSON API, calendar feeds) over the configured database."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.cli.common import fail, out, refusals, upgrade_schema
from api.cli.proxy import ForwardedAllowIps, Proxy, ProxyHeaders, RootPath, proxy_options

if TYPE_CHECKING:
    from scheduler.logs import LogFormat

__all__ = ["Host", "Port", "Workers", "serve", "serve_offering", "worker"]

Host = Annotated[str, typer.Option(help="address to listen on")]
Port = Annotated[int, typer.Option(min=1, max=65535, help="port to listen on")]


def _check_free(host: str, port: int) -> None:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            fail(
                f"cannot listen on {host}:{port}: {error.strerror or error} (is another server running? "
                "choose another --port)"
            )


WORKER_STARTUP_SECONDS = 120
"""How long a worker may take to start (and answer uvicorn's health ping) before it is restarted."""

Workers = Annotated[
    int,
    typer.Option(
        min=1,
        max=64,
        help="server processes answering requests (about one per core); each has its own database connections",
    ),
]


def serve_offering(host: str, port: int, workers: int = 1, proxy: Proxy | None = None, terminal: bool = False) -> None:
    """Serve the database's offering until Ctrl-C; a busy port or a faulty database is a plain error.

    `terminal` (`tarjotin demo`): a person reads the output, so the log lines are plain text unless
    TARJOTIN_LOG_FORMAT says otherwise.

    With more than one worker, uvicorn starts that many processes, each building the application
    from `api.app:create_served_app` (the same settings, read from the environment). Each runs the daily step
    (`api.daily`: offers expire, finished seats complete) at start and then hourly."""
    # Late: the web application and uvicorn take seconds to import, which every other command would wait for.
    import uvicorn

    from api.app import create_served_app
    from api.metrics import prepare_multiprocess

    behind = proxy or proxy_options()  # the proxy's headers and root path: the options, else the settings
    with refusals():
        upgraded = upgrade_schema(serving=True)
        application = create_served_app()
    _check_free(host, port)
    fmt = _log_format(terminal)
    logs = _configure_logging(fmt)
    if upgraded:
        _say(upgraded, fmt)
    _say(
        f"Tarjotin serves the pages at http://{host}:{port}/ (sign in at /signin with a token) — "
        f"the JSON offering at /offering, API documentation at http://{host}:{port}/docs (Ctrl-C stops)"
        + (f"; links start with {behind.root_path}, the prefix the proxy strips" if behind.root_path else ""),
        fmt,
    )
    # The application writes its own access line (route templates, never raw paths): uvicorn's stays off.
    if workers == 1:
        uvicorn.run(application, host=host, port=port, log_config=logs, access_log=False, **behind.uvicorn_options())
    else:
        application.state.engine.dispose()  # the workers build their own; this one only checked the database
        prepare_multiprocess()  # before the workers start: /metrics adds up every worker's counts
        uvicorn.run(
            "api.app:create_served_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_config=logs,
            access_log=False,
            # A worker imports the application before it answers the supervisor's ping: on a busy machine
            # that takes longer than uvicorn's 5 s, and the worker would be killed and started again forever.
            timeout_worker_healthcheck=WORKER_STARTUP_SECONDS,
            **behind.uvicorn_options(),
        )


def serve(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    workers: Workers = 1,
    proxy_headers: ProxyHeaders = None,
    forwarded_allow_ips: ForwardedAllowIps = None,
    root_path: RootPath = None,
) -> None:
    """Serve the live offering, reservations, resources and planning jobs over HTTP (behind a reverse proxy too,
    also under a sub-path: see --root-path)."""
    serve_offering(host, port, workers, proxy_options(proxy_headers, forwarded_allow_ips, root_path))


Threads = Annotated[
    int | None,
    typer.Option(
        min=1,
        max=16,
        help="runs (or parts of runs) this worker plans at once; each solve uses about two cores "
        "(default: TARJOTIN_WORKER_THREADS, 1)",
    ),
]


def worker(threads: Threads = None) -> None:
    """Plan the runs on the planning queue (Redis with TARJOTIN_BROKER_URL, else the embedded queue file)."""
    from scheduler.services.planning.worker import run_worker
    from scheduler.settings import get_settings

    fmt = _log_format()
    _configure_logging(fmt)
    settings = get_settings()  # the schema is upgraded by `tarjotin db upgrade` or `serve`, never by workers racing
    where = f"the broker at {_redacted(settings.broker_url)}" if settings.broker_url else str(settings.queue_file)
    _say(f"Tarjotin's planning worker takes runs from {where} (Ctrl-C stops; a run it plans is stored as failed)", fmt)
    run_worker(settings, threads)


def _log_format(terminal: bool = False) -> LogFormat:
    """The settings' log format (JSON by default); for a person at a terminal, text unless the settings name one."""
    from scheduler.settings import get_settings

    settings = get_settings()
    return "text" if terminal and "log_format" not in settings.model_fields_set else settings.log_format


def _configure_logging(fmt: LogFormat) -> dict[str, Any]:
    """Log lines in the format at the settings' level (`scheduler.logs`); the configuration, for uvicorn too."""
    import logging.config

    from scheduler.logs import logging_config
    from scheduler.settings import get_settings

    config = logging_config(get_settings().log_level, fmt)
    logging.config.dictConfig(config)
    return config


def _say(message: str, fmt: LogFormat) -> None:
    """A start-up line: a log line when the logs are JSON (every line of the output is then JSON), else printed."""
    import logging

    if fmt == "json":
        logging.getLogger("tarjotin.serve").info(message)
    else:
        out.print(message, highlight=False)


def _redacted(url: str) -> str:
    """A broker URL without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL SQLAlchemy reads: show only its scheme
        return url.split("://", 1)[0] + "://…"
