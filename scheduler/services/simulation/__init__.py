"""A season in minutes: the county's weekly planning cycle simulated over months, measured as clients feel it.

`simulate(Season(...), [policies])` runs the real workflow week after week on an embedded database
(`season`), in a world of stated assumptions (`world`), each policy on the same world
(`policies`), and answers a `SimulationReport` (`report`) of waits, offers, groups, seats and staff
time, week by week and for the season (`measure`). docs/simulate.md describes it.
"""

from scheduler.services.simulation.policies import SimPolicy, parse_policy
from scheduler.services.simulation.report import PolicyRun, SeasonFigures, SimulationReport, WeekFigures
from scheduler.services.simulation.season import Season, WeekDone, run_season, simulate
from scheduler.services.simulation.world import World

__all__ = [
    "PolicyRun",
    "Season",
    "SeasonFigures",
    "SimPolicy",
    "SimulationReport",
    "WeekDone",
    "WeekFigures",
    "World",
    "parse_policy",
    "run_season",
    "simulate",
]
