"""The built-in scenario: a reproducible Western Uusimaa county of any size (docs/design.md)."""

from scheduler.scenario.generate import DEFAULT_TERM_START, TERM_WEEKS, closures, generate, municipality_at

__all__ = ["DEFAULT_TERM_START", "TERM_WEEKS", "closures", "generate", "municipality_at"]
