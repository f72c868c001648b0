"""The service's log lines: one JSON object a line (or plain text), each naming the request it belongs to.

`logging_config(level, fmt)` is the `logging.config.dictConfig` dictionary `tarjotin serve` (uvicorn's
`log_config`), `tarjotin worker` and the embedded planning worker apply: every logger, uvicorn's too,
writes through one handler on stderr. A JSON line holds `time` (ISO 8601, UTC, milliseconds), `level`,
`logger`, `message`, `request_id` (the HTTP request being answered, else null) and any `extra` fields
of the call; an exception's traceback is in `exc_info`. uvicorn's own access log stays off: the
application writes its own (`api.logs`), with the route's template, never the raw path or query.

It lives below the services (not in `api`) so that the planning worker, which imports no web code,
writes the same lines. No log line may hold a client's id or alias.
"""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

from pythonjsonlogger.json import JsonFormatter

__all__ = ["REQUEST_ID", "JsonLines", "LogFormat", "RequestIdFilter", "TextLines", "logging_config", "scrub"]

REQUEST_ID: ContextVar[str | None] = ContextVar("tarjotin_request_id", default=None)
"""The id of the HTTP request being answered (set by `api.request_ids.RequestIds`), None outside one."""

LogFormat = Literal["json", "text"]

_VALUES = (
    (re.compile(r"\[parameters: .*?\](?=\n|$)", re.DOTALL), "[parameters: hidden]"),  # SQLAlchemy's statement values
    (re.compile(r"^(DETAIL|Detail): .*$", re.MULTILINE), r"\1: hidden"),  # PostgreSQL's "Key (id)=(...) already exists"
)


def scrub(text: str) -> str:
    """The text without the values a database error quotes (a client's id among them): SQLAlchemy's parameters and
    PostgreSQL's DETAIL line. A defence in depth: log calls name ids of runs and notices, never of clients."""
    for pattern, replacement in _VALUES:
        text = pattern.sub(replacement, text)
    return text


class RequestIdFilter(logging.Filter):
    """Gives every record the request id in force (None outside a request), unless the call named one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get()
        return True


def _utc(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonLines(JsonFormatter):
    """One JSON object a line: time, level, logger, message, request_id and the call's extra fields."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
        )

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 - logging's name
        return _utc(record)

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        if not hasattr(record, "request_id"):  # a handler without the filter
            record.request_id = REQUEST_ID.get()
        super().add_fields(log_data, record, message_dict)
        log_data.pop("color_message", None)  # uvicorn's copy of the message with terminal colours
        for key in ("message", "exc_info"):
            if isinstance(log_data.get(key), str):
                log_data[key] = scrub(log_data[key])


class TextLines(logging.Formatter):
    """A plain line for a person at a terminal: time, level, logger, [request id] and message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 - logging's name
        return _utc(record)

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None) is None:
            record.request_id = REQUEST_ID.get() or "-"
        return scrub(super().format(record))


def logging_config(level: str = "INFO", fmt: LogFormat = "json") -> dict[str, Any]:
    """The `dictConfig` of every process of the service: one stderr handler in the format, at the level."""
    level = level.upper()
    quiet = {"handlers": [], "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"json": {"()": JsonLines}, "text": {"()": TextLines}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": fmt,
                "filters": ["request_id"],
            }
        },
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            # uvicorn's loggers write through the root's handler; its access log (raw paths, query strings) never.
            "uvicorn": {**quiet, "level": level},
            "uvicorn.error": {**quiet, "level": level},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "CRITICAL"},
            "huey": {**quiet, "level": max(level, "WARNING", key=logging.getLevelName)},
        },
    }
