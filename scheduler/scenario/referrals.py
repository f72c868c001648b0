"""New referrals to a region's service, week by week, for a simulated season.

A week's case openings come from each municipality by its population (the region's figures):
`expected` clients in all, a Poisson draw per municipality. Each new client is drawn like the
scenario's waiting clients (`generate.waiting_client`: the handbook's target groups, home,
languages, wishes), with the service period of a new case: opened on a day of the week, assessed,
and a first decision starting some days later. The same seed, week and expectation always give the
same clients, whatever else happened in the season.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from scheduler.contract.service import add_months
from scheduler.scenario.generate import waiting_client
from scheduler.scenario.region import Region

__all__ = ["poisson", "week_referrals"]

Record = dict[str, Any]


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's product of uniforms; the means here are small), or a normal one past 30."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def week_referrals(
    region: Region,
    seed: int,
    week: int,
    monday: date,
    expected: float,
    decision_days: tuple[int, int],
    decision_months: int,
    counsellors: Sequence[str],
) -> list[Record]:
    """The case openings of the week starting on `monday` (ids `r{week}-{n}`), as contract client records."""
    rng = random.Random(f"tarjotin:{seed}:referrals:{week}")
    total = sum(m.population for m in region.municipalities)
    made: list[Record] = []
    for town in region.municipalities:
        for _ in range(poisson(rng, expected * town.population / total)):
            client = waiting_client(rng, region, f"r{week:02d}-{len(made) + 1:03d}", town, monday)
            opened = monday + timedelta(days=rng.randrange(5))
            start = opened + timedelta(days=rng.randint(*decision_days))
            client.update(
                waiting_since=opened,
                case_opened=opened,
                assessed=opened + timedelta(days=min(7, (start - opened).days)),
                decisions=[{"start": start, "end": add_months(start, decision_months) - timedelta(days=1)}],
                counsellor=rng.choice(list(counsellors)) if counsellors else None,
            )
            made.append(client)
    return made
