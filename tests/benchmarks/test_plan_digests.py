"""`benchmarks.plan_digests` on small problems: the same code gives the same digests, and every plan is checked."""

from __future__ import annotations

from unittest import mock

import benchmarks.plan_digests as plan_digests


def test_a_deterministic_effort_gives_the_same_digests_twice() -> None:
    with mock.patch.object(plan_digests, "REGIONS", {"kainuu": None, "tampere": None}):
        first = plan_digests.digests(40, 0.5, seeds=(1,))
        again = plan_digests.digests(40, 0.5, seeds=(1,))
    assert list(first) == ["kainuu/1", "tampere/1"] and first == again
    assert all(violations == 0 and placed > 0 for _, placed, violations, _ in first.values())
