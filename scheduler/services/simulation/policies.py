"""The policies a season is simulated under: a preset, and the county's leader reach if another.

Written `PRESET` or `PRESET@REACH` (`handbook`, `placement`, `handbook@120`, `handbook@none`): a
preset of `scheduler.contract.policy` and, after `@`, the leader reach in minutes by car (`none`:
anywhere), read as `tarjotin plan --leader-reach` reads it. Without `@` the reach is the county's default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scheduler.contract.errors import Invalid
from scheduler.contract.policy import Policy
from scheduler.services.planning.policy import PRESETS, parse_reach

__all__ = ["SimPolicy", "parse_policy"]

DEFAULT_REACH: int | None = Policy.model_fields["leader_reach_minutes"].default


@dataclass(frozen=True)
class SimPolicy:
    """One policy of a simulated season, as its label says."""

    label: str
    preset: str
    reach: int | None

    def fields(self) -> dict[str, Any]:
        """The policy fields of a planning run (`planning.flow.snapshot`)."""
        return {"preset": self.preset, "leader_reach_minutes": self.reach}


def parse_policy(text: str) -> SimPolicy:
    """`PRESET` or `PRESET@REACH`; Invalid naming `policy` and what is wrong otherwise."""
    label = text.strip().lower()
    preset, at, reach = label.partition("@")
    if preset not in PRESETS:
        raise Invalid.of("policy", f"{text!r}: the preset is one of {', '.join(PRESETS)} (then @MINUTES or @none)")
    if not at:
        return SimPolicy(label, preset, DEFAULT_REACH)
    try:
        return SimPolicy(label, preset, parse_reach(reach))
    except ValueError as error:
        raise Invalid.of("policy", f"{text!r}: after '@' {error}") from None
