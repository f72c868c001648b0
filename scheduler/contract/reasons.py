"""Why a client could not be placed: the reason codes a plan's `unassigned` entries carry.

First `decision`: the client has decisions on record but none in force on a session the
plan could seat them in (the rule part `decision_in_force`: ended, past the 18-month cap,
or starting after the term). Then a reason code is the key of the client-fit rule part that kept the client out
(`scheduler.contract.rules`), in the order an explanation tries them; or `leaders`: the
client fits sessions that a room allows, but no leader team can be formed for any of them
(language, reach, availability, qualification, skills); or `capacity`: suitable groups
could run (a leader team exists), but none opened with a seat left for them — also when
every option's leaders were used by other groups.
"""

from __future__ import annotations

from scheduler.contract.rules import RULE_BY_KEY

__all__ = ["CAPACITY", "CLIENT_FIT", "CLOSED", "DECISION", "LEADERS", "REASON_CODES"]

DECISION = "decision"
"""Not a client-fit rule part itself but `decision_in_force` seen from the client: decisions are on record,
and none is in force on any session from the first seat day to the term's end (checked before interest)."""

CLIENT_FIT: tuple[str, ...] = tuple(
    RULE_BY_KEY[key].key
    for key in ("interest", "audience", "language", "remote", "travel", "accessibility", "availability")
)
"""The rule parts that decide whether a client may join a group at all, as an explanation tries them."""

CLOSED = "closed"
"""The rule part `closed` seen from the client: the groups they fit are closed (process groups past their
closing session) and no other fits."""

CAPACITY = "capacity"
"""Not a rule: suitable groups could exist, but none opened with a free seat for the client."""

LEADERS = "leaders"
"""Not a client-fit rule part: the client fits sessions a room allows, but no leader team could lead any of them
(no leader speaks the language, lives within the county's reach, is free then, is qualified, or has the skills)."""

REASON_CODES: tuple[str, ...] = (DECISION, *CLIENT_FIT, CLOSED, LEADERS, CAPACITY)
