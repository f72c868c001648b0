"""Why a client could not be placed: the reason codes a plan's `unassigned` entries carry.

A reason code is the key of the client-fit rule part that kept the client out
(`scheduler.contract.rules`), in the order an explanation tries them, or `capacity`:
no rule kept them out, but no suitable group opened with a seat left for them.
"""

from __future__ import annotations

from scheduler.contract.rules import RULE_BY_KEY

__all__ = ["CAPACITY", "CLIENT_FIT", "REASON_CODES"]

CLIENT_FIT: tuple[str, ...] = tuple(
    RULE_BY_KEY[key].key
    for key in ("interest", "audience", "language", "remote", "travel", "accessibility", "availability")
)
"""The rule parts that decide whether a client may join a group at all, as an explanation tries them."""

CAPACITY = "capacity"
"""Not a rule: suitable groups could exist, but none opened with a free seat for the client."""

REASON_CODES: tuple[str, ...] = (*CLIENT_FIT, CAPACITY)
