"""An independent check of a plan against every hard rule (docs/rules.md).

It shares no code with the solver: it reads only the contract and re-derives every
rule, travel times included, from the documented rules.
"""

from scheduler.checker.check import Violation, check, client_travel_minutes, format_report, hub_travel_minutes

__all__ = ["Violation", "check", "client_travel_minutes", "format_report", "hub_travel_minutes"]
