"""The world's assumptions: each has a source, the docs list each with its default, and bad ones are refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from scheduler.services.simulation import World, parse_policy
from scheduler.services.simulation.world import SOURCES

DOC = Path(__file__).resolve().parents[2] / "docs" / "simulate.md"


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return f"{value[0]}–{value[1]}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def test_every_assumption_has_a_source_and_a_row_in_the_docs_with_its_default() -> None:
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \| ([^|]+) \|", DOC.read_text(), re.M)}
    world = World()
    assert set(SOURCES) == set(World.model_fields) == set(rows)
    for name in World.model_fields:
        assert rows[name].strip() == _shown(getattr(world, name)), name
    stated = {a["name"]: a for a in world.stated()}
    assert stated["decision_months"] == {
        "name": "decision_months",
        "value": 6,
        "means": World.model_fields["decision_months"].description,
        "source": "handbook",
    }
    assert stated["decision_days"]["value"] == [14, 60]


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ({"accept": 0.9, "decline": 0.2}, "add up to more than 1"),
        ({"answer_days": (5, 1)}, "answer_days: give (least, most)"),
        ({"absence": -0.1}, "greater than or equal to 0"),
        ({"staff_scale": 0}, "greater than 0"),
    ],
)
def test_a_world_out_of_its_bounds_is_refused_saying_why(given: dict[str, object], says: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(says)):
        World.model_validate(given)


def test_a_policy_is_a_preset_and_maybe_a_leader_reach() -> None:
    assert parse_policy("handbook").fields() == {"preset": "handbook", "leader_reach_minutes": 75}
    assert parse_policy(" Placement@120 ").fields() == {"preset": "placement", "leader_reach_minutes": 120}
    assert parse_policy("handbook@none").fields() == {"preset": "handbook", "leader_reach_minutes": None}
