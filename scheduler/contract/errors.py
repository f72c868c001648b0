"""The project's errors: what a user asked for that cannot be done, and why, as types.

Every layer raises these (or subclasses of them); the entry points map them in one
place each: the HTTP API to RFC 9457 problem details, the CLI to exit code 2, the pages
to an error page. Anything else that escapes a service is a bug: a 500 with a logged
request id, never a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Conflict", "FieldError", "Forbidden", "Invalid", "NotFound", "TarjotinError"]


@dataclass(frozen=True)
class FieldError:
    """One faulty field: its path (`rooms[0].capacity`), what is wrong with it and, when a hard rule
    refuses it, the rule's key (`scheduler.contract.rules`)."""

    field: str
    message: str
    rule: str | None = None


class TarjotinError(Exception):
    """A request that cannot be done as asked; `detail` says why in a sentence."""

    title = "The request cannot be done"

    def __init__(self, detail: str, errors: tuple[FieldError, ...] | list[FieldError] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = tuple(errors)


class NotFound(TarjotinError, LookupError):
    """What the request names does not exist (HTTP 404).

    Also a `LookupError`, so a caller that caught those for a missing record keeps working.
    """

    title = "Not found"


class Invalid(TarjotinError):
    """The input is wrong: `errors` name each faulty field (HTTP 422)."""

    title = "Invalid input"

    @classmethod
    def of(cls, field: str, message: str) -> Invalid:
        """One faulty field, its message also the detail (`field: message`)."""
        return cls(f"{field}: {message}", [FieldError(field, message)])


class Conflict(TarjotinError):
    """The input is fine but the stored state refuses it: a full group, a stale draft (HTTP 409)."""

    title = "Conflict"


class Forbidden(TarjotinError):
    """The caller may not do this to this record: another counsellor's client (HTTP 403)."""

    title = "Forbidden"
